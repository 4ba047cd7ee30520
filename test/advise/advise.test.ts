/**
 * The index advisor on the real server with hypopg: the known best index (only one column order
 * helps), the budget, drops (a redundant unused index yes, a constraint's or the replica identity's
 * never), parameterised statements, pg_stat_statements as the workload, and hypothetical indexes gone
 * after success and after a failure midway.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adviseIndexes } from '../../src/advise/advise.js';
import { candidateKey } from '../../src/advise/candidate.js';
import { workloadFromList, workloadFromText } from '../../src/advise/workload.js';
import { LiveDb } from '../../src/db/live-db.js';
import { liveDatabase } from '../support/live.js';

/**
 * `events`: 200,000 rows; `tenant` has 2,000 values, `at` is spread over ~140 days. The workload asks
 * for one tenant's last day: (tenant, at) seeks straight to those rows; (at, tenant) would scan the
 * whole day for every tenant.
 */
const SCHEMA = `
  CREATE TABLE events (
    id bigint PRIMARY KEY,
    tenant int NOT NULL,
    at timestamptz NOT NULL,
    kind text NOT NULL,
    payload text,
    code int NOT NULL,
    CONSTRAINT events_code_key UNIQUE (code)
  );
  INSERT INTO events
    SELECT i, i % 2000, timestamptz '2026-01-01' + (i || ' minutes')::interval,
           (ARRAY['click','view','buy','error'])[1 + i % 4], md5(i::text), i
      FROM generate_series(1, 200000) i;
  CREATE INDEX events_kind_idx ON events (kind);
  CREATE INDEX events_kind_payload_idx ON events (kind, payload);
  CREATE UNIQUE INDEX events_id_code_idx ON events (id, code);
  ALTER TABLE events REPLICA IDENTITY USING INDEX events_id_code_idx;
  ANALYZE events;
`;

const TENANT_DAY = `SELECT id, kind FROM events WHERE tenant = 42 AND at >= timestamptz '2026-03-01' AND at < timestamptz '2026-03-02'`;

