/**
 * `health` on the real server the harness starts: each condition of the issue is produced and its
 * finding asserted, beside a near miss that must not be reported. The old transaction ID age and WAL
 * archiving failures need server settings of their own (wraparound-archiving.test.ts); bloat has its
 * own file (bloat.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../src/finding.js';
import { LiveDb } from '../../src/db/live-db.js';
import { health, healthCheckIds, healthOfDb, type HealthOptions } from '../../src/health/health.js';
import { NOT_A_STANDBY, STANDBY_SIDE_CHECKS } from './facts-fixture.js';
import type { HealthResult } from '../../src/health/result.js';
import { liveDatabase } from '../support/live.js';
import { openSession, sleep, waitFor, withOptions } from './live-sessions.js';

async function check(url: string, only: string[], options: Omit<HealthOptions, 'connection' | 'env' | 'only'> = {}): Promise<HealthResult> {
  return health({ connection: { url }, env: {}, only, ...options });
}

function ofRule(result: HealthResult, rule: string): Finding[] {
  return result.findings.filter((f) => f.rule === rule);
}

describe('health on a live server', () => {
  test('dead rows on a table with autovacuum off: autovacuum-disabled and high-dead-tuple-ratio; a table autovacuum has not caught up with, even while a session holds an ACCESS EXCLUSIVE lock on it', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE churn (id int) WITH (autovacuum_enabled = false);
       INSERT INTO churn SELECT generate_series(1, 1000);
       DELETE FROM churn WHERE id <= 300;
       CREATE TABLE frozen (id int) WITH (autovacuum_enabled = false);
       INSERT INTO frozen SELECT generate_series(1, 1000);
       CREATE TABLE calm (id int);
       INSERT INTO calm SELECT generate_series(1, 1000);
       DELETE FROM calm WHERE id <= 50;
       CREATE TABLE behind (id int);
       INSERT INTO behind SELECT generate_series(1, 10000);`,
    );
    if (!db) return;
    await db.admin('VACUUM ANALYZE behind');
    await db.admin('VACUUM ANALYZE frozen');
    // Autovacuum may not touch `behind` while the test looks: it skips a table it cannot lock.
    const holder = await openSession(db.url);
    try {
      // SHARE UPDATE EXCLUSIVE keeps VACUUM out and lets the DELETE in; then ACCESS EXCLUSIVE keeps everyone out.
      await holder.client.query('BEGIN');
      await holder.client.query('LOCK TABLE behind IN SHARE UPDATE EXCLUSIVE MODE');
      await db.admin('DELETE FROM behind WHERE id <= 5000; SELECT pg_stat_force_next_flush();');
      await holder.client.query('LOCK TABLE behind IN ACCESS EXCLUSIVE MODE');
      const result = await check(db.url, ['autovacuum-disabled', 'autovacuum-lagging', 'high-dead-tuple-ratio'], {
        config: withOptions({ 'autovacuum-disabled': { minChanges: 100 }, 'high-dead-tuple-ratio': { minDeadTuples: 100 } }),
      });
      const disabled = ofRule(result, 'autovacuum-disabled');
      // `frozen` has autovacuum off too, but nothing changed since its last VACUUM ANALYZE: info. `calm` has it on.
      assert.deepEqual(disabled.map((f) => [f.object.name, f.severity]), [['churn', 'warning'], ['frozen', 'info']]);
      assert.equal(disabled[0]!.evidence.deadTuples, 300);
      // The review rule reads the catalog snapshot, which leaves `behind` out rather than wait behind the
      // lock, and says so; the health check reads lock-free statistics and still sees it.
      assert.deepEqual(ofRule(result, 'high-dead-tuple-ratio').map((f) => f.object.name), ['churn']);
      assert.ok(result.notices.some((n) => n.startsWith(`public.behind was not examined: pid ${holder.pid} holds an ACCESS EXCLUSIVE lock on it`)));
      // 10,000 rows analysed: autovacuum vacuums from 50 + 0.2 × 10,000 = 2,050 dead rows; 5,000 is more than twice that.
      const lagging = ofRule(result, 'autovacuum-lagging');
      assert.deepEqual(lagging.map((f) => f.object.name), ['behind']);
      assert.deepEqual([lagging[0]!.evidence.deadTuples, lagging[0]!.evidence.vacuumTrigger], [5000, 2050]);
      const examined = result.checks.find((c) => c.rule === 'autovacuum-lagging')!.examined;
      assert.match(examined, /^4 tables and \d+ system catalogs with statistics/);
    } finally {
      await holder.client.query('ROLLBACK');
      await holder.client.end();
    }
  });

  test('a session idle in a transaction; not an idle session, nor one idle in a transaction for less than the threshold', async (t) => {
    const db = await liveDatabase(t, 'CREATE TABLE t (id int); INSERT INTO t VALUES (1);');
    if (!db) return;
    const idle = await openSession(db.url);
    const open = await openSession(db.url);
    try {
      await open.client.query('BEGIN');
      await open.client.query('UPDATE t SET id = 2');
      await open.client.query("SET application_name = 'forgot-to-commit'");
      await sleep(1500);
      const result = await check(db.url, ['idle-in-transaction'], { config: withOptions({ 'idle-in-transaction': { minSeconds: 1 } }) });
      const findings = ofRule(result, 'idle-in-transaction');
      assert.deepEqual(findings.map((f) => f.object), [{ type: 'session', name: `pid ${open.pid}` }]);
      assert.match(findings[0]!.message, new RegExp(`^Session pid ${open.pid} \\(forgot-to-commit on ${db.url.split('/').pop()} as postgres\\) has been idle in a transaction for \\d s`));
      assert.equal(findings[0]!.evidence.query, "SET application_name = 'forgot-to-commit'");
      assert.equal(findings[0]!.fix!.sql, `SELECT pg_terminate_backend(${open.pid});`);
      void idle;
      // The default threshold (60 s) is not reached.
      assert.deepEqual(ofRule(await check(db.url, ['idle-in-transaction']), 'idle-in-transaction'), []);
    } finally {
      await open.client.end();
      await idle.client.end();
    }
  });

  test('a blocked session, with the blocking tree; no finding once the lock is released', async (t) => {
    const db = await liveDatabase(t, 'CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 10);');
    if (!db) return;
    const root = await openSession(db.url);
    const waiter = await openSession(db.url);
    const second = await openSession(db.url);
    const name = db.url.split('/').pop()!;
    try {
      await root.client.query('BEGIN');
      await root.client.query('UPDATE accounts SET balance = 0 WHERE id = 1');
      const waiting = waiter.client.query('UPDATE accounts SET balance = 5 WHERE id = 1').catch((e: Error) => e);
      const reading = second.client.query('ALTER TABLE accounts ADD COLUMN note text').catch((e: Error) => e);
      await waitFor('two sessions waiting for a lock', async () => {
        const rows = await db.server.query<{ n: string }>(name, "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
        return Number(rows[0]!.n) === 2;
      });
      await sleep(1100);
      const result = await check(db.url, ['blocked-sessions'], { config: withOptions({ 'blocked-sessions': { minWaitSeconds: 1 } }) });
      const [finding, ...more] = ofRule(result, 'blocked-sessions');
      assert.equal(more.length, 0);
      assert.deepEqual(finding!.object, { type: 'session', name: `pid ${root.pid}` });
      assert.match(finding!.message, /blocks 2 sessions, the longest waiting for \d(\.\d)? s; it is idle in transaction for \d s\.$/);
      // Where the two waiters sit under the root depends on whom pg_blocking_pids names for each (the ALTER
      // waits for the UPDATE's table lock too); both are in the tree, once.
      type Node = { pid: number; blocks: Node[] };
      const tree = finding!.evidence.tree as Node;
      const below = (n: Node): number[] => n.blocks.flatMap((b) => [b.pid, ...below(b)]);
      assert.equal(tree.pid, root.pid);
      assert.deepEqual(below(tree).sort(), [waiter.pid, second.pid].sort());
      assert.equal(finding!.fix!.sql, `SELECT pg_terminate_backend(${root.pid});`);
      // Neither the facts nor the catalog snapshot wait for a lock: reading accounts' definitions would
      // queue behind the ALTER's request, so the snapshot leaves accounts out and says why.
      const all = await health({ connection: { url: db.url, lockTimeoutMs: 300 }, env: {}, config: withOptions({ 'blocked-sessions': { minWaitSeconds: 1 } }) });
      assert.ok(all.findings.some((f) => f.rule === 'blocked-sessions'));
      assert.deepEqual(all.skipped.map((s) => s.rule), STANDBY_SIDE_CHECKS);
      assert.ok(all.notices.some((n) => n.startsWith(`public.accounts was not examined: pid ${second.pid} is waiting for an ACCESS EXCLUSIVE lock on it`)), all.notices.join('\n'));

      await root.client.query('ROLLBACK');
      assert.deepEqual((await Promise.all([waiting, reading])).map((r) => r instanceof Error), [false, false]);
      assert.deepEqual(ofRule(await check(db.url, ['blocked-sessions'], { config: withOptions({ 'blocked-sessions': { minWaitSeconds: 0 } }) }), 'blocked-sessions'), []);
    } finally {
      await Promise.all([root.client.end(), waiter.client.end(), second.client.end()]);
    }
  });

  test('a sequence near its maximum (int-key-exhaustion, reused from review); not one a third of the way', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE near (id serial PRIMARY KEY);
       CREATE TABLE far (id serial PRIMARY KEY);
       SELECT setval('near_id_seq', 2000000000);
       SELECT setval('far_id_seq', 700000000);`,
    );
    if (!db) return;
    const result = await check(db.url, ['int-key-exhaustion']);
    const findings = ofRule(result, 'int-key-exhaustion');
    assert.deepEqual(findings.map((f) => [f.object.table, f.severity]), [['near', 'error']]);
    assert.equal(findings[0]!.evidence.percentUsed, 93.1);
    assert.match(result.checks.find((c) => c.rule === 'int-key-exhaustion')!.examined, /^2 sequences \(2 with a value read/);
  });

  test('an inactive replication slot that reserves WAL; not one that reserves none', async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    const reserved = `health_reserved_${process.pid}`;
    const unreserved = `health_unreserved_${process.pid}`;
    await db.admin(`SELECT pg_create_physical_replication_slot('${reserved}', true); SELECT pg_create_physical_replication_slot('${unreserved}');`);
    try {
      const result = await check(db.url, ['inactive-replication-slot']);
      const findings = ofRule(result, 'inactive-replication-slot');
      assert.deepEqual(findings.map((f) => f.object), [{ type: 'replication slot', name: reserved }]);
      assert.ok((findings[0]!.evidence.retainedBytes as number) > 0);
      assert.equal(findings[0]!.evidence.walStatus, 'reserved');
      assert.equal(findings[0]!.fix!.sql, `SELECT pg_drop_replication_slot('${reserved}');`);
      assert.match(result.checks[0]!.examined, /^2 replication slots \(2 inactive\)$/);
    } finally {
      await db.admin(`SELECT pg_drop_replication_slot('${reserved}'); SELECT pg_drop_replication_slot('${unreserved}');`);
    }
  });

  test('an invalid index and a constraint never validated (reused review rules); pg_stat_statements missing in one database only', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE t (id int, parent int, n int);
       INSERT INTO t VALUES (1, NULL, 1), (1, NULL, 2);
       ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;
       DROP EXTENSION pg_stat_statements;`,
    );
    if (!db) return;
    await db.admin('CREATE UNIQUE INDEX CONCURRENTLY t_id_key ON t (id)').catch(() => undefined); // fails on the duplicate: left invalid
    const result = await check(db.url, ['invalid-index', 'constraint-not-validated', 'pg-stat-statements-missing']);
    assert.deepEqual(ofRule(result, 'invalid-index').map((f) => f.object.name), ['t_id_key']);
    assert.deepEqual(ofRule(result, 'constraint-not-validated').map((f) => f.object.name), ['n_positive']);
    const missing = ofRule(result, 'pg-stat-statements-missing');
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.fix!.sql, 'CREATE EXTENSION pg_stat_statements;');
    // The harness's other databases have it: the near miss.
    const other = await liveDatabase(t, '');
    assert.deepEqual(ofRule(await check(other!.url, ['pg-stat-statements-missing']), 'pg-stat-statements-missing'), []);
  });

  test('a long-running query; not a short one', async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    const runner = await openSession(db.url);
    const name = db.url.split('/').pop()!;
    try {
      const running = runner.client.query('SELECT pg_sleep(30)').catch(() => undefined);
      await waitFor('the query to start', async () => (await db.server.query<{ n: string }>(name, "SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'"))[0]!.n === '1');
      await sleep(1100);
      const result = await check(db.url, ['long-running-query'], { config: withOptions({ 'long-running-query': { minSeconds: 1 } }) });
      // Sessions of every database are checked: keep to this test's.
      const mine = (r: HealthResult) => ofRule(r, 'long-running-query').filter((f) => f.evidence.database === name);
      assert.deepEqual(mine(result).map((f) => [f.object.name, f.evidence.query]), [[`pid ${runner.pid}`, 'SELECT pg_sleep(30)']]);
      assert.deepEqual(mine(await check(db.url, ['long-running-query'])), []);
      await db.server.query(name, `SELECT pg_cancel_backend(${runner.pid})`);
      await running;
    } finally {
      await runner.client.end();
    }
  });

  test('every check runs and says what it examined; the server is read in as many queries for 60 tables as for 1', async (t) => {
    const db = await liveDatabase(t, 'CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 100); ANALYZE t;');
    if (!db) return;
    const result = await health({ connection: { url: db.url }, env: {} });
    assert.deepEqual(result.skipped, STANDBY_SIDE_CHECKS.map((rule) => ({ rule, reason: NOT_A_STANDBY })));
    assert.equal(result.checks.length, healthCheckIds().length - STANDBY_SIDE_CHECKS.length);
    for (const c of result.checks) assert.ok(c.examined.length > 0, c.rule);
    const byRule = new Map(result.checks.map((c) => [c.rule, c.examined]));
    assert.equal(byRule.get('replication-lag'), 'no standby connected (pg_stat_replication is empty)');
    assert.match(byRule.get('connections-near-limit')!, /^\d+ client connections? of 47 available \(max_connections 50 less 3 reserved\)$/);
    assert.match(byRule.get('wal-archiving-failing')!, /^archive_mode = off/);
    assert.equal(result.bloatMethod, 'estimate');
    assert.equal(result.source.standby, false);
    assert.equal(result.source.readAllStats, true);
    // The harness's server: archive_mode and track_io_timing off.
    assert.ok(result.findings.some((f) => f.rule === 'wal-archiving-off'));
    assert.ok(result.findings.some((f) => f.rule === 'track-io-timing-off'));

    // Set-based: as many queries for 60 tables as for 1.
    const wide = await liveDatabase(t, `DO $$ BEGIN FOR i IN 1..60 LOOP EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text); CREATE INDEX ON t%s (v)', i, i); END LOOP; END $$; ANALYZE;`);
    const queries = async (url: string): Promise<number> => {
      const live = await LiveDb.connect({ url });
      try {
        await healthOfDb(live, 'test');
        return live.queryCount;
      } finally {
        await live.close();
      }
    };
    assert.equal(await queries(wide!.url), await queries(db.url));
  });
});
