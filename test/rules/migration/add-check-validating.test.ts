import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/add-check-validating.js';
import { execStatements, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';
import { MB, sizedSnapshotOf } from '../../support/migration.js';

describe('add-check-validating', () => {
  test('fires on ADD CHECK without NOT VALID; the fix names it, adds it NOT VALID and validates it, on PostgreSQL', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE orders ADD CHECK (total >= 0);');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.match(f!.message, /^CHECK constraint orders_total_check is checked against every existing row of orders as it is added, under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the check ends\./);
    assert.equal(f!.evidence.lock, 'ACCESS EXCLUSIVE');
    assert.equal(f!.fix!.sql, 'ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_total_check;');
    await assertParses(f!.fix!.sql);
    const db = await useSchema('CREATE TABLE orders (id int, total numeric); INSERT INTO orders VALUES (1, 5);');
    await execStatements(db, f!.fix!.sql);
  });

  test('a CHECK on a new column: the column first, then the constraint NOT VALID and VALIDATE', async () => {
    const [f] = await lintWith(rule, 'ALTER TABLE orders ADD COLUMN qty int CONSTRAINT qty_positive CHECK (qty > 0);');
    assert.match(f!.message, /^CHECK constraint qty_positive on new column qty/);
    assert.equal(f!.fix!.sql, 'ALTER TABLE orders ADD COLUMN qty int;\nALTER TABLE orders ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT qty_positive;');
    await assertParses(f!.fix!.sql);
  });

  test('near misses: NOT VALID, VALIDATE, a table created earlier in the file, a CHECK in CREATE TABLE', async () => {
    const sql = `ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT c;
CREATE TABLE fresh (n int CHECK (n > 0));
ALTER TABLE fresh ADD CHECK (n < 100);`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('size: a small table is information', async () => {
    const schema = await sizedSnapshotOf('CREATE TABLE orders (id int, total numeric);', { orders: { tableBytes: 2 * MB, rows: 20_000 } });
    const [f] = await lintWith(rule, 'ALTER TABLE orders ADD CHECK (total >= 0);', { schema });
    assert.equal(f!.severity, 'info');
    assert.equal(f!.evidence.estimate, 'scans 20,000 rows (2 MB)');
  });
});
