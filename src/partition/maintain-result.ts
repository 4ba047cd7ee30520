/** What `partition maintain` did (or, with --dry-run, would do), table by table. Part of the JSON contract. */

export const MAINTAIN_RESULT_SCHEMA_VERSION = 1;

export type MaintainActionKind =
  /** A partition created and attached for a range due (premake). */
  | 'create'
  /** A partition created for rows found in the default partition, the rows moved into it, attached. */
  | 'move'
  /** A partition past the retention detached (CONCURRENTLY on 14+ without a default partition). */
  | 'detach'
  /** A DETACH … CONCURRENTLY left pending by an interrupted run, finished. */
  | 'finalize'
  /** A detached partition written to a file with pg_dump. */
  | 'dump'
  /** A detached partition dropped. */
  | 'drop';

export interface MaintainAction {
  kind: MaintainActionKind;
  /** The partition, `schema.name`. */
  partition: string;
  /** The range `[from, to)` for create and move. */
  from?: string;
  to?: string;
  /** Rows moved (counted when planned). */
  rows?: number;
  /** The statements; for `dump` the pg_dump command line (no password). */
  sql: string[];
  /** `done`; `planned` with --dry-run; `failed` after the retries (the error says why); `skipped` when an earlier step of the partition failed. */
  status: 'done' | 'planned' | 'failed' | 'skipped';
  attempts: number;
  error?: string;
  /** `dump`: the file written. */
  file?: string;
  /** `detach`: whether CONCURRENTLY was used. */
  concurrently?: boolean;
}

export interface MaintainTableReport {
  table: string;
  interval: string;
  premake: number;
  retention: string | null;
  retentionAction: string;
  actions: MaintainAction[];
  /** Rows left in the default partition (NULL keys cannot be moved), and other remarks. */
  notes: string[];
}

export interface MaintainResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: { description: string; serverVersionNum: number; takenAt: string };
  dryRun: boolean;
  tables: MaintainTableReport[];
  summary: { created: number; moved: number; rowsMoved: number; detached: number; dumped: number; dropped: number; failed: number };
}
