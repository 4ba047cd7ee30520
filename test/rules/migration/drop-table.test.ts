import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/drop-table.js';
import { lintWith } from '../../support/lint.js';
import { sizedSnapshotOf } from '../../support/migration.js';

describe('drop-table', () => {
  test('fires on DROP TABLE of existing tables, one finding each, with the rows it removes given a schema', async () => {
    const schema = await sizedSnapshotOf('CREATE TABLE orders (id int); CREATE SCHEMA old; CREATE TABLE old.carts (id int);', { orders: { tableBytes: 1024 ** 3, rows: 12_000_000 } });
    const findings = await lintWith(rule, 'DROP TABLE IF EXISTS orders, old.carts CASCADE;', { schema });
    assert.deepEqual(findings.map((f) => f.evidence.table), ['orders', 'old.carts']);
    assert.match(findings[0]!.message, /^DROP TABLE orders deletes the table and its data \(here it removes 12 million rows \(1\.5 GB\)\) and breaks the code/);
    assert.match(findings[0]!.message, /CASCADE also drops the views and foreign keys that depend on it/);
    assert.deepEqual(findings[0]!.object, { type: 'table', schema: 'public', name: 'orders' });
    assert.deepEqual(findings[1]!.location, { file: 'q.sql', line: 1, column: 30 });
  });

  test('near misses: a table created earlier in the file, DROP VIEW, DROP INDEX', async () => {
    const sql = 'CREATE TABLE scratch (a int);\nDROP TABLE scratch;\nDROP VIEW report;\nDROP INDEX orders_ref_idx;';
    assert.deepEqual(await lintWith(rule, sql), []);
  });
});