describe('indexes advise', () => {
  test('finds the index whose column order serves the predicate, and proposes only safe drops', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const result = await adviseIndexes({ connection: { url: db.url }, workload: workloadFromList([TENANT_DAY]) });
    assert.equal(result.indexes.length, 1, JSON.stringify(result.indexes.map((i) => i.sql)));
    const [index] = result.indexes;
    assert.deepEqual([index!.table, index!.columns], ['events', ['tenant', 'at']]);
    assert.match(index!.sql, /^CREATE INDEX CONCURRENTLY \S+ ON public\.events \(tenant, at\);$/);
    assert.ok(result.costAfter < result.costBefore / 10, `${result.costBefore} -> ${result.costAfter}`);
    assert.ok(index!.bytes > 0);
    assert.equal(index!.helps[0]?.id, 'q1');
    assert.ok(result.search.whatIfCalls > 0);

    // events_kind_idx leads events_kind_payload_idx and is never scanned: redundant. The unique
    // constraint's index and the replica identity are never scanned either, and must stay.
    const drops = result.drops.map((d) => d.index).sort();
    assert.ok(drops.includes('events_kind_idx'), drops.join(', '));
    assert.ok(!drops.includes('events_code_key'), 'a constraint index is never dropped');
    assert.ok(!drops.includes('events_pkey'));
    assert.ok(!drops.includes('events_id_code_idx'), 'the replica identity is never dropped');
    const redundant = result.drops.find((d) => d.index === 'events_kind_idx')!;
    assert.equal(redundant.kind, 'redundant-index');
    assert.equal(redundant.sql, 'DROP INDEX CONCURRENTLY public.events_kind_idx;');
    assert.match(result.migration, /CREATE INDEX CONCURRENTLY .* ON public\.events \(tenant, at\);/);
    assert.match(result.migration, /DROP INDEX CONCURRENTLY public\.events_kind_idx;/);
  });

  test('a budget too small for the best index gets the best that fits', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const unlimited = await adviseIndexes({ connection: { url: db.url }, workload: workloadFromList([TENANT_DAY]) });
    const best = unlimited.indexes[0]!;
    const budget = best.bytes - 1;
    const limited = await adviseIndexes({ connection: { url: db.url }, workload: workloadFromList([TENANT_DAY]), budgetBytes: budget });
    assert.equal(limited.settings.budgetBytes, budget);
    assert.equal(limited.indexes.length, 1, JSON.stringify(limited.indexes.map((i) => i.sql)));
    assert.ok(limited.indexes[0]!.bytes <= budget, `${limited.indexes[0]!.bytes} > ${budget}`);
    assert.equal(limited.indexes[0]!.columns.length, 1, 'a one-column index fits where the two-column one does not');
    // The best one-column index, found by costing each column alone.
    const single = await adviseIndexes({ connection: { url: db.url }, workload: workloadFromList([TENANT_DAY]), maxWidth: 1, maxIndexes: 1 });
    assert.ok(limited.costAfter <= single.costAfter + 1e-6, `${limited.costAfter} > ${single.costAfter}`);
    assert.ok(limited.costAfter < limited.costBefore && limited.costAfter > unlimited.costAfter);

    const none = await adviseIndexes({ connection: { url: db.url }, workload: workloadFromList([TENANT_DAY]), budgetBytes: 8192 });
    assert.equal(none.indexes.length, 0);
    assert.equal(none.search.stoppedBy, 'budget');
  });

  test('statements with $n parameters are costed with their generic plan; weights count', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const workload = await workloadFromText(
      `-- weight: 1000
       SELECT id FROM events WHERE tenant = $1 AND at >= $2 AND at < $3;
       -- weight: 1
       SELECT * FROM events WHERE payload = $1;`,
      'w.sql',
    );
    assert.deepEqual(workload.queries.map((q) => q.weight), [1000, 1]);
    const result = await adviseIndexes({ connection: { url: db.url }, workload, maxIndexes: 1 });
    assert.equal(result.indexes.length, 1);
    assert.deepEqual(result.indexes[0]!.columns.slice(0, 2), ['tenant', 'at'], 'the heavy statement wins the only slot');
    assert.equal(result.queries[0]!.origin, 'w.sql:2');
    assert.equal(result.queries[0]!.parameters, 3);
  });

  test('a constant on a column of few values gives a partial index; a key constant does not', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const result = await adviseIndexes({
      connection: { url: db.url },
      workload: workloadFromList([`SELECT id, at FROM events WHERE kind = 'error' AND tenant = 7 ORDER BY at DESC LIMIT 10`]),
    });
    assert.deepEqual(
      result.indexes.map((i) => candidateKey(i)),
      ["public.events(tenant,at) where kind = 'error'"],
      'kind has 4 values: the index holds only the rows the query can want; tenant has 2,000: no index per tenant',
    );
    assert.match(result.indexes[0]!.sql, /ON public\.events \(tenant, at\) WHERE kind = 'error';$/);
    assert.ok(result.costAfter < result.costBefore / 50, `${result.costBefore} -> ${result.costAfter}`);
  });

  test('pg_stat_statements is the default workload, ranked by total time', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    for (let i = 0; i < 5; i++) await db.admin(`SELECT count(*) FROM events WHERE tenant = ${i} AND at >= '2026-02-0${i + 1}' AND at < '2026-02-0${i + 2}'`);
    const result = await adviseIndexes({ connection: { url: db.url } });
    assert.equal(result.workload.kind, 'pg_stat_statements');
    assert.equal(result.costUnit, 'ms');
    const tenantQuery = result.queries.find((q) => /tenant = \$1/.test(q.sql));
    assert.ok(tenantQuery, result.queries.map((q) => q.sql).join('\n'));
    assert.ok(tenantQuery.stats && tenantQuery.stats.calls >= 5);
    assert.ok(result.indexes.some((i) => i.columns[0] === 'tenant'), result.indexes.map((i) => i.sql).join('\n'));
  });

  test('hypothetical indexes are gone after success and after a failure midway; nothing is written', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const session = await LiveDb.connect({ url: db.url });
    try {
      const hypothetical = async (): Promise<number> => Number((await session.query<{ n: string }>('SELECT count(*)::text AS n FROM hypopg_list_indexes'))[0]!.n);
      await adviseIndexes({ db: session, workload: workloadFromList([TENANT_DAY]) });
      assert.equal(await hypothetical(), 0);
      await assert.rejects(
        adviseIndexes({
          db: session,
          workload: workloadFromList([TENANT_DAY]),
          onProgress: (message) => {
            if (message.startsWith('add ')) throw new Error('stopped midway');
          },
        }),
        /stopped midway/,
      );
      assert.equal(await hypothetical(), 0);
      const [{ n }] = (await session.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_indexes WHERE tablename = 'events'")) as [{ n: string }];
      assert.equal(n, '5', 'no real index was created');
    } finally {
      await session.close();
    }
  });
});
