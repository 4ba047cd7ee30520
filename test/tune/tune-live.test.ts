/**
 * `tune` on real servers: current values, units and restart flags as the server reports them; the
 * evidence of temporary files, requested checkpoints and cache misses produced on a dedicated server
 * with tiny work_mem and shared_buffers; the ALTER SYSTEM output accepted by PostgreSQL itself; and
 * PostgreSQL 17's pg_stat_checkpointer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSync, ensureParser } from '../../src/sql/parser.js';
import { formatTuneSql } from '../../src/tune/format-config.js';
import type { TuneRecommendation, TuneResult } from '../../src/tune/result.js';
import { tune } from '../../src/tune/tune.js';
import { liveDatabase } from '../support/live.js';
import { requireStarted, startServer } from '../support/pg-server.js';
import { binDirOf } from '../support/postgres-packages.js';

const GB = 1024 * 1024;
const HARDWARE = { memoryKb: 4 * GB, cpus: 2, storage: 'ssd' as const, workload: 'web' as const };

function rec(result: TuneResult, name: string): TuneRecommendation {
  const found = result.recommendations.find((r) => r.name === name);
  assert.ok(found, `no recommendation for ${name}`);
  return found;
}

/** The ALTER SYSTEM statements of an SQL output, one per statement (each must run on its own). */
function alterSystemStatements(sql: string): string[] {
  return sql.split('\n').filter((line) => line.startsWith('ALTER SYSTEM'));
}

