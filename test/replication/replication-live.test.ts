/**
 * `pgarchitect replication` against a real primary and two real streaming standbys started by the
 * harness on loopback (pg_basebackup -R): one through a slot, one without; lag produced by pausing
 * replay, query conflicts by VACUUM under a standby snapshot, a workload with reads and writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { replicationReport } from '../../src/replication/replication.js';
import type { ReplicationResult } from '../../src/replication/result.js';
import { requireStarted, startServer, TEST_PASSWORD, type TestServer } from '../support/pg-server.js';
import { runCli } from '../support/run-cli.js';
import { startStandby, type TestStandby } from '../support/standby.js';

let primary: TestServer | undefined;
let withSlot: TestStandby | undefined;
let withoutSlot: TestStandby | undefined;
let failure: Error | undefined;

async function waitFor(what: string, ready: () => Promise<boolean>, seconds = 30): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Both standbys streaming and caught up with the primary's current WAL position. */
async function caughtUp(): Promise<boolean> {
  const rows = await primary!.query<{ n: string }>(
    'postgres',
    "SELECT count(*) AS n FROM pg_stat_replication WHERE state = 'streaming' AND replay_lsn >= pg_current_wal_lsn()",
  );
  return Number(rows[0]!.n) === 2;
}

before(async () => {
  try {
    primary = await startServer({ preloadLibraries: ['pg_stat_statements'], extensions: ['pg_stat_statements'], settings: { wal_keep_size: '0' } });
    await primary.admin('postgres', "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_create_physical_replication_slot('forgotten', true)");
    withSlot = await startStandby(primary, 'replica_a', { slot: 'replica_a', settings: { hot_standby_feedback: 'off', max_standby_streaming_delay: '100ms' } });
    withoutSlot = await startStandby(primary, 'replica_b');
    await waitFor('both standbys streaming', caughtUp);
  } catch (error) {
    failure = error as Error;
  }
});

after(() => {
  withSlot?.stop();
  withoutSlot?.stop();
  primary?.stop();
});

async function ready(t: import('node:test').TestContext): Promise<boolean> {
  const started = await requireStarted(t, async () => {
    if (failure) throw failure;
    return primary!;
  });
  return started !== null;
}

const report = (): Promise<ReplicationResult> => replicationReport({ primary: { url: primary!.url() }, replicas: [{ url: withSlot!.url() }], env: {} });

