import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/hash-batches.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `
  CREATE TABLE customers (id int PRIMARY KEY, name text);
  INSERT INTO customers SELECT g, md5(g::text) FROM generate_series(1, 50000) g;
  CREATE TABLE orders (id int, customer_id int);
  INSERT INTO orders SELECT g, g % 50000 + 1 FROM generate_series(1, 100000) g;
  ANALYZE;`;
const JOIN = 'SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id';
const SERIAL = { max_parallel_workers_per_gather: '0' };

describe('hash-batches', () => {
  test('fires on a hash join split into batches under a tiny work_mem; the proposed work_mem keeps one batch', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [finding, ...rest] = await db.findings(rule, JOIN, { settings: { ...SERIAL, work_mem: '64kB' } });
    assert.deepEqual(rest, []);
    assert.equal(finding!.object.name, 'Hash');
    assert.match(finding!.message, /^Hash was split into \d+ batches: 50,000 rows did not fit in memory \(work_mem 64kB × hash_mem_multiplier 2\) and went through temporary files; with work_mem = '\d+MB' it would fit\.$/);
    assert.ok((finding!.evidence.batches as number) > 1);
    const proposed = finding!.evidence.proposedWorkMem as string;
    assert.deepEqual(await db.findings(rule, JOIN, { settings: { ...SERIAL, work_mem: proposed } }), []);
  });

  test('fires on a hash aggregate that spilled', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [finding] = await db.findings(rule, 'SELECT customer_id, count(*) FROM orders GROUP BY customer_id', {
      settings: { ...SERIAL, work_mem: '64kB', enable_sort: 'off' },
    });
    assert.equal(finding!.object.name, 'HashAggregate');
    assert.ok((finding!.evidence.diskUsageKb as number) > 0);
  });

  test('does not fire when the hash fits in memory', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, JOIN, { settings: SERIAL }), []);
  });
});
