/**
 * `partition maintain` on the real server: partitions created ahead, retention applied (detached
 * concurrently and dropped, kept detached, or dumped with pg_dump then dropped), rows of the default
 * partition moved into partitions of their own, a second run doing nothing, --dry-run changing
 * nothing, and inserts running during maintenance all kept (counted).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LiveDb } from '../../src/db/live-db.js';
import { parseMaintainConfig } from '../../src/partition/maintain-config.js';
import { partitionMaintain } from '../../src/partition/maintain.js';
import { liveDatabase } from '../support/live.js';

/** Monthly partitions of `table` from `first` to `last` months around the current one (UTC). */
function months(table: string, first: number, last: number): string {
  return `DO $$
DECLARE m timestamptz;
BEGIN
  FOR i IN ${first}..${last} LOOP
    m := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => i);
    EXECUTE format('CREATE TABLE %I PARTITION OF ${table} FOR VALUES FROM (%L) TO (%L)', '${table}_p' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM'), m, m + interval '1 month');
  END LOOP;
END $$;`;
}

async function partitionsOf(db: { server: { query<R>(d: string, s: string): Promise<R[]> }; url: string }, table: string): Promise<string[]> {
  const rows = await db.server.query<{ name: string }>(db.url.split('/').pop()!, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${table}'::regclass ORDER BY 1`);
  return rows.map((r) => r.name);
}

async function scalar(db: { server: { query<R>(d: string, s: string): Promise<R[]> }; url: string }, sql: string): Promise<string> {
  const [row] = await db.server.query<{ v: string }>(db.url.split('/').pop()!, sql);
  return String(row!.v);
}

describe('partition maintain', () => {
  test('creates partitions ahead, applies retention (drop, keep detached), then does nothing the second time; --dry-run changes nothing', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE logs (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, line text, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       ${months('logs', -8, 0)}
       INSERT INTO logs (at, line) SELECT now() - make_interval(days => i), 'line ' || i FROM generate_series(0, 239) i;
       CREATE TABLE audit (at date NOT NULL, what text) PARTITION BY RANGE (at);
       ${months('audit', -3, 1)}`,
    );
    if (!db) return;
    const config = parseMaintainConfig({
      tables: [
        { table: 'public.logs', interval: 'month', premake: 2, retention: '6 months', retentionAction: 'drop' },
        { table: 'audit', premake: 3, retention: '2 months', retentionAction: 'detach' },
      ],
    });
    const before = await partitionsOf(db, 'logs');
    const dry = await partitionMaintain({ connection: { url: db.url }, config, dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.equal(dry.summary.created, 2 + 2);
    assert.deepEqual(await partitionsOf(db, 'logs'), before, 'dry run changed nothing');
    assert.match(dry.tables[0]!.actions.find((a) => a.kind === 'detach')!.sql[0]!, /^ALTER TABLE public\.logs DETACH PARTITION public\.logs_p\d{4}_\d{2} CONCURRENTLY;$/);

    const first = await partitionMaintain({ connection: { url: db.url }, config });
    assert.equal(first.summary.failed, 0, JSON.stringify(first.tables.flatMap((t) => t.actions.filter((a) => a.status === 'failed'))));
    const logs = first.tables[0]!;
    // Partitions for the current month and 2 ahead: 2 were missing. Retention: the ones that ended 6+ months ago.
    assert.deepEqual(logs.actions.filter((a) => a.kind === 'create').length, 2);
    const detached = logs.actions.filter((a) => a.kind === 'detach');
    assert.ok(detached.length >= 2, `${detached.length} detached`);
    assert.ok(detached.every((a) => a.concurrently === true && a.status === 'done'));
    assert.deepEqual(logs.actions.filter((a) => a.kind === 'drop').map((a) => a.partition), detached.map((a) => a.partition));
    for (const a of detached) assert.equal(await scalar(db, `SELECT count(*) AS v FROM pg_class WHERE relname = '${a.partition.split('.')[1]}'`), '0');
    const [oldest] = await db.server.query<{ v: string }>(db.url.split('/').pop()!, "SELECT (min(at) >= date_trunc('month', (now() AT TIME ZONE 'UTC') - interval '6 months') AT TIME ZONE 'UTC')::text AS v FROM logs");
    assert.equal(String(oldest!.v), 'true', 'nothing older than the month 6 months ago is left');

    const audit = first.tables[1]!;
    assert.equal(audit.interval, 'month', 'learnt from the partitions');
    assert.equal(audit.actions.filter((a) => a.kind === 'create').length, 2);
    const kept = audit.actions.filter((a) => a.kind === 'detach').map((a) => a.partition.split('.')[1]!);
    assert.ok(kept.length >= 1);
    assert.equal(audit.actions.filter((a) => a.kind === 'drop').length, 0);
    for (const name of kept) assert.equal(await scalar(db, `SELECT relispartition::text AS v FROM pg_class WHERE relname = '${name}'`), 'false', `${name} kept, detached`);

    const second = await partitionMaintain({ connection: { url: db.url }, config });
    assert.deepEqual(second.tables.map((t) => t.actions), [[], []], 'second run does nothing');
  });

  test('moves rows of the default partition into partitions of their own; dumps with pg_dump before dropping', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, note text, doubled int GENERATED ALWAYS AS (length(note) * 2) STORED, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       CREATE INDEX ON events (at);
       ${months('events', -4, 0)}
       CREATE TABLE events_default PARTITION OF events DEFAULT;
       INSERT INTO events (at, note) SELECT now() - make_interval(days => i % 100), 'ok' FROM generate_series(1, 500) i;
       INSERT INTO events (at, note) SELECT date_trunc('month', now()) + interval '2 months' + make_interval(hours => i), 'ahead' FROM generate_series(1, 30) i;
       INSERT INTO events (at, note) SELECT date_trunc('month', now()) + interval '9 months', 'far' FROM generate_series(1, 5) i;
       INSERT INTO events (at, note) SELECT date_trunc('month', now()) - interval '7 months' + interval '3 days', 'old' FROM generate_series(1, 7) i;`,
    );
    if (!db) return;
    const total = await scalar(db, 'SELECT count(*) AS v FROM events');
    const dumpDir = mkdtempSync(join(tmpdir(), 'pgarchitect-partition-dump-'));
    const pgDump = join(db.server.binDir, 'pg_dump');
    const config = parseMaintainConfig({ tables: [{ table: 'public.events', interval: 'month', premake: 3, retention: '6 months', retentionAction: 'dump', dumpDir }] });
    const result = await partitionMaintain({ connection: { url: db.url }, config, pgDump: existsSync(pgDump) ? pgDump : undefined });
    const actions = result.tables[0]!.actions;
    assert.equal(result.summary.failed, 0, JSON.stringify(actions.filter((a) => a.status === 'failed')));
    assert.equal(await scalar(db, 'SELECT count(*) AS v FROM ONLY events_default'), '0', 'the default partition is empty');
    // The 30 rows two months ahead went with the premade partition; the 5 far ones and the 7 old ones got partitions of their own.
    assert.equal(actions.filter((a) => a.kind === 'create').reduce((n, a) => n + (a.rows ?? 0), 0), 30);
    assert.deepEqual(actions.filter((a) => a.kind === 'move').map((a) => a.rows).sort(), [5, 7]);
    // The partition made for the 7 old rows is past the retention: detached (not concurrently: there is a default partition), dumped, dropped.
    const oldPartition = actions.find((a) => a.kind === 'move' && a.rows === 7)!.partition;
    const detach = actions.find((a) => a.kind === 'detach' && a.partition === oldPartition)!;
    assert.equal(detach.concurrently, false);
    const dump = actions.find((a) => a.kind === 'dump' && a.partition === oldPartition)!;
    assert.equal(dump.status, 'done');
    assert.ok(statSync(dump.file!).size > 0);
    assert.ok(actions.some((a) => a.kind === 'drop' && a.partition === oldPartition && a.status === 'done'));
    assert.equal(await scalar(db, 'SELECT count(*) AS v FROM events'), String(Number(total) - 7));
    assert.equal(await scalar(db, "SELECT count(*) AS v FROM events WHERE note = 'far' AND doubled = 6"), '5');

    const again = await partitionMaintain({ connection: { url: db.url }, config });
    assert.deepEqual(again.tables[0]!.actions, []);
  });

  test('integer keys: partitions kept ahead of the largest key', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE readings (id bigint NOT NULL, v int) PARTITION BY RANGE (id);
       CREATE TABLE readings_p0 PARTITION OF readings FOR VALUES FROM (0) TO (1000);
       CREATE TABLE readings_p1000 PARTITION OF readings FOR VALUES FROM (1000) TO (2000);
       INSERT INTO readings SELECT i, i FROM generate_series(0, 1500) i;`,
    );
    if (!db) return;
    const config = parseMaintainConfig({ tables: [{ table: 'public.readings', premake: 2 }] });
    const first = await partitionMaintain({ connection: { url: db.url }, config });
    assert.deepEqual(first.tables[0]!.actions.map((a) => [a.kind, a.partition, a.from, a.to, a.status]), [
      ['create', 'public.readings_p2000', '2000', '3000', 'done'],
      ['create', 'public.readings_p3000', '3000', '4000', 'done'],
    ]);
    assert.equal(first.tables[0]!.interval, '1000');
    const second = await partitionMaintain({ connection: { url: db.url }, config });
    assert.deepEqual(second.tables[0]!.actions, []);
  });

  test('inserts running during maintenance are all kept', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE ticks (id bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       ${months('ticks', -12, 0)}
       CREATE TABLE ticks_default PARTITION OF ticks DEFAULT;
       INSERT INTO ticks (at) SELECT now() - make_interval(hours => i) FROM generate_series(0, 3000) i;
       INSERT INTO ticks (at) SELECT date_trunc('month', now()) + interval '5 months' + make_interval(mins => i) FROM generate_series(0, 200) i;`,
    );
    if (!db) return;
    const initial = Number(await scalar(db, 'SELECT count(*) AS v FROM ticks'));
    const writers = await Promise.all([0, 1, 2].map(() => LiveDb.connect({ url: db.url, readOnly: false })));
    let running = true;
    let inserted = 0;
    let failed = 0;
    const loops = writers.map(async (writer, w) => {
      for (let i = 0; running; i++) {
        // Current rows, rows of the partitions being premade, and rows that land in the default partition.
        const at = ["now()", "date_trunc('month', now()) + interval '1 month' + interval '1 hour'", "date_trunc('month', now()) + interval '5 months' + interval '1 day'"][(i + w) % 3];
        try {
          await writer.exec(`INSERT INTO ticks (at) VALUES (${at})`);
          inserted++;
        } catch (error) {
          failed++;
          console.error((error as Error).message);
        }
      }
    });
    try {
      // The partitions older than 6 months are empty (the rows span the last 125 days): detached and dropped meanwhile.
      const config = parseMaintainConfig({ tables: [{ table: 'public.ticks', interval: 'month', premake: 3, retention: '6 months' }], lockTimeout: '200ms', retries: 20, retryDelay: '20ms' });
      const result = await partitionMaintain({ connection: { url: db.url }, config });
      assert.equal(result.summary.failed, 0, JSON.stringify(result.tables[0]!.actions.filter((a) => a.status === 'failed')));
      assert.equal(result.summary.created, 3);
      assert.ok(result.summary.moved >= 1);
      assert.ok(result.summary.dropped >= 5, `${result.summary.dropped} dropped`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      running = false;
      await Promise.all(loops);
      await Promise.all(writers.map((w) => w.close()));
    }
    assert.ok(inserted > 0);
    assert.equal(failed, 0, 'no insert failed');
    assert.equal(Number(await scalar(db, 'SELECT count(*) AS v FROM ticks')), initial + inserted, 'every row kept');
  });
});
