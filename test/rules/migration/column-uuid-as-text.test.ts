import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-uuid-as-text.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-uuid-as-text', () => {
  test('fires on text columns that hold UUIDs by name, default or a 36-character id; the fix declares uuid', async () => {
    const findings = await lintWith(rule, `CREATE TABLE sessions (session_uuid text, token text DEFAULT gen_random_uuid(), user_id varchar(36), external_id char(36) REFERENCES ext (id));
ALTER TABLE sessions ADD COLUMN key_guid varchar DEFAULT gen_random_uuid()::text;`);
    assert.deepEqual(findings.map((f) => f.evidence.signal), ['its name', 'its default generates UUIDs', 'an id of exactly 36 characters', 'an id of exactly 36 characters', 'its name']);
    assert.match(findings[0]!.message, /^Column sessions\.session_uuid is declared text but holds UUIDs \(its name\)/);
    assert.equal(findings[0]!.fix!.sql, 'CREATE TABLE sessions (session_uuid uuid, token text DEFAULT gen_random_uuid(), user_id varchar(36), external_id char(36) REFERENCES ext (id));');
    assert.equal(findings[3]!.fix, null);
    assert.match(String(findings[3]!.evidence.noFix), /references another column/);
    assert.equal(findings[4]!.fix, null);
    await fixesParse(findings);
  });

  test('near misses: uuid columns, other text columns, a varchar(36) not named as an id', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (id uuid, name text, code varchar(36));'), []);
  });
});
