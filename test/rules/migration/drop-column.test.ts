import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/drop-column.js';
import { lintWith } from '../../support/lint.js';

describe('drop-column', () => {
  test('fires on DROP COLUMN of an existing table, each column its own finding', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE orders DROP COLUMN legacy_ref, DROP COLUMN IF EXISTS old_total CASCADE;');
    assert.deepEqual(findings.map((f) => f.evidence.column), ['legacy_ref', 'old_total']);
    assert.match(findings[0]!.message, /^DROP COLUMN legacy_ref on orders deletes its data and breaks the code that is running while the migration deploys where it names legacy_ref\./);
    assert.match(findings[1]!.message, /CASCADE also drops the views, indexes and constraints that use it/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 32 });
    assert.equal(findings[0]!.fix, null);
  });

  test('near misses: a table created earlier in the file, DROP CONSTRAINT, DROP DEFAULT', async () => {
    const sql = `CREATE TABLE fresh (a int, b int);
ALTER TABLE fresh DROP COLUMN b;
ALTER TABLE orders DROP CONSTRAINT orders_ref_key;
ALTER TABLE orders ALTER COLUMN ref DROP DEFAULT;`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });
});
