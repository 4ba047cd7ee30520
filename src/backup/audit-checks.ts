/**
 * The checks of `backup audit`, pure functions of the facts: each records what it examined (or why it
 * could not run) and reports findings with their evidence and, where there is one, the fix.
 */
import type { ObjectRef } from '../finding.js';
import type { BackupAuditFacts } from './audit-facts.js';
import type { CheckList } from './check-list.js';
import type { FoundBackup } from './dump-dir.js';
import { formatBytes } from '../tune/size.js';

export interface BackupAuditOptions {
  /** A backup (pgBackRest or dump) older than this many hours is a warning (default 26: a daily backup, with slack). */
  maxBackupAgeHours: number;
  /** Slots retaining more WAL than this many bytes are a warning (default 1 GB). */
  maxSlotRetainedBytes: number;
  /** Completed WAL files waiting to be archived before archiving counts as falling behind (default 16). */
  maxPendingSegments: number;
}

export const DEFAULT_AUDIT_OPTIONS: BackupAuditOptions = { maxBackupAgeHours: 26, maxSlotRetainedBytes: 1024 ** 3, maxPendingSegments: 16 };

export interface RecoveryObjectives {
  rpoSeconds: number | null;
  rpoBasis: string | null;
  rtoSeconds: number | null;
  rtoBasis: string | null;
}

type Facts = BackupAuditFacts;

const NO_OP_COMMANDS = /^\s*(\/bin\/true|\/usr\/bin\/true|true|:|exit 0|echo\b.*)\s*;?\s*$/;

function setting(facts: Facts, name: string): string | null {
  return facts.settings[name]?.setting ?? null;
}

function server(facts: Facts): ObjectRef {
  return { type: 'server', name: facts.server.database };
}

/** `45 s`, `12 min`, `3.5 h`, `2.1 days`. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}

/** The program an archive command runs (its first word), never the whole command: it may hold credentials. */
export function archiveProgram(command: string): string {
  const words = command.trim().split(/\s+/).filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
  return words[0] ?? '';
}

/** The archiving configuration in a few words, for the checks' evidence. */
interface Archiving {
  mode: string | null;
  command: string | null;
  library: string | null;
  /** archive_mode archives on this server (on a primary: on or always; on a standby: always). */
  active: boolean;
  /** An archive_command or archive_library is set, and it is not a no-op. */
  configured: boolean;
  failingNow: boolean;
}

function archiving(facts: Facts): Archiving {
  const mode = setting(facts, 'archive_mode');
  const command = setting(facts, 'archive_command');
  const library = setting(facts, 'archive_library');
  const active = mode === 'always' || (mode === 'on' && !facts.server.inRecovery);
  const configured = Boolean(library) || (Boolean(command) && !NO_OP_COMMANDS.test(command ?? '') && command !== '(disabled)');
  return { mode, command, library, active, configured, failingNow: facts.archiver?.failingNow === true };
}

/** Runs every check into `list`; returns the recovery objectives they imply. */
export function runAuditChecks(facts: Facts, list: CheckList, options: BackupAuditOptions = DEFAULT_AUDIT_OPTIONS): RecoveryObjectives {
  checkWalLevel(facts, list);
  checkArchiveMode(facts, list);
  checkArchiveCommand(facts, list);
  checkArchiving(facts, list, options);
  checkSlots(facts, list, options);
  checkDataChecksums(facts, list);
  checkFullPageWrites(facts, list);
  const pgbackrestAge = checkPgBackRest(facts, list, options);
  const dump = checkDumps(facts, list, options);
  checkPitr(facts, list, pgbackrestAge !== null);
  return checkObjectives(facts, list, pgbackrestAge, dump);
}

function checkWalLevel(facts: Facts, list: CheckList): void {
  const level = setting(facts, 'wal_level');
  if (level === null) return list.skip('backup-wal-level', 'wal_level is hidden from this role');
  list.ran('backup-wal-level', 'archiving', `wal_level = ${level}`);
  if (level !== 'minimal') return;
  list.report('backup-wal-level', 'archiving', {
    object: server(facts),
    severity: 'error',
    message: 'wal_level is minimal: WAL can be neither archived nor streamed, so there is no point-in-time recovery, no pg_basebackup and no standby.',
    evidence: { walLevel: level, maxWalSenders: setting(facts, 'max_wal_senders') },
    fix: { sql: "ALTER SYSTEM SET wal_level = 'replica';", safeOnline: false, note: 'takes effect after a restart' },
  });
}

