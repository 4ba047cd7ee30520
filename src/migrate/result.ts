/**
 * The result of a `migrate` command: what `--format json` prints and the text report reads.
 * `schemaVersion` changes only when a field is renamed or removed.
 */
import type { MigrationFolderLayout } from './migration-files.js';
import type { MigrationStatus } from './migration-state.js';
import type { StepFailure, StepReport } from './run-step.js';

export const MIGRATE_RESULT_SCHEMA_VERSION = 1;

export type MigrateCommandName = 'status' | 'up' | 'down' | 'validate' | 'repair' | 'baseline';

/** Something about the database's migrations that needs attention (and, for some, stops `up`). */
export interface MigrateProblem {
  kind: 'drifted' | 'missing' | 'failed' | 'out-of-order';
  version: string | null;
  /** The file, or the script name recorded in the history when the file is gone. */
  file: string;
  message: string;
}

/** What `repair` changed (or, with --dry-run, would change) in the history. */
export interface RepairAction {
  action: 'checksum-realigned' | 'failed-entry-removed';
  version: string | null;
  file: string;
  /** For a realigned checksum: the old and the new. */
  from?: string | null;
  to?: string;
}

export interface MigrateResult {
  schemaVersion: number;
  command: MigrateCommandName;
  /** Redacted `postgres://user@host:port/db`: never a password. */
  database: string;
  folder: string;
  layout: MigrationFolderLayout;
  dryRun: boolean;
  /** The runner's settings: lock_timeout and statement_timeout (ms, 0 for none), retries after a lock timeout. */
  settings: { lockTimeoutMs: number; statementTimeoutMs: number; retries: number };
  /** The highest applied version after the command (or the baseline's); null when none. */
  currentVersion: string | null;
  /** `status` and `validate`: every migration, file or history row, in version order. */
  migrations: MigrationStatus[];
  /** `up` and `down`: the migrations run (or, in a dry run, that would run), in order. */
  steps: StepReport[];
  /** `repair`: what it changed. */
  repairs: RepairAction[];
  /** What needs attention; for `up`, drift and out-of-order migrations stop it before anything runs. */
  problems: MigrateProblem[];
  /** The migration that failed, if one did (it is also the last of `steps`). */
  failure: StepFailure | null;
  notices: string[];
  /** False (exit code 1) when a migration failed, the database's state stopped the command, or validate found problems. */
  ok: boolean;
  durationMs: number;
}
