/**
 * backup create then backup verify on the real server: a database of many types (jsonb, arrays, bytea,
 * numeric, timestamptz, enums, domains, composites, partitions, inheritance, sequences at non-trivial
 * values, large objects) round-trips, restored on a server (--target) and in a temporary cluster.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createBackup } from '../../src/backup/create-backup.js';
import { readDrillRecord } from '../../src/backup/drill-record.js';
import { readManifest } from '../../src/backup/manifest.js';
import { verifyBackup } from '../../src/backup/verify-backup.js';
import { UserError } from '../../src/errors.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { manyTypesDatabase, restoreLeftovers, scratchDir } from './helpers.js';

describe('backup create and verify: round trips', () => {
  test('directory format with 2 jobs: the manifest describes every table, sequence and large object; the drill on a server finds them all', async (t) => {
    const source = await manyTypesDatabase(t);
    if (!source) return;
    const out = join(scratchDir(), 'backup');
    const progress: string[] = [];
    const created = await createBackup({ connection: { url: source.url }, env: {}, out, jobs: 2, onProgress: (l) => progress.push(l) });
    assert.equal(created.pgDump.major >= 15, true);
    const manifest = readManifest(out);
    assert.deepEqual(manifest, created.manifest);
    assert.equal(manifest.database, source.name);
    assert.equal(manifest.format, 'directory');
    assert.equal(manifest.jobs, 2);
    const byName = new Map(manifest.tables.map((t) => [`${t.schema}.${t.name}`, t]));
    assert.deepEqual(
      [...byName.keys()].sort(),
      ['Odd Schema.Mixed Case', 'public.child_log', 'public.empty_table', 'public.events_2024', 'public.events_2025', 'public.events_other', 'public.kinds', 'public.parent_log'],
    );
    assert.equal(byName.get('public.kinds')!.rows, 502);
    assert.equal(byName.get('public.parent_log')!.rows, 1, 'ONLY the parent: the child counts on its own');
    assert.equal(byName.get('public.events_2024')!.partitionOf, 'public.events');
    const eventRows = ['events_2024', 'events_2025', 'events_other'].reduce((sum, p) => sum + byName.get(`public.${p}`)!.rows, 0);
    assert.equal(eventRows, 1500);
    assert.match(byName.get('public.kinds')!.dataFile!, /^dump\/\d+\.dat(\.gz)?$/);
    assert.ok(existsSync(join(out, byName.get('public.kinds')!.dataFile!)));
    const sequences = new Map(manifest.sequences.map((s) => [`${s.schema}.${s.name}`, s.lastValue]));
    assert.equal(sequences.get('public.invoice_no'), '987654321');
    assert.equal(sequences.get('public.kinds_id_seq'), '5000');
    assert.equal(sequences.get('public.never_used'), null);
    assert.equal(manifest.largeObjects?.count, 2);
    assert.ok(manifest.files.some((f) => f.path === 'dump/toc.dat'));
    for (const file of manifest.files) assert.match(file.sha256, /^[0-9a-f]{64}$/);
    assert.equal(manifest.totalBytes, manifest.files.reduce((sum, f) => sum + f.bytes, 0));
    assert.ok(progress.some((l) => /^checksummed \d+\/8 tables/.test(l)), progress.join('\n'));
    assert.ok(!readFileSync(join(out, 'manifest.json'), 'utf8').includes(TEST_PASSWORD));

    // Writes after the snapshot are not in the dump, nor in the manifest.
    await source.server.admin(source.name, "INSERT INTO empty_table VALUES (1); SELECT nextval('invoice_no');");

    const target = source.server.url(`${source.name}_verify`);
    const result = await verifyBackup({ dir: out, target: { url: target }, env: {}, jobs: 2 });
    assert.deepEqual(result.findings, []);
    assert.equal(result.ok, true);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.checks.map((c) => c.rule), ['backup-files', 'backup-restore', 'backup-table-contents', 'backup-sequences', 'backup-large-objects', 'backup-amcheck']);
    assert.match(result.checks.find((c) => c.rule === 'backup-table-contents')!.examined, /^8 tables, 2,006 rows: /);
    assert.match(result.checks.find((c) => c.rule === 'backup-amcheck')!.examined, /^\d+ B-tree indexes: bt_index_check/);
    assert.equal(result.tables.length, 8);
    assert.ok(result.tables.every((t) => t.ok && t.checksumMatches === true));
    assert.equal(result.target.kind, 'server');
    assert.equal(result.target.keptAs, null);
    assert.ok(result.restore!.seconds > 0 && result.restore!.bytesPerSecond > 0);
    assert.deepEqual(await restoreLeftovers(source.server), []);
    const [kept] = await source.server.query<{ n: string }>('postgres', `SELECT count(*) AS n FROM pg_database WHERE datname = '${source.name}_verify'`);
    assert.equal(kept!.n, '0', 'without --keep nothing stays on the target');
    const drill = readDrillRecord(out)!;
    assert.equal(drill.ok, true);
    assert.equal(drill.restoreSeconds, result.restore!.seconds);
  });

  test('custom format restored in a temporary cluster started for the drill', async (t) => {
    const source = await manyTypesDatabase(t);
    if (!source) return;
    const out = join(scratchDir(), 'custom');
    const created = await createBackup({ connection: { url: source.url }, env: {}, out, format: 'custom' });
    assert.equal(created.manifest.dump, `${source.name}.dump`);
    assert.deepEqual(created.manifest.files.map((f) => f.path), [`${source.name}.dump`]);
    assert.ok(created.manifest.tables.every((t) => t.dataFile === null));
    const result = await verifyBackup({ dir: out, env: {} });
    assert.deepEqual(result.findings, []);
    assert.equal(result.ok, true);
    assert.equal(result.target.kind, 'temporary cluster');
    assert.ok(!existsSync(result.target.description.replace(/^temporary cluster in /, '')), 'the cluster folder is removed');
  });

  test('a target database that exists is refused; --force restores beside it; --keep --force replaces it', async (t) => {
    const source = await manyTypesDatabase(t);
    if (!source) return;
    const out = join(scratchDir(), 'backup');
    await createBackup({ connection: { url: source.url }, env: {}, out });
    const existing = `${source.name}_existing`;
    await source.server.createDatabase(existing);
    await source.server.admin(existing, 'CREATE TABLE precious (id int); INSERT INTO precious VALUES (1);');
    const target = { url: source.server.url(existing) };

    await assert.rejects(verifyBackup({ dir: out, target, env: {} }), (error: unknown) => {
      assert.ok(error instanceof UserError);
      assert.equal(error.message, `the target database ${existing} already exists on postgres://postgres@127.0.0.1:${source.server.port}/${existing}: refusing to restore over it`);
      return true;
    });
    assert.deepEqual(await restoreLeftovers(source.server), []);
    assert.equal((await source.server.query(existing, 'SELECT * FROM precious')).length, 1, 'untouched');

    const beside = await verifyBackup({ dir: out, target, env: {}, force: true });
    assert.equal(beside.ok, true);
    assert.equal((await source.server.query(existing, 'SELECT * FROM precious')).length, 1, 'without --keep the existing database stays');

    const replaced = await verifyBackup({ dir: out, target, env: {}, force: true, keep: true });
    assert.equal(replaced.ok, true);
    assert.equal(replaced.target.keptAs, existing);
    const [kinds] = await source.server.query<{ n: string }>(existing, 'SELECT count(*) AS n FROM kinds');
    assert.equal(kinds!.n, '502');
    const [amcheck] = await source.server.query<{ n: string }>(existing, "SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'pgarchitect_amcheck'");
    assert.equal(amcheck!.n, '0', 'the kept copy carries nothing of the drill');
    assert.deepEqual(await restoreLeftovers(source.server), []);
    await source.server.admin('postgres', `DROP DATABASE "${existing}"`);
  });

  test('bad input: an output folder that is not empty, --jobs with the custom format, a folder that is not a backup', async (t) => {
    const source = await manyTypesDatabase(t);
    if (!source) return;
    const dir = scratchDir();
    await assert.rejects(createBackup({ connection: { url: source.url }, env: {}, out: join(dir, '..'), format: 'directory' }), /already exists and is not empty/);
    await assert.rejects(createBackup({ connection: { url: source.url }, env: {}, out: join(dir, 'x'), format: 'custom', jobs: 2 }), /--jobs: parallel dumps need the directory format/);
    await assert.rejects(verifyBackup({ dir, env: {} }), /no manifest\.json: not a backup written by pgarchitect backup create/);
    await assert.rejects(verifyBackup({ dir, env: {}, keep: true }), /--keep needs --target/);
  });
});
