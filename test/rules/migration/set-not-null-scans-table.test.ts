import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/set-not-null-scans-table.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse, GB, sizedSnapshotOf } from '../../support/migration.js';

describe('set-not-null-scans-table', () => {
  test('fires on SET NOT NULL; the fix proves it with a CHECK first, and the fix itself is not reported', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE orders ALTER COLUMN ref SET NOT NULL;');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.match(f!.message, /^SET NOT NULL on orders\.ref reads every row to prove there is no NULL, under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the scan ends\./);
    assert.deepEqual(f!.object, { type: 'column', table: 'orders', name: 'ref', column: 'ref' });
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 33 });
    assert.equal(
      f!.fix!.sql,
      [
        'ALTER TABLE orders ADD CONSTRAINT orders_ref_not_null_check CHECK (ref IS NOT NULL) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_ref_not_null_check;',
        'ALTER TABLE orders ALTER COLUMN ref SET NOT NULL;',
        'ALTER TABLE orders DROP CONSTRAINT orders_ref_not_null_check;',
      ].join('\n'),
    );
    await fixesParse(findings);
    assert.deepEqual(await lintWith(rule, f!.fix!.sql), [], 'the validated CHECK before SET NOT NULL is recognised');
    const db = await useSchema("CREATE TABLE orders (id int, ref text); INSERT INTO orders VALUES (1, 'a');");
    await execStatements(db, f!.fix!.sql);
    const [column] = await db.query<{ attnotnull: boolean }>("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'ref'");
    assert.equal(column!.attnotnull, true);
  });

  test('PostgreSQL 18 schema: NOT NULL added NOT VALID, then validated; PG18 ADD CONSTRAINT ... NOT NULL is reported too', async () => {
    const schema = await snapshotOf('CREATE TABLE orders (id int, ref text, code text);');
    const findings = await lintWith(rule, 'ALTER TABLE orders ALTER COLUMN ref SET NOT NULL;\nALTER TABLE orders ADD CONSTRAINT code_nn NOT NULL code;', { schema });
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE orders ADD CONSTRAINT orders_ref_not_null NOT NULL ref NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_ref_not_null;');
    assert.match(findings[1]!.message, /^NOT NULL constraint on orders\.code reads every row/);
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE orders ADD CONSTRAINT code_nn NOT NULL code NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT code_nn;');
    const sqls = await fixesParse(findings);
    const db = await useSchema("CREATE TABLE orders (id int, ref text, code text); INSERT INTO orders VALUES (1, 'a', 'b');");
    for (const sql of sqls) await execStatements(db, sql);
  });

  test('near misses: a new table, a column already NOT NULL or proven by a validated CHECK in the schema, DROP NOT NULL', async () => {
    const schema = await snapshotOf(`CREATE TABLE orders (id int NOT NULL, ref text, note text);
ALTER TABLE orders ADD CONSTRAINT ref_nn CHECK (ref IS NOT NULL);`);
    const sql = `CREATE TABLE fresh (a int);
ALTER TABLE fresh ALTER COLUMN a SET NOT NULL;
ALTER TABLE orders ALTER COLUMN id SET NOT NULL, ALTER COLUMN ref SET NOT NULL;
ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;`;
    assert.deepEqual(await lintWith(rule, sql, { schema }), []);
  });

  test('size: a large table is an error; with other changes in the statement there is no fix', async () => {
    const schema = await sizedSnapshotOf('CREATE TABLE orders (id int, ref text);', { orders: { tableBytes: 2 * GB, rows: 5_000_000 } });
    const [f] = await lintWith(rule, 'ALTER TABLE orders ALTER COLUMN ref SET NOT NULL, ADD COLUMN x int;', { schema });
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /here it scans 5 million rows \(2 GB\)/);
    assert.equal(f!.fix, null);
  });
});