function checkArchiveMode(facts: Facts, list: CheckList): void {
  const a = archiving(facts);
  if (a.mode === null) return list.skip('backup-archive-mode', 'archive_mode is hidden from this role');
  list.ran('backup-archive-mode', 'archiving', `archive_mode = ${a.mode}${facts.server.inRecovery ? ' (a standby: it archives only with archive_mode = always; the primary archives)' : ''}`);
  if (a.mode !== 'off' || facts.server.inRecovery) return;
  list.report('backup-archive-mode', 'archiving', {
    object: server(facts),
    severity: 'warning',
    message: 'archive_mode is off: no WAL is archived, so a restore can only bring back the last backup, and every change since is lost.',
    evidence: { archiveMode: a.mode, walLevel: setting(facts, 'wal_level') },
    fix: { sql: "ALTER SYSTEM SET archive_mode = 'on';\nALTER SYSTEM SET archive_command = '…'; -- your archiver: pgbackrest --stanza=… archive-push %p, wal-g wal-push %p, …", safeOnline: false, note: 'archive_mode takes effect after a restart; pick and test the archive command first' },
  });
}

function checkArchiveCommand(facts: Facts, list: CheckList): void {
  const a = archiving(facts);
  if (a.mode === null || a.mode === 'off') {
    list.ran('backup-archive-command', 'archiving', `archive_mode = ${a.mode ?? 'hidden'}: no archive command in use`);
    return;
  }
  if (a.command === null && a.library === null) return list.skip('backup-archive-command', 'archive_command and archive_library are hidden from this role (GRANT pg_read_all_settings)');
  const what = a.library ? `archive_library = ${a.library}` : a.command ? `archive_command runs ${archiveProgram(a.command)}` : 'no archive_command nor archive_library';
  list.ran('backup-archive-command', 'archiving', what);
  if (a.configured) return;
  const noOp = Boolean(a.command) && a.command !== '(disabled)';
  list.report('backup-archive-command', 'archiving', {
    object: server(facts),
    severity: 'error',
    message: noOp
      ? `archive_mode is ${a.mode} but archive_command (${archiveProgram(a.command!)}) archives nothing: WAL files are marked archived and removed, so the archive that recovery needs does not exist.`
      : `archive_mode is ${a.mode} but neither archive_command nor archive_library is set: completed WAL files pile up in pg_wal until one is set (and the disk may fill).`,
    evidence: { archiveMode: a.mode, archiveProgram: a.command ? archiveProgram(a.command) : null, archiveLibrary: a.library || null },
    fix: { sql: "ALTER SYSTEM SET archive_command = '…'; -- your archiver: pgbackrest --stanza=… archive-push %p, wal-g wal-push %p, …\nSELECT pg_reload_conf();", safeOnline: true, note: 'test the command on one WAL file by hand first' },
  });
}

