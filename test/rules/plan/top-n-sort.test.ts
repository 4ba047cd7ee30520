import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/top-n-sort.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `
  CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL, amount int NOT NULL);
  INSERT INTO orders SELECT g, CASE WHEN g % 4 = 0 THEN 'open' ELSE 'shipped' END, timestamptz '2024-01-01' + g * interval '1 minute', g % 1000 FROM generate_series(1, 100000) g;
  ANALYZE orders;`;
const SERIAL = { max_parallel_workers_per_gather: '0' };

describe('top-n-sort', () => {
  test('fires on the latest rows by a sort of the whole table; the proposed index (costed with hypopg) removes it', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const query = 'SELECT * FROM orders ORDER BY created_at DESC LIMIT 10';
    const findings = await db.findings(rule, query, { settings: SERIAL });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Sort');
    assert.match(finding!.message, /^Sort of 100,000 rows under a LIMIT of 10 \(top-N heapsort\): every matching row is read and sorted to return the first 10; an index on orders \(created_at\) returns them in order and stops after 10\. Costed with hypopg: estimated cost [\d,]+ → [\d,.]+\.$/);
    assert.equal(finding!.fix!.sql, 'CREATE INDEX CONCURRENTLY orders_created_at_idx ON public.orders (created_at);');
    await db.admin(finding!.fix!.sql);
    assert.deepEqual(await db.findings(rule, query, { settings: SERIAL }), []);
  });

  test('puts the filter equality columns first, and keeps mixed directions', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [equality] = await db.findings(rule, `SELECT * FROM orders WHERE status = 'open' ORDER BY created_at DESC LIMIT 10`, { settings: SERIAL });
    assert.equal(equality!.fix!.sql, 'CREATE INDEX CONCURRENTLY orders_status_created_at_idx ON public.orders (status, created_at);');
    const [mixed] = await db.findings(rule, 'SELECT * FROM orders ORDER BY amount DESC, created_at LIMIT 10', { settings: SERIAL });
    assert.equal(mixed!.fix!.sql, 'CREATE INDEX CONCURRENTLY orders_amount_created_at_idx ON public.orders (amount DESC, created_at);');
  });

  test('does not fire on a LIMIT over a small set', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, 'SELECT * FROM orders WHERE id < 500 ORDER BY created_at DESC LIMIT 10', { settings: SERIAL }), []);
  });
});
