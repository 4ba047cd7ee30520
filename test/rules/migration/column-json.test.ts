import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-json.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-json', () => {
  test('fires on json; the fix declares jsonb', async () => {
    const findings = await lintWith(rule, "CREATE TABLE events (id int, payload json NOT NULL DEFAULT '{}');\nALTER TABLE events ALTER COLUMN meta TYPE json USING meta::json;");
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'info');
    assert.equal(findings[0]!.fix!.sql, "CREATE TABLE events (id int, payload jsonb NOT NULL DEFAULT '{}');");
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE events ALTER COLUMN meta TYPE jsonb USING meta::json;');
    await fixesParse(findings);
  });

  test('near misses: jsonb, text', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (a jsonb, b text);'), []);
  });
});