function checkArchiving(facts: Facts, list: CheckList, options: BackupAuditOptions): void {
  const a = archiving(facts);
  const archiver = facts.archiver;
  if (!archiver) return list.skip('backup-archiving-working', facts.unavailable.archiver ?? 'pg_stat_archiver was not read');
  const since = archiver.statsReset ? `since ${archiver.statsReset.slice(0, 16).replace('T', ' ')}` : 'since the statistics began';
  const last = archiver.lastArchivedSeconds !== null ? `, the last ${duration(archiver.lastArchivedSeconds)} ago (${archiver.lastArchivedWal})` : ', none yet';
  list.ran('backup-archiving-working', 'archiving', `pg_stat_archiver: ${archiver.archivedCount} WAL files archived and ${archiver.failedCount} failures ${since}${last}${a.active ? '' : ` (archive_mode = ${a.mode ?? 'hidden'}: not archiving)`}`);
  const evidence = {
    archiveMode: a.mode,
    archivedCount: archiver.archivedCount,
    failedCount: archiver.failedCount,
    lastArchivedWal: archiver.lastArchivedWal,
    lastArchivedTime: archiver.lastArchivedTime,
    lastArchivedSeconds: archiver.lastArchivedSeconds === null ? null : Math.round(archiver.lastArchivedSeconds),
    lastFailedWal: archiver.lastFailedWal,
    lastFailedTime: archiver.lastFailedTime,
    currentWal: archiver.currentWal,
    pendingSegments: archiver.pendingSegments,
    statsReset: archiver.statsReset,
  };
  if (!a.active) return;
  if (archiver.failingNow) {
    list.report('backup-archiving-working', 'archiving', {
      object: server(facts),
      severity: 'error',
      message: `WAL archiving fails: ${archiver.failedCount} failures ${since}, the last on ${archiver.lastFailedWal ?? 'a WAL file'} at ${archiver.lastFailedTime?.slice(0, 19).replace('T', ' ') ?? 'an unknown time'}, and the last success was ${archiver.lastArchivedTime ? `${duration(archiver.lastArchivedSeconds ?? 0)} ago` : 'never'}; nothing written since can be recovered from the archive.`,
      evidence,
      fix: null,
    });
  } else if (archiver.pendingSegments !== null && archiver.pendingSegments >= options.maxPendingSegments) {
    list.report('backup-archiving-working', 'archiving', {
      object: server(facts),
      severity: 'warning',
      message: `WAL archiving falls behind: ${archiver.pendingSegments} completed WAL files wait to be archived (warning from ${options.maxPendingSegments}).`,
      evidence,
      fix: null,
    });
  } else if (archiver.failedCount > 0) {
    list.report('backup-archiving-working', 'archiving', {
      object: server(facts),
      severity: 'info',
      message: `WAL archiving works now, but failed ${archiver.failedCount} times ${since} (the last on ${archiver.lastFailedWal} at ${archiver.lastFailedTime?.slice(0, 19).replace('T', ' ')}); look at the server log for why.`,
      evidence,
      fix: null,
    });
  } else if (archiver.archivedCount === 0) {
    list.report('backup-archiving-working', 'archiving', {
      object: server(facts),
      severity: 'info',
      message: 'WAL archiving is on but has not archived a file yet: it is not proven to work (SELECT pg_switch_wal() makes it archive one now).',
      evidence,
      fix: { sql: 'SELECT pg_switch_wal();', safeOnline: true },
    });
  }
}

function checkSlots(facts: Facts, list: CheckList, options: BackupAuditOptions): void {
  const slots = facts.slots;
  if (!slots) return list.skip('backup-replication-slots', facts.unavailable.slots ?? 'pg_replication_slots was not read');
  const retained = slots.reduce((sum, s) => sum + (s.retainedBytes ?? 0), 0);
  list.ran('backup-replication-slots', 'replication', slots.length ? `${slots.length} replication slots (${slots.filter((s) => !s.active).length} inactive), retaining ${formatBytes(retained)} of WAL in all` : 'no replication slots');
  for (const slot of slots) {
    const bytes = slot.retainedBytes ?? 0;
    const lost = slot.walStatus === 'lost';
    if (!lost && bytes < options.maxSlotRetainedBytes && (slot.active || bytes === 0)) continue;
    list.report('backup-replication-slots', 'replication', {
      object: { type: 'replication slot', name: slot.name },
      severity: 'warning',
      message: lost
        ? `Replication slot ${slot.name} has lost the WAL its consumer needs (wal_status lost): that consumer must be rebuilt, and the slot keeps nothing useful.`
        : `Replication slot ${slot.name} (${slot.type}, ${slot.active ? 'active' : 'inactive'}) retains ${formatBytes(bytes)} of WAL in pg_wal${slot.active ? '' : ' for a consumer that is not connected'}: the disk fills while it does, whatever the archive holds.`,
      evidence: { slot: slot.name, type: slot.type, active: slot.active, retainedBytes: bytes, walStatus: slot.walStatus, safeWalBytes: slot.safeWalBytes, maxSlotWalKeepSize: setting(facts, 'max_slot_wal_keep_size'), threshold: options.maxSlotRetainedBytes },
      fix: slot.active ? null : { sql: `SELECT pg_drop_replication_slot('${slot.name.replace(/'/g, "''")}');`, safeOnline: true, note: 'only if its consumer is gone for good; otherwise reconnect the consumer' },
    });
  }
}

