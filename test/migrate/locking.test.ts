/**
 * Concurrency on a real server: two runners at once apply each migration exactly once (the migrate
 * lock), and a runner blocked by another session's long transaction gives up after lock_timeout,
 * retries with backoff, and never holds the table while it waits (seen from a third session).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { formatMigrateText } from '../../src/migrate/format-text.js';
import { migrateUp, type MigrateOptions } from '../../src/migrate/migrate.js';
import { liveDatabase } from '../support/live.js';
import { historyRows, migrationsFolder, rows } from './helpers.js';

async function setUp(t: TestContext, files: Record<string, string>, schema = ''): Promise<{ url: string; options: MigrateOptions } | null> {
  const live = await liveDatabase(t, schema);
  if (!live) return null;
  const dir = migrationsFolder(files);
  return { url: live.url, options: { dir, cwd: dir, connection: { url: live.url }, env: {} } };
}

async function session(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'test-session' });
  await client.connect();
  return client;
}

/** Polls, from a session of its own, the locks pgarchitect's sessions hold or wait for on `table`. */
function watchLocks(url: string, table: string): { stop(): Promise<{ granted: boolean; mode: string }[][]> } {
  const samples: { granted: boolean; mode: string }[][] = [];
  let watching = true;
  const done = (async () => {
    const watcher = await session(url);
    try {
      while (watching) {
        const result = await watcher.query(
          `SELECT l.granted, l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.application_name = 'pgarchitect' AND l.locktype = 'relation' AND l.relation = to_regclass($1)`,
          [table],
        );
        samples.push(result.rows);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await watcher.end();
    }
  })();
  return {
    async stop() {
      watching = false;
      await done;
      return samples;
    },
  };
}

describe('migrate under concurrency', () => {
  test('two runners at once: each migration is applied exactly once; the second waits, then finds them applied', async (t) => {
    const env = await setUp(t, {
      'V1__runs.sql': 'CREATE TABLE runs (n int);',
      // Slow enough that the second runner starts while the first holds the lock.
      'V2__first.sql': 'INSERT INTO runs VALUES (2);\nSELECT pg_sleep(0.3);',
      // A concurrent build while the other runner polls for the lock: a blocking pg_advisory_lock
      // would hold a snapshot that CREATE INDEX CONCURRENTLY waits for.
      'V3__runs_idx.sql': 'CREATE INDEX CONCURRENTLY runs_n_idx ON runs (n);',
      'V4__second.sql': 'INSERT INTO runs VALUES (4);',
    });
    if (!env) return;
    const progress: string[][] = [[], []];
    const results = await Promise.all(progress.map((lines) => migrateUp({ ...env.options, onProgress: (m) => lines.push(m) })));
    assert.ok(results.every((r) => r.ok));
    const applied = results.flatMap((r) => r.steps.map((s) => s.file)).sort();
    assert.deepEqual(applied, ['V1__runs.sql', 'V2__first.sql', 'V3__runs_idx.sql', 'V4__second.sql']);
    assert.deepEqual(await rows(env.url, 'SELECT n FROM runs ORDER BY n'), [{ n: 2 }, { n: 4 }]);
    assert.deepEqual((await historyRows(env.url)).map((r) => [r.version, r.success]), [['1', true], ['2', true], ['3', true], ['4', true]]);
    const waited = progress.filter((lines) => lines.some((l) => /^waiting for another migrate runner \(pid \d+\) to finish$/.test(l)));
    assert.equal(waited.length, 1, 'one runner waited for the other');
    assert.deepEqual(results.map((r) => r.currentVersion), ['4', '4']);
  });

  test('blocked by a long transaction: times out after lock_timeout, retries with backoff, never holds the table, then gives up with a clear error', async (t) => {
    const env = await setUp(t, { 'V1__add_note.sql': 'ALTER TABLE accounts ADD COLUMN note text;' }, 'CREATE TABLE accounts (id int PRIMARY KEY); INSERT INTO accounts VALUES (1);');
    if (!env) return;
    const blocker = await session(env.url);
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT count(*) FROM accounts');
      const blockerPid = ((await blocker.query('SELECT pg_backend_pid() AS pid')).rows as { pid: number }[])[0]!.pid;

      const watch = watchLocks(env.url, 'accounts');
      const progress: string[] = [];
      const started = Date.now();
      const result = await migrateUp({ ...env.options, lockTimeoutMs: 300, retries: 2, retryDelayMs: 100, onProgress: (m) => progress.push(m) });
      const elapsed = Date.now() - started;
      const samples = await watch.stop();

      assert.equal(result.ok, false);
      const failure = result.failure!;
      assert.deepEqual([failure.file, failure.statement, failure.sqlstate, failure.attempts, failure.transactional], ['V1__add_note.sql', 1, '55P03', 3, true]);
      assert.ok(failure.openTransactions!.some((x) => x.pid === blockerPid && x.state === 'idle in transaction'), 'the blocking session is named');
      assert.deepEqual(
        progress.filter((p) => p.startsWith('lock timeout')).map((p) => p.replace(/in [\d.]+ s$/, 'in … s')),
        ['lock timeout in V1__add_note.sql (statement 1): rolled back; retry 1 of 2 in … s', 'lock timeout in V1__add_note.sql (statement 1): rolled back; retry 2 of 2 in … s'],
      );
      assert.ok(elapsed >= 3 * 300 + 100 + 200, `three waits of lock_timeout and two pauses (took ${elapsed} ms)`);

      // Seen from a third session: the runner queued for ACCESS EXCLUSIVE, was never granted it, and
      // between attempts held no lock on the table at all.
      const locks = samples.flat();
      assert.ok(locks.some((l) => !l.granted && l.mode === 'AccessExclusiveLock'), 'the runner was seen waiting for the table');
      assert.ok(!locks.some((l) => l.granted), 'the runner never held the table');
      assert.ok(samples.some((s) => s.length === 0), 'between attempts the runner let go of the table');

      assert.deepEqual(await rows(env.url, "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'note'"), [{ n: 0 }]);
      const [failed] = await historyRows(env.url);
      assert.equal(failed!.success, false);
      assert.match(failed!.error!, /^statement 1 of 1 \(line 1\): 55P03 canceling statement due to lock timeout$/);

      const text = formatMigrateText(result, { color: false });
      assert.match(text, /^V1__add_note\.sql:1:1: statement 1 of 1 failed: 55P03 canceling statement due to lock timeout$/m);
      assert.match(text, /^ {2}gave up after 3 attempts \(lock_timeout 300 ms, 2 retries\): another session holds a lock the migration needs/m);
      assert.match(text, new RegExp(`open transactions, oldest first: pid ${blockerPid} \\(idle in transaction, open [\\d.]+ s, test-session\\)`));
      assert.match(text, /rolled back: nothing of V1__add_note\.sql stays applied/);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    // Once the long transaction is over, the next up applies it.
    const retry = await migrateUp(env.options);
    assert.equal(retry.ok, true);
    assert.deepEqual((await historyRows(env.url)).map((r) => [r.version, r.success]), [['1', true]]);
  });

  test('a lock released during the backoff: the retry succeeds', async (t) => {
    const env = await setUp(t, { 'V1__add_note.sql': 'ALTER TABLE accounts ADD COLUMN note text;\nUPDATE accounts SET note = \'x\';' }, 'CREATE TABLE accounts (id int PRIMARY KEY); INSERT INTO accounts VALUES (1);');
    if (!env) return;
    const blocker = await session(env.url);
    await blocker.query('BEGIN');
    await blocker.query('SELECT count(*) FROM accounts');
    const release = setTimeout(() => void blocker.query('COMMIT'), 400);
    try {
      const result = await migrateUp({ ...env.options, lockTimeoutMs: 200, retries: 5, retryDelayMs: 100 });
      assert.equal(result.ok, true);
      assert.ok(result.steps[0]!.attempts >= 2 && result.steps[0]!.attempts <= 5, `attempts: ${result.steps[0]!.attempts}`);
      assert.deepEqual(await rows(env.url, 'SELECT note FROM accounts'), [{ note: 'x' }]);
    } finally {
      clearTimeout(release);
      await blocker.end();
    }
  });
});
