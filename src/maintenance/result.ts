/**
 * The result of `pgarchitect maintenance plan`: the contract of `--format json`. `schemaVersion` changes
 * only when a field is renamed or removed; new fields may appear any time.
 */
import type { SettingChange } from '../health/autovacuum.js';

export const MAINTENANCE_PLAN_SCHEMA_VERSION = 1;

/** Storage parameters for a large table, so that autovacuum visits it before much of it is dead or stale. */
export interface AutovacuumAdvice {
  schema: string;
  table: string;
  rows: number;
  changes: SettingChange[];
  /** Dead rows from which autovacuum vacuums the table, now and with the changes. */
  vacuumTrigger: { now: number; after: number };
  /** Changed rows from which it analyzes it, now and with the changes. */
  analyzeTrigger: { now: number; after: number };
  sql: string;
}

export type MaintenanceTaskKind = 'vacuum' | 'analyze' | 'reindex' | 'drop index' | 'rebuild partitioned index';

/** Something due now, with the statement that does it. */
export interface MaintenanceTask {
  kind: MaintenanceTaskKind;
  schema: string;
  table: string;
  /** The index, for index tasks. */
  index: string | null;
  /** One statement, or a comment when it cannot be one (a partitioned index to rebuild partition by partition). */
  sql: string;
  /** Why it is due, in a line. */
  reason: string;
  evidence: Record<string, unknown>;
}

export type IndexUsageClass = 'unused' | 'rare' | 'active';

export interface IndexUsage {
  schema: string;
  table: string;
  name: string;
  /** idx_scan since the statistics began. */
  scans: number;
  scansPerDay: number;
  tuplesRead: number;
  tuplesFetched: number;
  /** Bytes by relpages. */
  bytes: number | null;
  lastScan: string | null;
  class: IndexUsageClass;
  /** Backs a primary key, unique or exclusion constraint, or is unique: it works by existing, scans or not. */
  enforcesConstraint: boolean;
  valid: boolean;
  definition: string;
}

export interface MaintenancePlan {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: { description: string; database: string; serverVersion: string; serverVersionNum: number; takenAt: string };
  /** What the usage counters cover: since their last reset, or since the server started when never reset. */
  statistics: { since: string | null; sinceWhat: 'reset' | 'server start' | null; days: number | null };
  options: { largeRows: number; rarePerDay: number; bloatMethod: 'estimate' | 'pgstattuple' | null };
  autovacuumSettings: AutovacuumAdvice[];
  due: MaintenanceTask[];
  indexUsage: IndexUsage[];
  /** The SQL script of the settings and of what is due, to run with psql in autocommit mode; never run by pgarchitect. */
  script: string;
  /** What could not be read, and why: nothing here is "nothing to do". */
  notExamined: string[];
  notes: string[];
}