function checkDataChecksums(facts: Facts, list: CheckList): void {
  const value = setting(facts, 'data_checksums');
  if (value === null) return list.skip('backup-data-checksums', 'data_checksums is hidden from this role');
  list.ran('backup-data-checksums', 'integrity', `data_checksums = ${value}`);
  if (value === 'on') return;
  const dataDir = setting(facts, 'data_directory') ?? '$PGDATA';
  list.report('backup-data-checksums', 'integrity', {
    object: server(facts),
    severity: 'warning',
    message: 'data checksums are off: a page damaged on disk is read (and backed up, and restored) as if it were good; nothing tells you until the data is wrong.',
    evidence: { dataChecksums: value },
    fix: { sql: `-- with the server stopped (it rewrites every data file; on a standby set-up, on each server):\n-- pg_checksums --enable -D ${dataDir}`, safeOnline: false, note: 'pg_checksums needs the server shut down cleanly; time it on a copy first (it reads and writes the whole cluster)' },
  });
}

function checkFullPageWrites(facts: Facts, list: CheckList): void {
  const value = setting(facts, 'full_page_writes');
  if (value === null) return list.skip('backup-full-page-writes', 'full_page_writes is hidden from this role');
  list.ran('backup-full-page-writes', 'integrity', `full_page_writes = ${value}`);
  if (value === 'on') return;
  list.report('backup-full-page-writes', 'integrity', {
    object: server(facts),
    severity: 'error',
    message: 'full_page_writes is off: a crash during a page write can leave a torn page that WAL replay cannot repair, in the server and in any backup restored from its WAL.',
    evidence: { fullPageWrites: value },
    fix: { sql: "ALTER SYSTEM SET full_page_writes = 'on';\nSELECT pg_reload_conf();", safeOnline: true },
  });
}

/** Seconds since the last good pgBackRest backup, or null when none is known. */
function checkPgBackRest(facts: Facts, list: CheckList, options: BackupAuditOptions): number | null {
  const info = facts.pgbackrest;
  if (!info) {
    list.skip('backup-pgbackrest', 'no --pgbackrest-stanza given: pgBackRest backups were not examined');
    return null;
  }
  if (!info.ok) {
    list.skip('backup-pgbackrest', info.reason);
    return null;
  }
  const stanza = info.stanza;
  const now = Date.parse(facts.server.takenAt) / 1000;
  const good = stanza.backups.filter((b) => !b.error);
  const latest = good[good.length - 1];
  list.ran('backup-pgbackrest', 'archiving', `pgBackRest stanza ${stanza.name}: status ${stanza.statusCode} (${stanza.statusMessage}), ${stanza.backups.length} backups${latest ? `, the last (${latest.label}, ${latest.type}) ${duration(now - latest.stoppedAt)} ago` : ''}`);
  const object: ObjectRef = { type: 'server', name: facts.server.database };
  const evidence = { stanza: stanza.name, statusCode: stanza.statusCode, statusMessage: stanza.statusMessage, backups: stanza.backups.length, lastBackup: latest?.label ?? null, lastBackupType: latest?.type ?? null, lastBackupStoppedAt: latest ? new Date(latest.stoppedAt * 1000).toISOString() : null, archiveMin: stanza.archiveMin, archiveMax: stanza.archiveMax };
  if (stanza.statusCode !== 0) {
    list.report('backup-pgbackrest', 'archiving', { object, severity: 'error', message: `pgBackRest stanza ${stanza.name} reports status ${stanza.statusCode}: ${stanza.statusMessage}.`, evidence, key: 'status', fix: null });
  }
  if (!latest) {
    if (stanza.statusCode === 0) list.report('backup-pgbackrest', 'archiving', { object, severity: 'error', message: `pgBackRest stanza ${stanza.name} has no valid backup.`, evidence, key: 'none', fix: null });
    return null;
  }
  const age = now - latest.stoppedAt;
  if (age > options.maxBackupAgeHours * 3600) {
    list.report('backup-pgbackrest', 'archiving', {
      object,
      severity: 'warning',
      message: `The last pgBackRest backup of stanza ${stanza.name} (${latest.label}) finished ${duration(age)} ago (warning from ${options.maxBackupAgeHours} h): a restore replays all the WAL since.`,
      evidence: { ...evidence, ageSeconds: Math.round(age), maxAgeHours: options.maxBackupAgeHours },
      key: 'age',
      fix: null,
    });
  }
  return age;
}

