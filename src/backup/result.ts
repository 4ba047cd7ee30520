/**
 * The results of `backup audit` and `backup verify`: the contract of their `--format json`.
 * `schemaVersion` changes only when a field is renamed or removed; new fields may appear any time.
 */
import type { Finding } from '../finding.js';
import type { ReviewSummary, SkippedRule } from '../result.js';
import type { BackupCheck } from './check-list.js';
import type { DumpFormat } from './manifest.js';

export const BACKUP_RESULT_SCHEMA_VERSION = 1;

/** `backup audit`: the server's backup posture. */
export interface BackupAuditResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: {
    kind: 'live';
    /** The server, without password. */
    description: string;
    database: string;
    serverVersion: string;
    serverVersionNum: number;
    standby: boolean;
    user: string;
    /** The server's clock when read (ISO 8601). */
    takenAt: string;
  };
  /** The recovery objectives the posture implies; null parts are unknown (the reason is in the finding). */
  objectives: {
    /** Seconds of committed writes a loss of the server may lose at worst, now. */
    rpoSeconds: number | null;
    /** What bounds it: `archive_timeout`, `WAL archiving lag`, `last dump`, ... */
    rpoBasis: string | null;
    /** Seconds a restore is expected to take, from a measured drill. */
    rtoSeconds: number | null;
    rtoBasis: string | null;
  };
  summary: ReviewSummary;
  findings: Finding[];
  /** Every check that ran, with what it examined. */
  checks: BackupCheck[];
  /** Checks that could not run, and why (no stanza given, pgBackRest not installed, privilege). */
  skipped: SkippedRule[];
  notices: string[];
}

/** One table of the manifest, compared with its restored copy. */
export interface TableVerification {
  schema: string;
  name: string;
  expectedRows: number;
  /** Null when the table is missing from the restored database. */
  restoredRows: number | null;
  /** Null when the table is missing. */
  checksumMatches: boolean | null;
  dataFile: string | null;
  ok: boolean;
}

/** `backup verify`: a restore drill. `ok` is true when no check found anything at error level; checks that could not run (amcheck missing on the target, large objects not readable) are listed in `skipped`. */
export interface BackupVerifyResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  ok: boolean;
  backup: {
    dir: string;
    database: string;
    createdAt: string;
    format: DumpFormat;
    serverVersion: string;
    files: number;
    totalBytes: number;
  };
  target: {
    kind: 'server' | 'temporary cluster';
    description: string;
    serverVersion: string;
    /** The database the restore went into (dropped at the end unless kept). */
    scratchDatabase: string;
    /** The name it was kept under (--keep), else null. */
    keptAs: string | null;
  };
  restore: {
    pgRestore: string;
    jobs: number;
    exitCode: number | null;
    /** pg_restore's wall-clock seconds: the measured recovery time. */
    seconds: number;
    databaseBytes: number;
    bytesPerSecond: number;
    errors: string[];
  } | null;
  tables: TableVerification[];
  summary: ReviewSummary;
  findings: Finding[];
  checks: BackupCheck[];
  skipped: SkippedRule[];
  notices: string[];
}
