import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/truncate.js';
import { lintWith } from '../../support/lint.js';

describe('truncate', () => {
  test('fires on TRUNCATE of existing tables', async () => {
    const findings = await lintWith(rule, 'TRUNCATE sessions, carts RESTART IDENTITY CASCADE;');
    assert.deepEqual(findings.map((f) => f.evidence.table), ['sessions', 'carts']);
    assert.match(findings[0]!.message, /^TRUNCATE sessions deletes every row under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the transaction ends; CASCADE also empties every table whose foreign keys point at it\./);
    assert.equal(findings[0]!.evidence.restartIdentity, true);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 10 });
  });

  test('near misses: a table created earlier in the file, DELETE', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE load_tmp (a int);\nTRUNCATE load_tmp;\nDELETE FROM sessions WHERE expired;'), []);
  });
});