/** The latest dump of this database in --dump-dir, with its age, or null. */
function checkDumps(facts: Facts, list: CheckList, options: BackupAuditOptions): { backup: FoundBackup; ageSeconds: number; drilled: FoundBackup | null } | null {
  const dumps = facts.dumps;
  if (dumps === null) {
    list.skip('backup-last-dump', 'no --dump-dir given: dumps were not examined');
    return null;
  }
  if (typeof dumps === 'string') {
    list.skip('backup-last-dump', dumps);
    return null;
  }
  const object: ObjectRef = { type: 'database', name: facts.server.database };
  const mine = dumps.backups.filter((b) => b.database === facts.server.database);
  const others = [...new Set(dumps.backups.filter((b) => b.database !== facts.server.database).map((b) => b.database))];
  list.ran('backup-last-dump', 'archiving', `${dumps.dir}: ${dumps.backups.length} backup${dumps.backups.length === 1 ? '' : 's'} (${mine.length} of database ${facts.server.database})${dumps.unreadable.length ? `, ${dumps.unreadable.length} unreadable` : ''}`);
  for (const bad of dumps.unreadable) {
    list.report('backup-last-dump', 'archiving', { object, severity: 'warning', message: `The backup in ${bad.dir} cannot be used: ${bad.reason}`, evidence: { dir: bad.dir }, key: bad.dir, fix: null });
  }
  const latest = mine[mine.length - 1];
  if (!latest) {
    list.report('backup-last-dump', 'archiving', {
      object,
      severity: 'error',
      message: `No backup of database ${facts.server.database} in ${dumps.dir}${others.length ? ` (only of ${others.join(', ')})` : ''}.`,
      evidence: { dir: dumps.dir, backups: dumps.backups.length, databases: others },
      key: 'none',
      fix: null,
    });
    return null;
  }
  const now = Date.parse(facts.server.takenAt);
  const age = (now - Date.parse(latest.createdAt)) / 1000;
  const evidence = { dir: latest.dir, createdAt: latest.createdAt, ageSeconds: Math.round(age), totalBytes: latest.totalBytes, tables: latest.tables, lastDrill: latest.drill?.verifiedAt ?? null, lastDrillOk: latest.drill?.ok ?? null };
  if (age > options.maxBackupAgeHours * 3600) {
    list.report('backup-last-dump', 'archiving', { object, severity: 'warning', message: `The last backup of database ${facts.server.database} (${latest.dir}) was taken ${duration(age)} ago (warning from ${options.maxBackupAgeHours} h).`, evidence: { ...evidence, maxAgeHours: options.maxBackupAgeHours }, key: 'age', fix: null });
  }
  if (!latest.drill) {
    list.report('backup-last-dump', 'archiving', { object, severity: 'warning', message: `The last backup of database ${facts.server.database} (${latest.dir}) has never been restored: run pgarchitect backup verify ${latest.dir}.`, evidence, key: 'drill', fix: null });
  } else if (!latest.drill.ok) {
    list.report('backup-last-dump', 'archiving', { object, severity: 'error', message: `The last restore drill of ${latest.dir} (${latest.drill.verifiedAt.slice(0, 19).replace('T', ' ')}) failed: that backup does not restore correctly.`, evidence, key: 'drill', fix: null });
  }
  const drilled = [...mine].reverse().find((b) => b.drill?.ok) ?? null;
  return { backup: latest, ageSeconds: age, drilled };
}

function checkPitr(facts: Facts, list: CheckList, baseBackupKnown: boolean): void {
  const a = archiving(facts);
  const level = setting(facts, 'wal_level');
  const missing: string[] = [];
  if (level === 'minimal') missing.push('wal_level is minimal');
  if (!a.active) missing.push(facts.server.inRecovery ? `this standby does not archive (archive_mode = ${a.mode ?? 'hidden'}); check the primary` : `archive_mode is ${a.mode ?? 'hidden'}`);
  else if (!a.configured) missing.push('no working archive_command or archive_library');
  else if (a.failingNow) missing.push('archiving is failing now');
  const evidence = { walLevel: level, archiveMode: a.mode, archiveConfigured: a.configured, archivingFailing: a.failingNow, baseBackupExamined: baseBackupKnown };
  list.ran('backup-pitr', 'archiving', missing.length ? `not possible: ${missing.join('; ')}` : `WAL is archived${baseBackupKnown ? ' and a base backup exists (pgBackRest)' : '; a base backup is needed too, not examined (give --pgbackrest-stanza)'}`);
  if (!missing.length) return;
  list.report('backup-pitr', 'archiving', {
    object: server(facts),
    severity: facts.server.inRecovery ? 'info' : 'warning',
    message: `Point-in-time recovery is not possible: ${missing.join('; ')}. A mistake (a DROP, a bad UPDATE) can only be undone back to the last full backup.`,
    evidence,
    fix: null,
  });
}

