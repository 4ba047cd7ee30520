// Captures the plans of test/plan/fixtures/ from a real PostgreSQL server (the test harness's), in
// both formats: EXPLAIN ANALYZE runs (<name>.json, <name>.txt: two runs, so figures differ), estimated
// plans (estimate-<name>.*: the same plan in both formats), and psql's own output as people paste it.
// Expected analyses are then rewritten with PGARCHITECT_UPDATE_FIXTURES=1 npm test -- test/plan/analyse
// and reviewed by hand.
//   npx tsx scripts/capture-plan-fixtures.ts
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startServer } from '../test/support/pg-server-core.js';

const out = new URL('../test/plan/fixtures/', import.meta.url).pathname;
const server = await startServer({ preloadLibraries: ['pg_stat_statements'], extensions: ['pg_stat_statements'], hypopg: true, relocate: false, noSync: false });
try {
  const url = await server.createDatabase('fixtures');
  await server.admin('fixtures', `
    CREATE TABLE customers (id int PRIMARY KEY, city text NOT NULL, zip text NOT NULL);
    INSERT INTO customers SELECT g, 'city' || (g % 100), 'zip' || (g % 100) FROM generate_series(1, 50000) g;
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, amount numeric NOT NULL, note text);
    INSERT INTO orders SELECT g, g % 50000 + 1, CASE WHEN g % 10 = 0 THEN 'shipped' ELSE 'open' END, timestamptz '2024-01-01' + g * interval '1 minute', g % 1000, repeat('x', 100) FROM generate_series(1, 200000) g;
    CREATE INDEX orders_amount_idx ON orders (amount);
    CREATE TABLE events (id int, at date NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    INSERT INTO events SELECT g, date '2024-01-01' + (g % 700) FROM generate_series(1, 20000) g;
  `);
  await server.admin('fixtures', 'VACUUM ANALYZE');
  const cases: Record<string, [string[], string]> = {
    'parallel-hash-join': [[], `SELECT c.city, count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'shipped' GROUP BY c.city ORDER BY 2 DESC LIMIT 5`],
    'subplan-jit': [[], `SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) FROM customers c WHERE c.id < 100`],
    'cte-hash-batches': [[`SET LOCAL work_mem = '256kB'`], `WITH x AS MATERIALIZED (SELECT * FROM customers WHERE city = 'city1') SELECT x.zip, o.amount FROM x JOIN orders o ON o.customer_id = x.id`],
    'initplan': [[], `SELECT id FROM orders WHERE amount = (SELECT max(amount) FROM orders) LIMIT 3`],
    'sort-spill': [[`SET LOCAL work_mem = '64kB'`], `SELECT id, created_at FROM orders ORDER BY amount, created_at`],
    'insert': [[], `INSERT INTO customers SELECT g, 'x', 'y' FROM generate_series(100001, 100100) g`],
    'never-executed': [[`SET LOCAL enable_hashjoin = off`, `SET LOCAL enable_mergejoin = off`], `SELECT * FROM customers c LEFT JOIN orders o ON o.id = c.id WHERE c.id < 0`],
    'bitmap-lossy': [[`SET LOCAL work_mem = '64kB'`, `SET LOCAL enable_seqscan = off`, `SET LOCAL enable_indexscan = off`, `SET LOCAL max_parallel_workers_per_gather = 0`], `SELECT id FROM orders WHERE amount < 500`],
    'nested-loop': [[`SET LOCAL enable_hashjoin = off`, `SET LOCAL enable_mergejoin = off`, `SET LOCAL max_parallel_workers_per_gather = 0`], `SELECT o.id, c.city FROM orders o JOIN customers c ON c.id = o.customer_id % 100 + 1 WHERE o.id < 5000`],
    'partitions-append': [[], `SELECT at, count(*) FROM events WHERE at >= '2024-06-01' GROUP BY at`],
    'hashagg-spill': [[`SET LOCAL work_mem = '64kB'`, `SET LOCAL enable_sort = off`, `SET LOCAL max_parallel_workers_per_gather = 0`], `SELECT customer_id, sum(amount) FROM orders GROUP BY customer_id`],
    'union-setop': [[], `SELECT city FROM customers EXCEPT SELECT status FROM orders`],
  };
  const psql = (args: string[]) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, ...args], { encoding: 'utf8' });
  for (const [name, [setup, sql]] of Object.entries(cases)) {
    const run = (options: string, extra: string[] = []) => psql([...extra, '-c', 'BEGIN', ...setup.flatMap((s) => ['-c', s]), '-c', `EXPLAIN (${options}) ${sql}`, '-c', 'ROLLBACK']);
    writeFileSync(`${out}/${name}.json`, run('ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON', ['-At']));
    writeFileSync(`${out}/${name}.txt`, run('ANALYZE, BUFFERS, VERBOSE, SETTINGS', ['-At']));
    writeFileSync(`${out}/estimate-${name}.json`, run('VERBOSE, SETTINGS, FORMAT JSON', ['-At']));
    writeFileSync(`${out}/estimate-${name}.txt`, run('VERBOSE, SETTINGS', ['-At']));
  }
  // As pasted from psql's default (aligned) output.
  const [setup, sql] = cases['parallel-hash-join']!;
  writeFileSync(`${out}/psql-pasted.txt`, psql(['-c', 'BEGIN', ...setup.flatMap((s) => ['-c', s]), '-c', `EXPLAIN (ANALYZE, BUFFERS) ${sql}`, '-c', 'ROLLBACK']));
  writeFileSync(`${out}/psql-pasted.json`, psql(['-c', `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM customers WHERE id < 10`]));
  writeFileSync(`${out}/timing-off.txt`, psql(['-At', '-c', `EXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) SELECT count(*) FROM customers WHERE city = 'city1'`]));
} finally { server.stop(); }
