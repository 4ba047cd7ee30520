import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/seq-scan-filter.js';
import { explainDatabase } from '../../support/explain.js';

const ORDERS = `
  CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric NOT NULL);
  INSERT INTO orders SELECT g, g % 5000, CASE WHEN g % 50 = 0 THEN 'open' ELSE 'shipped' END, g % 1000 FROM generate_series(1, 100000) g;
  ANALYZE orders;`;

describe('seq-scan-filter', () => {
  test('fires on a scan whose filter discards most rows, proposes the index, costed with hypopg; the index removes it', async (t) => {
    const db = await explainDatabase(t, ORDERS);
    if (!db) return;
    const query = `SELECT * FROM orders WHERE customer_id = 42 AND amount > 10`;
    const findings = await db.findings(rule, query, { settings: { max_parallel_workers_per_gather: '0' } });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.deepEqual(finding!.object, { type: 'plan node', name: 'Seq Scan on orders', schema: 'public', table: 'orders' });
    assert.match(finding!.message, /^Seq Scan on orders reads 100,000 rows and its filter .* discards 100% of them: an index on orders \(customer_id, amount\)/);
    assert.equal(finding!.evidence.rowsRead, 100000);
    assert.equal(finding!.evidence.rowsReturned, 20);
    assert.equal(finding!.fix!.sql, 'CREATE INDEX CONCURRENTLY orders_customer_id_amount_idx ON public.orders (customer_id, amount);');
    const verification = finding!.evidence.verification as { status: string; costBefore: number; costAfter: number; indexUsed: boolean };
    assert.equal(verification.status, 'verified');
    assert.equal(verification.indexUsed, true);
    assert.ok(verification.costAfter < verification.costBefore / 10, JSON.stringify(verification));
    assert.match(finding!.message, /Costed with hypopg: estimated cost [\d,]+ → [\d,.]+\.$/);

    await db.admin(finding!.fix!.sql);
    assert.deepEqual(await db.findings(rule, query), []);
  });

  test('does not fire when the filter keeps most rows, nor on small tables', async (t) => {
    const db = await explainDatabase(t, `${ORDERS}
      CREATE TABLE tiny (id int, flag boolean); INSERT INTO tiny SELECT g, g = 1 FROM generate_series(1, 500) g; ANALYZE tiny;`);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, `SELECT * FROM orders WHERE status = 'shipped'`), []);
    assert.deepEqual(await db.findings(rule, `SELECT * FROM tiny WHERE flag`), []);
  });

  test('without hypopg in the database the proposal says it is unverified', async (t) => {
    const db = await explainDatabase(t, `${ORDERS} DROP EXTENSION IF EXISTS hypopg;`);
    if (!db) return;
    const [finding] = await db.findings(rule, `SELECT * FROM orders WHERE customer_id = 42`, { settings: { max_parallel_workers_per_gather: '0' } });
    assert.deepEqual(finding!.evidence.verification, {
      status: 'unverified',
      reason: 'hypopg is not installed in this database (CREATE EXTENSION hypopg to have index proposals costed)',
    });
    assert.match(finding!.fix!.note!, /^Unverified: hypopg is not installed/);
  });

  test('a filter with no plain column comparison gets the finding without an index', async (t) => {
    const db = await explainDatabase(t, ORDERS);
    if (!db) return;
    const [finding] = await db.findings(rule, `SELECT * FROM orders WHERE customer_id + id = 42`, { settings: { max_parallel_workers_per_gather: '0' } });
    assert.match(finding!.message, /no part of the filter is a plain column comparison an index could serve/);
    assert.equal(finding!.fix, null);
  });
});