describe('replication on a primary with two streaming standbys', () => {
  test('each standby with its state, sync state, slot and lag; the --replica matched through its slot; the standby without a slot found', async (t) => {
    if (!(await ready(t))) return;
    const result = await report();
    assert.deepEqual(
      result.standbys.map((s) => [s.name, s.state, s.syncState, s.slot, s.replica !== null]),
      [['replica_a', 'streaming', 'async', 'replica_a', true], ['replica_b', 'streaming', 'async', null, false]],
    );
    for (const s of result.standbys) assert.equal(typeof s.replayLagBytes, 'number');
    const [replica] = result.replicas;
    assert.equal(replica!.standby, 'replica_a');
    assert.equal(replica!.receiverStatus, 'streaming');
    assert.equal(replica!.slot, 'replica_a');
    assert.deepEqual(replica!.settings, { hot_standby: 'on', hot_standby_feedback: 'off', max_standby_streaming_delay: '100', max_standby_archive_delay: '30000', recovery_min_apply_delay: '0', primary_slot_name: 'replica_a' });
    const primaryFindings = result.primary.health.findings.map((f) => `${f.rule} ${f.object.name}`);
    assert.ok(primaryFindings.includes('standby-without-slot replica_b'), primaryFindings.join('; '));
    assert.ok(!primaryFindings.includes('standby-without-slot replica_a'));
    assert.ok(primaryFindings.includes('inactive-replication-slot forgotten'), primaryFindings.join('; '));
    assert.deepEqual(result.primary.health.checks.map((c) => c.rule), ['inactive-replication-slot', 'replication-lag', 'standby-without-slot', 'synchronous-standby-missing']);
    assert.deepEqual(result.replicas[0]!.health.checks.map((c) => c.rule), ['standby-not-streaming', 'standby-query-conflicts', 'standby-replay-paused']);
    assert.deepEqual(result.replicas[0]!.health.findings, []);
  });

  test('replay paused on a standby: the primary measures its lag in bytes, the standby says it is paused; once resumed it is caught up', async (t) => {
    if (!(await ready(t))) return;
    await withSlot!.query('postgres', 'SELECT pg_wal_replay_pause()');
    try {
      await primary!.admin('postgres', "CREATE TABLE lag_filler AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
      await waitFor('the paused standby to have received the new WAL', async () => {
        const rows = await primary!.query<{ sent: boolean }>('postgres', "SELECT flush_lsn >= pg_current_wal_lsn() AS sent FROM pg_stat_replication WHERE application_name = 'replica_a'");
        return rows[0]?.sent === true;
      });
      const result = await report();
      const lagging = result.standbys.find((s) => s.name === 'replica_a')!;
      assert.ok(lagging.replayLagBytes! > 1024 * 1024, `replay lag ${lagging.replayLagBytes} bytes`);
      const replica = result.replicas[0]!;
      assert.equal(replica.replayPaused, true);
      assert.ok(replica.receivedNotReplayedBytes! > 1024 * 1024);
      const paused = replica.health.findings.find((f) => f.rule === 'standby-replay-paused');
      assert.ok(paused, 'standby-replay-paused');
      assert.match(paused.message, /^WAL replay is paused on this standby: \d+(\.\d+)? MB received and not applied/);
    } finally {
      await withSlot!.query('postgres', 'SELECT pg_wal_replay_resume()');
    }
    await waitFor('both standbys to catch up', caughtUp);
    const after = await report();
    assert.deepEqual(after.standbys.map((s) => [s.name, s.replayLagBytes]), [['replica_a', 0], ['replica_b', 0]]);
    assert.equal(after.replicas[0]!.replayPaused, false);
    assert.deepEqual(after.replicas[0]!.health.findings.map((f) => f.rule), []);
  });

  test('a standby query cancelled by VACUUM on the primary: standby-query-conflicts with the snapshot count and hot_standby_feedback', async (t) => {
    if (!(await ready(t))) return;
    await primary!.admin('postgres', 'CREATE TABLE conflicted (id int); INSERT INTO conflicted SELECT generate_series(1, 1000)');
    await waitFor('the table on the standby', caughtUp);
    const reader = new pg.Client({ connectionString: withSlot!.url() });
    reader.on('error', () => undefined);
    await reader.connect();
    try {
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM conflicted');
      await primary!.admin('postgres', 'DELETE FROM conflicted');
      await primary!.admin('postgres', 'VACUUM conflicted');
      await waitFor('a snapshot conflict counted on the standby', async () => {
        const rows = await withSlot!.query<{ n: string }>('postgres', "SELECT confl_snapshot AS n FROM pg_stat_database_conflicts WHERE datname = 'postgres'");
        return Number(rows[0]?.n) > 0;
      });
    } finally {
      await reader.end().catch(() => undefined);
    }
    const result = await report();
    const finding = result.replicas[0]!.health.findings.find((f) => f.rule === 'standby-query-conflicts');
    assert.ok(finding, 'standby-query-conflicts');
    assert.ok((finding.evidence.byKind as { snapshot: number }).snapshot >= 1);
    assert.equal(finding.evidence.hotStandbyFeedback, 'off');
    assert.match(finding.fix!.sql, /hot_standby_feedback = on/);
    assert.ok(result.replicas[0]!.conflicts >= 1);
  });

  test('the workload split: read-only statements are replica-ready, writes, row locks and nextval stay on the primary, volatile functions are to review', async (t) => {
    if (!(await ready(t))) return;
    await primary!.admin(
      'postgres',
      `CREATE TABLE accounts (id bigserial PRIMARY KEY, owner text, balance int);
       CREATE FUNCTION touch_account(bigint) RETURNS int LANGUAGE sql VOLATILE AS 'SELECT 1';
       SELECT pg_stat_statements_reset();`,
    );
    const client = new pg.Client({ connectionString: primary!.url() });
    await client.connect();
    try {
      for (let i = 0; i < 20; i++) await client.query('INSERT INTO accounts (owner, balance) VALUES ($1, $2)', [`o${i}`, i]);
      for (let i = 0; i < 50; i++) await client.query('SELECT owner, balance FROM accounts WHERE id = $1', [i]);
      for (let i = 0; i < 5; i++) await client.query('SELECT balance FROM accounts WHERE id = $1 FOR UPDATE', [i]);
      await client.query("SELECT nextval('accounts_id_seq')");
      await client.query('SELECT touch_account(1)');
    } finally {
      await client.end();
    }
    const result = await report();
    const w = result.workload!;
    assert.ok(w, result.workloadUnavailable ?? '');
    const route = (pattern: RegExp) => {
      const all = [...w.top];
      return all.find((s) => pattern.test(s.query))?.route;
    };
    assert.equal(route(/^SELECT owner, balance FROM accounts WHERE id = \$1$/), 'replica');
    assert.equal(route(/touch_account/), 'review');
    assert.equal(w.routes.replica.calls >= 50, true);
    assert.ok(w.routes.primary.statements >= 3, JSON.stringify(w.routes));
    assert.ok(w.routes.replica.callShare > 0.5 && w.routes.replica.callShare < 1);
    assert.deepEqual(w.readAfterWrite.find((x) => x.table === 'accounts'), { table: 'accounts', writeCalls: 20, readCalls: 50 });
    assert.ok(result.readAfterWrite.some((line) => line.includes('accounts (20 writes, 50 reads)')));
    assert.ok(result.readAfterWrite.some((line) => line.startsWith('Replicas apply WAL after the primary commits')));
  });

  test('CLI: text and JSON without the password; the primary given as --replica, or a standby given as the primary, is one clear line', async (t) => {
    if (!(await ready(t))) return;
    const text = await runCli(['replication', primary!.url(), '--replica', withSlot!.url(), '--no-color']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Standbys streaming from the primary \(2\)/);
    assert.match(text.stdout, /replica_a\s+streaming\s+async\s+replica_a/);
    assert.match(text.stdout, /Workload that replicas could serve/);
    const json = await runCli(['replication', primary!.url(), '--replica', withSlot!.url(), '-f', 'json']);
    assert.equal((JSON.parse(json.stdout) as ReplicationResult).schemaVersion, 1);
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) assert.ok(!out.includes(TEST_PASSWORD));

    const notStandby = await runCli(['replication', primary!.url(), '--replica', primary!.url()]);
    assert.equal(notStandby.code, 2);
    assert.match(notStandby.stderr, /--replica postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres is not a standby/);
    assert.equal(notStandby.stderr.trim().split('\n').length <= 2, true, notStandby.stderr);
    const standbyAsPrimary = await runCli(['replication', withSlot!.url()]);
    assert.equal(standbyAsPrimary.code, 2);
    assert.match(standbyAsPrimary.stderr, /is a standby \(in recovery\)/);
    const badUrl = await runCli(['replication', primary!.url(), '--replica', 'replica.example']);
    assert.equal(badUrl.code, 2);
  });

  test('synchronous_standby_names naming a standby that is not connected: an error, since commits would wait', async (t) => {
    if (!(await ready(t))) return;
    await primary!.admin('postgres', "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (replica_c)'");
    await primary!.admin('postgres', 'SELECT pg_reload_conf()');
    try {
      await waitFor('the setting to load', async () => (await primary!.query<{ s: string }>('postgres', 'SHOW synchronous_standby_names'))[0]!.s !== '');
      const result = await report();
      const finding = result.primary.health.findings.find((f) => f.rule === 'synchronous-standby-missing');
      assert.ok(finding);
      assert.equal(finding.severity, 'error');
      // The harness runs with synchronous_commit = off (its data is thrown away): sessions setting it on wait.
      assert.match(finding.message, /requires 1 synchronous standby, and none is connected: synchronous_commit = off here, but sessions that set it to on wait at commit\.$/);
      const cli = await runCli(['replication', primary!.url()]);
      assert.equal(cli.code, 1);
    } finally {
      await primary!.admin('postgres', 'ALTER SYSTEM RESET synchronous_standby_names');
      await primary!.admin('postgres', 'SELECT pg_reload_conf()');
    }
  });
});
