/**
 * The audit's checks over facts built by hand, for what the test servers cannot show: pgBackRest's
 * view of a stanza (pgbackrest is not installed here; its JSON is parsed as it prints it), wal_level
 * minimal, a no-op archive_command, and the program finder's message when no pg_dump is new enough.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BackupAuditFacts } from '../../src/backup/audit-facts.js';
import { auditOfFacts } from '../../src/backup/audit.js';
import { parsePgBackRestInfo } from '../../src/backup/pgbackrest-info.js';
import { findPgTool } from '../../src/backup/pg-tools.js';
import { UserError } from '../../src/errors.js';
import { healthFacts } from '../health/facts-fixture.js';

/** `pgbackrest --stanza=main info --output=json` as pgBackRest 2.x prints it (trimmed to the fields read). */
const INFO = JSON.stringify([
  {
    name: 'main',
    status: { code: 0, message: 'ok', lock: { backup: { held: false } } },
    archive: [{ database: { id: 1, 'repo-key': 1 }, id: '15-1', min: '000000010000000000000003', max: '00000001000000000000002A' }],
    backup: [
      { label: '20260529-010000F', type: 'full', error: false, timestamp: { start: 1780016400, stop: 1780017000 } },
      { label: '20260530-010000F_20260530-010000I', type: 'incr', error: false, timestamp: { start: 1780102800, stop: 1780103100 } },
    ],
  },
]);

function facts(overrides: Partial<Omit<BackupAuditFacts, 'settings'>> & { settings?: Record<string, string> } = {}): BackupAuditFacts {
  const { settings, ...rest } = overrides;
  const health = healthFacts({ settings: { archive_mode: 'on', archive_command: 'pgbackrest --stanza=main archive-push %p', archive_timeout: '60', full_page_writes: 'on', data_checksums: 'on', ...settings } });
  return {
    server: health.server,
    settings: health.settings,
    archiver: { ...health.archiver!, archivedCount: 40, lastArchivedWal: '000000010000000000000029', lastArchivedSeconds: 20, lastArchivedTime: '2026-06-01T11:59:40.000+00:00', currentWal: '00000001000000000000002A', pendingSegments: 0 },
    slots: [],
    unavailable: {},
    databaseBytes: 10 * 1024 ** 3,
    pgbackrest: null,
    dumps: null,
    ...rest,
  };
}

describe('backup audit checks (facts by hand)', () => {
  test('pgBackRest info: the stanza, its backups, the age of the last one against --max-backup-age', () => {
    const info = parsePgBackRestInfo(INFO, 'main');
    assert.ok(info.ok);
    assert.deepEqual(info.stanza.backups.map((b) => b.label), ['20260529-010000F', '20260530-010000F_20260530-010000I']);
    assert.equal(info.stanza.archiveMax, '00000001000000000000002A');
    // The facts' server clock reads 2026-06-01 12:00 UTC: the incremental finished about 2.5 days before.
    const result = auditOfFacts(facts({ pgbackrest: info }), 'postgres://test/shop');
    const [age] = result.findings.filter((f) => f.rule === 'backup-pgbackrest');
    assert.equal(age!.severity, 'warning');
    assert.match(age!.message, /^The last pgBackRest backup of stanza main \(20260530-010000F_20260530-010000I\) finished 2\.\d days ago \(warning from 26 h\): a restore replays all the WAL since\.$/);
    assert.match(result.checks.find((c) => c.rule === 'backup-pgbackrest')!.examined, /^pgBackRest stanza main: status 0 \(ok\), 2 backups, the last \(20260530-010000F_20260530-010000I, incr\) 2\.\d days ago$/);
    assert.match(result.checks.find((c) => c.rule === 'backup-pitr')!.examined, /^WAL is archived and a base backup exists \(pgBackRest\)$/);
    assert.deepEqual(result.findings.filter((f) => f.rule === 'backup-pitr'), []);
    assert.equal(result.objectives.rpoSeconds, 60);
    const relaxed = auditOfFacts(facts({ pgbackrest: info }), 'postgres://test/shop', { maxBackupAgeHours: 24 * 7 });
    assert.deepEqual(relaxed.findings.filter((f) => f.rule === 'backup-pgbackrest'), []);
  });

  test('pgBackRest: a stanza in error (no valid backups), an unknown stanza', () => {
    const broken = parsePgBackRestInfo(JSON.stringify([{ name: 'main', status: { code: 2, message: 'no valid backups' }, backup: [], archive: [] }]), 'main');
    const result = auditOfFacts(facts({ pgbackrest: broken }), 'x');
    assert.deepEqual(result.findings.filter((f) => f.rule === 'backup-pgbackrest').map((f) => [f.severity, f.message]), [['error', 'pgBackRest stanza main reports status 2: no valid backups.']]);
    const unknown = parsePgBackRestInfo(INFO, 'other');
    assert.deepEqual(unknown, { ok: false, installed: true, reason: 'pgbackrest info knows no stanza other (it knows main)' });
    assert.equal(auditOfFacts(facts({ pgbackrest: unknown }), 'x').skipped.find((s) => s.rule === 'backup-pgbackrest')!.reason, 'pgbackrest info knows no stanza other (it knows main)');
  });

  test('wal_level minimal, and an archive_command that archives nothing: errors with the fix', () => {
    const minimal = auditOfFacts(facts({ settings: { wal_level: 'minimal', archive_mode: 'off' } }), 'x');
    const level = minimal.findings.find((f) => f.rule === 'backup-wal-level')!;
    assert.equal(level.severity, 'error');
    assert.equal(level.fix!.sql, "ALTER SYSTEM SET wal_level = 'replica';");
    assert.match(minimal.findings.find((f) => f.rule === 'backup-pitr')!.message, /^Point-in-time recovery is not possible: wal_level is minimal; archive_mode is off\./);

    const noOp = auditOfFacts(facts({ settings: { archive_command: '/bin/true' } }), 'x');
    const command = noOp.findings.find((f) => f.rule === 'backup-archive-command')!;
    assert.equal(command.severity, 'error');
    assert.match(command.message, /^archive_mode is on but archive_command \(\/bin\/true\) archives nothing/);
    assert.match(noOp.findings.find((f) => f.rule === 'backup-pitr')!.message, /not possible: no working archive_command or archive_library/);

    const empty = auditOfFacts(facts({ settings: { archive_command: '' } }), 'x');
    assert.match(empty.findings.find((f) => f.rule === 'backup-archive-command')!.message, /^archive_mode is on but neither archive_command nor archive_library is set/);
  });

  test('archive_timeout 0: the RPO is unbounded, with the setting that bounds it', () => {
    const result = auditOfFacts(facts({ settings: { archive_timeout: '0' } }), 'x');
    const rpo = result.findings.find((f) => f.rule === 'backup-rpo')!;
    assert.equal(rpo.severity, 'warning');
    assert.match(rpo.message, /^The recovery point objective is unbounded: archive_timeout is 0/);
    assert.match(rpo.fix!.sql, /ALTER SYSTEM SET archive_timeout = '5min';/);
    assert.equal(result.objectives.rpoSeconds, null);
  });

  test('no pg_dump of the major needed: one line that says which major, and what was found', () => {
    assert.throws(
      () => findPgTool('pg_dump', 99, 'backup create (the server is PostgreSQL 99.0)'),
      (error: unknown) => error instanceof UserError && /^backup create \(the server is PostgreSQL 99\.0\) needs pg_dump of PostgreSQL 99 or newer; (found only pg_dump \d+ \(.+\)|no pg_dump found)$/.test(error.message) && /postgresql-client-99/.test(error.hint ?? ''),
    );
  });
});
