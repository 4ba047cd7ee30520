import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-uuid-generate-v4.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-uuid-generate-v4', () => {
  test('fires on a uuid_generate_v4() default, qualified or not; the fix calls gen_random_uuid()', async () => {
    const findings = await lintWith(rule, 'CREATE TABLE a (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());\nALTER TABLE a ADD COLUMN ref uuid NOT NULL DEFAULT ext.uuid_generate_v4();');
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.fix!.sql, 'CREATE TABLE a (id uuid PRIMARY KEY DEFAULT gen_random_uuid());');
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE a ADD COLUMN ref uuid NOT NULL DEFAULT gen_random_uuid();');
    assert.equal(findings[1]!.evidence.default, 'ext.uuid_generate_v4()');
    await fixesParse(findings);
  });

  test('near misses: gen_random_uuid(), uuid_generate_v1mc()', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE a (id uuid DEFAULT gen_random_uuid(), b uuid DEFAULT uuid_generate_v1mc());'), []);
  });
});
