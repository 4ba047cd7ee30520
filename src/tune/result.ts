/** The result of `tune`: the contract of `--format json`, and what every other format prints. */
import type { OsKind, Storage, Workload } from './tune-input.js';

/** Bumped when a field changes meaning or goes away (added fields do not bump it). */
export const TUNE_RESULT_SCHEMA_VERSION = 1;

/** One recommended setting. */
export interface TuneRecommendation {
  name: string;
  /** The server's value in postgresql.conf form (`128MB`, `on`); null without a server. */
  current: string | null;
  /** The recommended value in postgresql.conf form (`4GB`, `0.9`, `try`). */
  recommended: string;
  /** The unit Postgres keeps the setting in (pg_settings.unit: `8kB`, `kB`, `MB`), null for plain numbers and words. */
  unit: string | null;
  /** False when the current value already is (or is within 10% of) the recommendation. Always true without a server. */
  change: boolean;
  /** pg_settings.context: `postmaster` needs a restart, `sighup` a reload, `user` and `superuser` a reload or a SET. */
  context: string;
  /** A change takes effect only after a restart (context `postmaster`). */
  needsRestart: boolean;
  /** Why this value, in a line. */
  reason: string;
  /** The server's figures behind the reason (temporary files, checkpoints, cache hits, connections). */
  evidence: string[];
}

export type HardwareSource = 'given' | 'detected' | 'assumed' | 'not given';

export interface TuneInputs {
  memory: { kb: number; display: string; source: 'given' | 'detected'; note: string | null };
  cpus: { value: number | null; source: HardwareSource; note: string | null };
  storage: { value: Storage; source: HardwareSource; note: string | null };
  /** The connection count the memory formulas budget for, and where it comes from. */
  connections: { value: number; source: 'given' | 'server' | 'workload default' | 'lowered' };
  workload: { value: Workload; source: 'given' | 'default' };
  os: { value: OsKind; source: 'server' | 'detected' | 'assumed' };
  postgres: { major: number; source: 'server' | 'given' | 'default' };
  /** Whether all the data fits in memory, from the server's database sizes; null when not measured. */
  dataFitsInRam: boolean | null;
}

/** The server's figures, as read (null where they could not be). */
export interface TuneServerSummary {
  description: string;
  version: string;
  versionNum: number;
  /** Oldest statistics reset among the databases (null: never reset, counted since the statistics began). */
  statsReset: string | null;
  tempFiles: number | null;
  tempBytes: number | null;
  /** blks_hit / (blks_hit + blks_read) over every database, 0..1. */
  cacheHitRatio: number | null;
  blocksRead: number | null;
  transactions: number | null;
  checkpoints: { view: string; timed: number; requested: number; statsReset: string | null } | null;
  /** Client connections open when read (a snapshot, this session excluded). */
  clientConnections: number | null;
  maxConnections: number | null;
  dataBytes: number | null;
}

export interface TuneResult {
  schemaVersion: typeof TUNE_RESULT_SCHEMA_VERSION;
  /** The server examined, or none (recommendations from the hardware alone). */
  server: TuneServerSummary | null;
  inputs: TuneInputs;
  recommendations: TuneRecommendation[];
  /** Assumptions and caveats. */
  notes: string[];
  /** What could not be examined, and why: nothing here is a clean bill of health. */
  notExamined: string[];
}