describe('tune on a live server', () => {
  test("current values, units and restart flags are the server's own", async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    const name = new URL(db.url).pathname.slice(1);
    const result = await tune({ ...HARDWARE, connection: { url: db.url }, env: {} });
    const rows = await db.server.query<{ name: string; shown: string; unit: string | null; context: string }>(name, 'SELECT name, current_setting(name) AS shown, unit, context FROM pg_settings');
    const byName = new Map(rows.map((r) => [r.name, r]));
    assert.ok(result.recommendations.length >= 15);
    for (const r of result.recommendations) {
      const row = byName.get(r.name)!;
      // SHOW prints sizes in the largest exact unit, as tune does.
      assert.equal(r.current, row.shown, r.name);
      assert.equal(r.unit, row.unit, r.name);
      assert.equal(r.context, row.context, r.name);
      assert.equal(r.needsRestart, row.context === 'postmaster', r.name);
    }
    assert.equal(rec(result, 'shared_buffers').needsRestart, true);
    assert.equal(rec(result, 'work_mem').needsRestart, false);
    assert.equal(result.server!.versionNum, db.server.versionNum);
    assert.equal(result.server!.maxConnections, 50);
    assert.deepEqual(result.inputs.connections, { value: 50, source: 'server' });
    assert.deepEqual(result.inputs.os, { value: 'linux', source: 'server' });
    assert.equal(result.inputs.dataFitsInRam, true);
    assert.ok(!result.recommendations.some((r) => r.name === 'io_method'), 'io_method is PostgreSQL 18 only');
    assert.deepEqual(result.notExamined, []);
  });

  test('a server on this machine with no hardware given: the hardware is detected', async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    const result = await tune({ connection: { url: db.url }, env: {} });
    assert.equal(result.inputs.memory.source, 'detected');
    assert.equal(result.inputs.cpus.source, 'detected');
    assert.ok(result.inputs.memory.kb > 0 && (result.inputs.cpus.value ?? 0) > 0);
    assert.ok(['detected', 'assumed'].includes(result.inputs.storage.source));
  });

  test('temporary files, requested checkpoints and cache misses are cited as evidence; the SQL is accepted by PostgreSQL', async (t) => {
    const server = await requireStarted(t, () => startServer({ settings: { work_mem: '64kB', shared_buffers: '2MB' } }));
    if (!server) return;
    t.after(() => server.stop());
    const url = await server.createDatabase('tune');
    await server.admin(
      'tune',
      `CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 200000) g;
       SELECT count(*) FROM (SELECT * FROM t ORDER BY v) s;
       ${'SELECT count(*) FROM t;\n'.repeat(10)}
       ${'CHECKPOINT;\n'.repeat(12)}
       SELECT pg_stat_force_next_flush();`,
    );
    const [stats] = await server.query<{ temp_files: string }>('tune', 'SELECT sum(temp_files)::text AS temp_files FROM pg_stat_database');
    assert.ok(Number(stats!.temp_files) >= 1, 'the sort spilled');

    const result = await tune({ ...HARDWARE, connection: { url }, env: {} });
    const workMem = rec(result, 'work_mem');
    assert.equal(workMem.current, '64kB');
    assert.equal(workMem.change, true);
    assert.match(workMem.reason, /^sorts and hashes spill to disk \(temporary files, [\d.]+ [kM]B each on average\)/);
    const files = result.server!.tempFiles!;
    assert.ok(files >= Number(stats!.temp_files));
    assert.match(workMem.evidence[0]!, new RegExp(`^${files.toLocaleString('en-US')} temporary files? since the statistics began, [\\d.]+ MB in all: [\\d.]+ [kM]B per file, [\\d.]+ per 1,000 transactions$`));

    const walSize = rec(result, 'max_wal_size');
    const [, timed, requested] = /^(\d+) timed and (\d+) requested checkpoints since .* \(pg_stat_bgwriter\)$/.exec(walSize.evidence[0]!) ?? [];
    assert.ok(Number(requested) >= 12 && Number(requested) > Number(timed), walSize.evidence[0]);
    assert.match(walSize.reason, /^most checkpoints were requested, not timed/);
    assert.equal(walSize.recommended, '4GB');

    const sharedBuffers = rec(result, 'shared_buffers');
    assert.deepEqual([sharedBuffers.current, sharedBuffers.recommended, sharedBuffers.needsRestart], ['2MB', '1GB', true]);
    assert.match(sharedBuffers.reason, /^the cache misses often/);
    assert.match(sharedBuffers.evidence[0]!, /^cache hit ratio \d+\.\d% since the statistics began: .* \(below 99\.0%\)$/);

    // The SQL output, applied by hand here as a user would: PostgreSQL accepts every value.
    const sql = formatTuneSql(result);
    const statements = alterSystemStatements(sql);
    assert.equal(statements.length, result.recommendations.filter((r) => r.change).length);
    for (const statement of statements) await server.admin('postgres', statement);
    const fileSettings = await server.query<{ name: string; setting: string; applied: boolean; error: string | null }>('postgres', "SELECT name, setting, applied, error FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf'");
    for (const r of result.recommendations.filter((x) => x.change)) {
      const row = fileSettings.find((f) => f.name === r.name);
      assert.ok(row, r.name);
      assert.equal(row.setting, r.recommended);
      if (r.needsRestart) assert.equal(row.error, 'setting could not be applied', r.name);
      else assert.deepEqual([row.applied, row.error], [true, null], r.name);
    }
  });

  test('PostgreSQL 17 reads checkpoints from pg_stat_checkpointer', async (t) => {
    const server = await requireStarted(t, () => startServer({ binDir: binDirOf('pg17-bin') }));
    if (!server) return;
    t.after(() => server.stop());
    await server.admin('postgres', 'CHECKPOINT; CHECKPOINT;');
    const result = await tune({ ...HARDWARE, connection: { url: server.url() }, env: {} });
    assert.equal(Math.floor(result.server!.versionNum / 10000), 17);
    assert.equal(result.server!.checkpoints!.view, 'pg_stat_checkpointer');
    assert.ok(result.server!.checkpoints!.requested >= 2);
    assert.match(rec(result, 'max_wal_size').evidence[0]!, /requested checkpoints since .* \(pg_stat_checkpointer\)$/);
    assert.equal(result.inputs.postgres.major, 17);
    assert.ok(!result.recommendations.some((r) => r.name === 'io_method'));

    // A role that may not read the checkpointer's view nor measure databases: said, not hidden.
    await server.admin('postgres', "CREATE ROLE watcher LOGIN PASSWORD 'watcher-pw'; REVOKE SELECT ON pg_stat_checkpointer FROM PUBLIC; REVOKE EXECUTE ON FUNCTION pg_database_size(oid) FROM PUBLIC;");
    const url = new URL(server.url());
    url.username = 'watcher';
    url.password = 'watcher-pw';
    const limited = await tune({ ...HARDWARE, connection: { url: url.href }, env: {} });
    assert.deepEqual(limited.notExamined, [
      'checkpoints (pg_stat_checkpointer): permission denied for view pg_stat_checkpointer',
      'data size (pg_database_size): permission denied for function pg_database_size',
    ]);
    assert.equal(limited.server!.checkpoints, null);
    assert.equal(limited.inputs.dataFitsInRam, null);
    assert.ok(!rec(limited, 'max_wal_size').evidence.some((e) => /checkpoints/.test(e)));
    assert.ok(rec(limited, 'work_mem').evidence.length > 0, 'pg_stat_database was still read');
  });

  test('--format sql parses with the real parser into ALTER SYSTEM statements only', async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    await ensureParser();
    const sql = formatTuneSql(await tune({ ...HARDWARE, connection: { url: db.url }, env: {} }));
    const parsed = parseSync(sql) as unknown as { stmts: { stmt: Record<string, unknown> }[] };
    assert.ok(parsed.stmts.length > 0);
    for (const { stmt } of parsed.stmts) assert.deepEqual(Object.keys(stmt), ['AlterSystemStmt']);
    assert.equal(parsed.stmts.length, alterSystemStatements(sql).length);
  });
});