function checkObjectives(facts: Facts, list: CheckList, pgbackrestAge: number | null, dump: ReturnType<typeof checkDumps>): RecoveryObjectives {
  const a = archiving(facts);
  const archiver = facts.archiver;
  const timeout = Number(setting(facts, 'archive_timeout') ?? 0);
  let rpo: number | null = null;
  let rpoBasis: string;
  const backupAge = [pgbackrestAge, dump?.ageSeconds ?? null].filter((s): s is number => s !== null).sort((x, y) => x - y)[0] ?? null;
  if (a.active && a.configured && archiver && !a.failingNow) {
    const lag = archiver.pendingSegments && archiver.lastArchivedSeconds !== null ? archiver.lastArchivedSeconds : 0;
    if (timeout > 0) {
      rpo = Math.max(timeout, lag);
      rpoBasis = lag > timeout ? `WAL archiving lag (${archiver.pendingSegments} WAL files waiting)` : `archive_timeout = ${timeout} s`;
    } else {
      rpoBasis = 'unbounded: archive_timeout is 0, so a WAL file is archived only once full; a quiet server may keep minutes or hours of commits unarchived';
    }
  } else if (a.active && archiver?.failingNow) {
    rpo = archiver.lastArchivedSeconds ?? backupAge;
    rpoBasis =
      archiver.lastArchivedSeconds !== null
        ? 'archiving fails: everything since the last archived WAL file'
        : backupAge !== null
          ? 'archiving has never worked: everything since the last backup'
          : 'unknown: archiving has never worked, and no backup was examined (give --dump-dir or --pgbackrest-stanza)';
  } else if (backupAge !== null) {
    rpo = backupAge;
    rpoBasis = 'no WAL archive: everything since the last backup';
  } else {
    rpoBasis = 'unknown: no WAL archive, and no backup was examined (give --dump-dir or --pgbackrest-stanza)';
  }
  list.ran('backup-rpo', 'archiving', `recovery point objective: ${rpo === null ? rpoBasis : `up to ${duration(rpo)} of commits (${rpoBasis})`}`);
  if (rpo === null) {
    list.report('backup-rpo', 'archiving', {
      object: server(facts),
      severity: 'warning',
      message: `The recovery point objective is ${rpoBasis}.`,
      evidence: { archiveTimeout: timeout, archiveMode: a.mode, pendingSegments: archiver?.pendingSegments ?? null },
      fix: timeout === 0 && a.active ? { sql: "ALTER SYSTEM SET archive_timeout = '5min';\nSELECT pg_reload_conf();", safeOnline: true, note: 'each forced switch archives a whole WAL file (16 MB), mostly empty on a quiet server' } : null,
    });
  }

  let rto: number | null = null;
  let rtoBasis: string;
  const drill = dump?.drilled?.drill ?? null;
  if (drill && drill.bytesPerSecond > 0) {
    rto = facts.databaseBytes / drill.bytesPerSecond;
    rtoBasis = `${formatBytes(facts.databaseBytes)} at the ${formatBytes(drill.bytesPerSecond)}/s measured by the restore drill of ${drill.verifiedAt.slice(0, 10)} (pg_restore, ${drill.jobs} job${drill.jobs === 1 ? '' : 's'}, ${drill.target.kind})`;
  } else {
    rtoBasis = dump === null ? 'unknown: no restore drill was examined (give --dump-dir with backups that pgarchitect backup verify has restored)' : 'unknown: no backup in --dump-dir has passed a restore drill (pgarchitect backup verify)';
  }
  list.ran('backup-rto', 'archiving', `recovery time objective: ${rto === null ? rtoBasis : `about ${duration(rto)} to restore ${rtoBasis}`}`);
  if (rto === null) {
    list.report('backup-rto', 'archiving', { object: server(facts), severity: 'info', message: `The recovery time objective is ${rtoBasis}.`, evidence: { databaseBytes: facts.databaseBytes }, fix: null });
  }
  return { rpoSeconds: rpo === null ? null : Math.round(rpo), rpoBasis, rtoSeconds: rto === null ? null : Math.round(rto * 1000) / 1000, rtoBasis };
}
