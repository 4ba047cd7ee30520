/**
 * backup audit on real servers: the test server as the harness runs it (archive_mode off,
 * full_page_writes off, no data checksums), with a slot, pgBackRest absent and a dump folder; then a
 * server of its own with archive_mode on and an archive_command that copies into a folder the test
 * controls: failing (with its failure count), then working.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { auditBackups } from '../../src/backup/audit.js';
import { createBackup } from '../../src/backup/create-backup.js';
import type { BackupAuditResult } from '../../src/backup/result.js';
import { verifyBackup } from '../../src/backup/verify-backup.js';
import { waitFor } from '../health/live-sessions.js';
import { requireServer, requireStarted, startServer, type TestServer } from '../support/pg-server.js';
import { scratchDir } from './helpers.js';

const messagesOf = (result: BackupAuditResult, rule: string): string[] => result.findings.filter((f) => f.rule === rule).map((f) => f.message);
const examined = (result: BackupAuditResult, rule: string): string | undefined => result.checks.find((c) => c.rule === rule)?.examined;
const skippedReason = (result: BackupAuditResult, rule: string): string | undefined => result.skipped.find((s) => s.rule === rule)?.reason;

describe('backup audit', () => {
  test('archiving off: no PITR, full_page_writes off, no checksums, RPO unknown; pgBackRest and dumps said not examined', async (t) => {
    const server = await requireServer(t);
    if (!server) return;
    const url = await server.createDatabase(`audit_${process.pid}`);
    const result = await auditBackups({ connection: { url }, env: {} });
    assert.equal(result.source.database, `audit_${process.pid}`);
    assert.deepEqual(messagesOf(result, 'backup-archive-mode'), ['archive_mode is off: no WAL is archived, so a restore can only bring back the last backup, and every change since is lost.']);
    assert.equal(result.findings.find((f) => f.rule === 'backup-archive-mode')!.severity, 'warning');
    assert.deepEqual(messagesOf(result, 'backup-pitr'), ['Point-in-time recovery is not possible: archive_mode is off. A mistake (a DROP, a bad UPDATE) can only be undone back to the last full backup.']);
    assert.equal(result.findings.find((f) => f.rule === 'backup-full-page-writes')!.severity, 'error');
    assert.match(result.findings.find((f) => f.rule === 'backup-full-page-writes')!.fix!.sql, /ALTER SYSTEM SET full_page_writes = 'on';/);
    assert.match(result.findings.find((f) => f.rule === 'backup-data-checksums')!.fix!.sql, /pg_checksums --enable -D \/.+\/data/);
    assert.deepEqual(messagesOf(result, 'backup-archiving-working'), [], 'nothing to judge with archiving off');
    assert.match(examined(result, 'backup-archiving-working')!, /^pg_stat_archiver: 0 WAL files archived and 0 failures since .*\(archive_mode = off: not archiving\)$/);
    assert.equal(examined(result, 'backup-wal-level'), 'wal_level = replica');
    assert.equal(examined(result, 'backup-archive-command'), 'archive_mode = off: no archive command in use');
    assert.deepEqual(messagesOf(result, 'backup-rpo'), ['The recovery point objective is unknown: no WAL archive, and no backup was examined (give --dump-dir or --pgbackrest-stanza).']);
    assert.equal(result.objectives.rpoSeconds, null);
    assert.equal(result.objectives.rtoSeconds, null);
    assert.equal(skippedReason(result, 'backup-pgbackrest'), 'no --pgbackrest-stanza given: pgBackRest backups were not examined');
    assert.equal(skippedReason(result, 'backup-last-dump'), 'no --dump-dir given: dumps were not examined');

    const noBackRest = await auditBackups({ connection: { url }, env: { PATH: '/nonexistent' }, pgbackrestStanza: 'main' });
    assert.equal(skippedReason(noBackRest, 'backup-pgbackrest'), 'pgBackRest is not installed here (no pgbackrest on PATH): its backups were not examined');
  });

  test('a replication slot that retains WAL with nobody connected: named, with its retained bytes and the drop', async (t) => {
    const server = await requireServer(t);
    if (!server) return;
    const slot = `audit_slot_${process.pid}`;
    await server.admin('postgres', `SELECT pg_create_physical_replication_slot('${slot}', true)`);
    try {
      await server.admin('postgres', 'CREATE TABLE IF NOT EXISTS audit_churn AS SELECT 1 AS x; SELECT pg_switch_wal();');
      const result = await auditBackups({ connection: { url: server.url() }, env: {} });
      const finding = result.findings.find((f) => f.rule === 'backup-replication-slots' && f.object.name === slot)!;
      assert.ok(finding, JSON.stringify(result.findings));
      assert.match(finding.message, new RegExp(`^Replication slot ${slot} \\(physical, inactive\\) retains .+ of WAL in pg_wal for a consumer that is not connected`));
      assert.ok((finding.evidence.retainedBytes as number) > 0);
      assert.equal(finding.fix!.sql, `SELECT pg_drop_replication_slot('${slot}');`);
      assert.match(examined(result, 'backup-replication-slots')!, /^\d+ replication slots \(\d+ inactive\), retaining .+ of WAL in all$/);
    } finally {
      await server.admin('postgres', `SELECT pg_drop_replication_slot('${slot}')`);
    }
  });

  test('--dump-dir: the last dump and its age; never restored, then restored: the RTO from the drill\'s measured speed', async (t) => {
    const server = await requireServer(t);
    if (!server) return;
    const name = `audit_dump_${process.pid}`;
    const url = await server.createDatabase(name);
    await server.admin(name, 'CREATE TABLE t AS SELECT generate_series(1, 1000) AS id');
    const dumps = scratchDir();
    await createBackup({ connection: { url }, env: {}, out: join(dumps, '2026-01-01'), format: 'custom' });
    const before = await auditBackups({ connection: { url }, env: {}, dumpDir: dumps });
    assert.match(examined(before, 'backup-last-dump')!, new RegExp(`: 1 backup \\(1 of database ${name}\\)$`));
    assert.deepEqual(messagesOf(before, 'backup-last-dump'), [`The last backup of database ${name} (${join(dumps, '2026-01-01')}) has never been restored: run pgarchitect backup verify ${join(dumps, '2026-01-01')}.`]);
    assert.match(before.objectives.rpoBasis!, /^no WAL archive: everything since the last backup$/);
    assert.ok(before.objectives.rpoSeconds !== null && before.objectives.rpoSeconds >= 0, JSON.stringify(before.objectives));
    assert.match(before.objectives.rtoBasis!, /^unknown: no backup in --dump-dir has passed a restore drill/);

    const verified = await verifyBackup({ dir: join(dumps, '2026-01-01'), target: { url: server.url(`${name}_verify`) }, env: {} });
    assert.equal(verified.ok, true);
    const after = await auditBackups({ connection: { url }, env: {}, dumpDir: dumps });
    assert.deepEqual(messagesOf(after, 'backup-last-dump'), []);
    assert.deepEqual(messagesOf(after, 'backup-rto'), []);
    assert.ok(after.objectives.rtoSeconds !== null && after.objectives.rtoSeconds >= 0, JSON.stringify(after.objectives));
    assert.match(after.objectives.rtoBasis!, /^.+ at the .+\/s measured by the restore drill of \d{4}-\d\d-\d\d \(pg_restore, 1 job, server\)$/);
    assert.match(examined(after, 'backup-rto')!, /^recovery time objective: about .+ to restore /);

    const other = await auditBackups({ connection: { url: server.url() }, env: {}, dumpDir: dumps });
    assert.deepEqual(messagesOf(other, 'backup-last-dump'), [`No backup of database postgres in ${dumps} (only of ${name}).`]);
  });
});

describe('backup audit: archiving on, on a server of its own', () => {
  let server: TestServer | null = null;
  let starting: Promise<TestServer> | undefined;
  const folder = mkdtempSync(join(tmpdir(), 'pgarchitect-audit-archive-'));
  const archive = join(folder, 'archive');
  const works = join(folder, 'archiving-works');
  before(() => {
    chmodSync(folder, 0o777);
    starting = startServer({
      settings: { archive_mode: 'on', archive_command: `'test -e ${works} && mkdir -p ${archive} && cp %p ${archive}/%f'`, archive_timeout: '300', full_page_writes: 'on' },
    });
    starting.catch(() => undefined);
  });
  after(() => {
    server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  test('failing: an error with its failure count, no PITR; then working: archived files, the failures remembered, RPO from archive_timeout', async (t) => {
    server = await requireStarted(t, () => starting!);
    if (!server) return;
    const s = server;
    await s.admin('postgres', 'CREATE TABLE t AS SELECT generate_series(1, 1000) AS id; SELECT pg_switch_wal();');
    await waitFor('a failed archiving attempt', async () => Number((await s.query<{ n: string }>('postgres', 'SELECT failed_count AS n FROM pg_stat_archiver'))[0]!.n) > 0, 20_000);
    const failing = await auditBackups({ connection: { url: s.url() }, env: {} });
    const [error, ...more] = failing.findings.filter((f) => f.rule === 'backup-archiving-working');
    assert.equal(more.length, 0);
    assert.equal(error!.severity, 'error');
    assert.match(error!.message, /^WAL archiving fails: [1-9]\d* failures since .+, the last on [0-9A-F]{24} at .+, and the last success was never; nothing written since can be recovered from the archive\.$/);
    assert.ok((error!.evidence.failedCount as number) >= 1);
    assert.equal(error!.evidence.archivedCount, 0);
    assert.deepEqual(messagesOf(failing, 'backup-archive-mode'), []);
    assert.equal(examined(failing, 'backup-archive-command'), 'archive_command runs test');
    assert.deepEqual(messagesOf(failing, 'backup-pitr'), ['Point-in-time recovery is not possible: archiving is failing now. A mistake (a DROP, a bad UPDATE) can only be undone back to the last full backup.']);
    assert.deepEqual(messagesOf(failing, 'backup-full-page-writes'), []);
    assert.equal(failing.objectives.rpoSeconds, null);
    assert.ok(!JSON.stringify(failing).includes(archive), 'the archive command is never shown whole');

    writeFileSync(works, '');
    await s.admin('postgres', 'INSERT INTO t SELECT generate_series(1, 1000); SELECT pg_switch_wal();');
    await waitFor('an archived WAL file', async () => Number((await s.query<{ n: string }>('postgres', 'SELECT archived_count AS n FROM pg_stat_archiver'))[0]!.n) > 0, 30_000);
    assert.ok(readdirSync(archive).some((f) => /^[0-9A-F]{24}$/.test(f)));
    const working = await auditBackups({ connection: { url: s.url() }, env: {} });
    const [info, ...others] = working.findings.filter((f) => f.rule === 'backup-archiving-working');
    assert.equal(others.length, 0);
    assert.equal(info!.severity, 'info');
    assert.match(info!.message, /^WAL archiving works now, but failed [1-9]\d* times since .+ \(the last on [0-9A-F]{24} at .+\); look at the server log for why\.$/);
    assert.match(examined(working, 'backup-archiving-working')!, /^pg_stat_archiver: [1-9]\d* WAL files archived and [1-9]\d* failures since .+, the last \d+ s ago \([0-9A-F]{24}\)$/);
    assert.deepEqual(messagesOf(working, 'backup-pitr'), []);
    assert.match(examined(working, 'backup-pitr')!, /^WAL is archived; a base backup is needed too, not examined \(give --pgbackrest-stanza\)$/);
    assert.equal(working.objectives.rpoSeconds, 300);
    assert.equal(working.objectives.rpoBasis, 'archive_timeout = 300 s');
    assert.deepEqual(working.findings.filter((f) => f.severity === 'error').map((f) => f.rule), []);
  });
});
