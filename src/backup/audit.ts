/**
 * `backup audit`: the backup posture of a running server, read in one READ ONLY repeatable-read
 * transaction bounded by statement_timeout and lock_timeout (the catalogs and statistics views only,
 * never a user table), plus pgBackRest's view of a stanza and the backups of a dump folder when given.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import type { ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import { DEFAULT_AUDIT_OPTIONS, runAuditChecks, type BackupAuditOptions } from './audit-checks.js';
import { readServerBackupFacts, type BackupAuditFacts } from './audit-facts.js';
import { CheckList } from './check-list.js';
import { readDumpDir } from './dump-dir.js';
import { readPgBackRestInfo } from './pgbackrest-info.js';
import { BACKUP_RESULT_SCHEMA_VERSION, type BackupAuditResult } from './result.js';

export interface AuditBackupsOptions extends ConnectionLimits {
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** A pgBackRest stanza: `pgbackrest info` is run for it on this machine. */
  pgbackrestStanza?: string;
  /** A folder of backups written by `backup create` (or one backup folder). */
  dumpDir?: string;
  thresholds?: Partial<BackupAuditOptions>;
}

/** Connects (read only), reads, checks, disconnects. */
export async function auditBackups(options: AuditBackupsOptions = {}): Promise<BackupAuditResult> {
  const env = options.env ?? process.env;
  if (options.dumpDir !== undefined && !(existsSync(options.dumpDir) && statSync(options.dumpDir).isDirectory())) {
    throw new UserError(`--dump-dir: ${options.dumpDir} is not a folder`, 'give the folder that holds the backups written by pgarchitect backup create');
  }
  const connection = { ...options.connection, statementTimeoutMs: options.statementTimeoutMs ?? options.connection?.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs ?? options.connection?.lockTimeoutMs };
  const db = await LiveDb.connect({ ...connection, env });
  let serverFacts;
  try {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    serverFacts = await readServerBackupFacts(db);
    await db.query('COMMIT');
  } finally {
    await db.close();
  }
  const facts: BackupAuditFacts = {
    ...serverFacts,
    pgbackrest: options.pgbackrestStanza ? readPgBackRestInfo(options.pgbackrestStanza, env) : null,
    dumps: options.dumpDir === undefined ? null : readDumps(resolve(options.dumpDir)),
  };
  return auditOfFacts(facts, describeConnection(connection, env), options.thresholds);
}

function readDumps(dir: string): BackupAuditFacts['dumps'] {
  try {
    return readDumpDir(dir);
  } catch (error) {
    return `${dir} could not be read: ${(error as Error).message}`;
  }
}

/** The audit of facts already read (pure). */
export function auditOfFacts(facts: BackupAuditFacts, description: string, thresholds: Partial<BackupAuditOptions> = {}): BackupAuditResult {
  const list = new CheckList();
  const objectives = runAuditChecks(facts, list, { ...DEFAULT_AUDIT_OPTIONS, ...thresholds });
  const report = list.done();
  return {
    schemaVersion: BACKUP_RESULT_SCHEMA_VERSION,
    tool: { name: 'pgarchitect', version: VERSION },
    source: {
      kind: 'live',
      description,
      database: facts.server.database,
      serverVersion: facts.server.version,
      serverVersionNum: facts.server.versionNum,
      standby: facts.server.inRecovery,
      user: facts.server.user,
      takenAt: facts.server.takenAt,
    },
    objectives,
    ...report,
    notices: [],
  };
}
