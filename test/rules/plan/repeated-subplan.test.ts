import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/repeated-subplan.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `
  CREATE TABLE customers (id int PRIMARY KEY);
  INSERT INTO customers SELECT generate_series(1, 5000);
  CREATE TABLE orders (id int, customer_id int);
  INSERT INTO orders SELECT g, g % 5000 + 1 FROM generate_series(1, 20000) g;
  ANALYZE;`;
const SERIAL = { max_parallel_workers_per_gather: '0' };

describe('repeated-subplan', () => {
  test('fires on a correlated subquery run once per outer row', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const findings = await db.findings(rule, 'SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) FROM customers c WHERE c.id <= 300', { settings: SERIAL });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Aggregate');
    assert.match(finding!.message, /^SubPlan 1 \(Aggregate\) ran 300 times, once per row of .*customers c, [\d.]+ (ms|s) in all \(\d+% of the query\): rewrite the correlated subquery as a join/);
    assert.equal(finding!.evidence.runs, 300);
  });

  test('does not fire on the same result computed with a join', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const join = 'SELECT c.id, count(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE c.id <= 300 GROUP BY c.id';
    assert.deepEqual(await db.findings(rule, join, { settings: SERIAL }), []);
  });
});
