import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/nested-loop-many-loops.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `
  CREATE TABLE customers (id int PRIMARY KEY, name text);
  INSERT INTO customers SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
  CREATE TABLE orders (id int, customer_id int);
  INSERT INTO orders SELECT g, g % 20000 + 1 FROM generate_series(1, 100000) g;
  ANALYZE;`;
/** Only a nested loop is left to the planner. */
const LOOPS_ONLY = { enable_hashjoin: 'off', enable_mergejoin: 'off', enable_memoize: 'off', enable_material: 'off', max_parallel_workers_per_gather: '0' };

describe('nested-loop-many-loops', () => {
  test('fires on a loop scanning the inner table per outer row, proposes the index (costed with hypopg); the index removes it', async (t) => {
    const db = await explainDatabase(t, `
      CREATE TABLE batches (id int);
      INSERT INTO batches SELECT generate_series(1, 20000);
      CREATE TABLE parts (id int, batch_id int);
      INSERT INTO parts SELECT g, g % 20000 + 1 FROM generate_series(1, 5000) g;
      ANALYZE;`);
    if (!db) return;
    const query = 'SELECT count(*) FROM batches b JOIN parts p ON p.batch_id = b.id WHERE b.id <= 2000';
    const findings = await db.findings(rule, query, { settings: LOOPS_ONLY });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Nested Loop');
    assert.match(finding!.message, /^Nested Loop ran Seq Scan on parts p 2,000 times, once per row of Seq Scan on batches b \([\d.]+ (ms|s) in all, \d+% of the query\), scanning the whole table each time\. enable_hashjoin and enable_mergejoin are off for this query/);
    assert.match(finding!.message, /An index on parts \(batch_id\) turns each loop into a lookup\./);
    assert.equal(finding!.fix!.sql, 'CREATE INDEX CONCURRENTLY parts_batch_id_idx ON public.parts (batch_id);');
    assert.equal((finding!.evidence.verification as { status: string; indexUsed: boolean }).indexUsed, true);
    await db.admin(finding!.fix!.sql);
    assert.deepEqual(await db.findings(rule, query, { settings: LOOPS_ONLY }), []);
  });

  test('fires on thousands of index lookups, pointing at the disabled join methods', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [finding] = await db.findings(rule, 'SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id', { settings: LOOPS_ONLY });
    assert.match(finding!.message, /ran Index Only Scan using customers_pkey on customers c 100,000 times, once per row of Seq Scan on orders o .*enable_hashjoin and enable_mergejoin are off for this query/);
    assert.equal(finding!.fix, null);
  });

  test('does not fire on a loop over a few rows', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, 'SELECT count(*) FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id <= 10', { settings: LOOPS_ONLY }), []);
  });
});
