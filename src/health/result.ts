/**
 * The result of `pgarchitect health`: the contract of `--format json`. `schemaVersion` changes only when
 * a field is renamed or removed; new fields may appear any time.
 */
import type { Category, Finding } from '../finding.js';
import type { ReviewSummary, SkippedRule } from '../result.js';

export const HEALTH_RESULT_SCHEMA_VERSION = 1;

/** A check that ran, and what it looked at: no finding means "examined this, and found nothing". */
export interface HealthCheck {
  rule: string;
  category: Category;
  /** `42 tables (3 with autovacuum off for the table)`, `no standby connected`. */
  examined: string;
  findings: number;
}

export interface HealthResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: {
    kind: 'live';
    /** The server, without password. */
    description: string;
    database: string;
    serverVersion: string;
    serverVersionNum: number;
    /** A standby (in recovery). */
    standby: boolean;
    /** The role the checks ran as, and whether it sees other roles' sessions (pg_read_all_stats). */
    user: string;
    readAllStats: boolean;
    /** The server's clock when read. */
    takenAt: string;
  };
  /** How bloat was judged: estimated from statistics, or measured with pgstattuple (--exact). */
  bloatMethod: 'estimate' | 'pgstattuple' | null;
  summary: ReviewSummary;
  findings: Finding[];
  /** Every check that ran, in id order, with what it examined. */
  checks: HealthCheck[];
  /** Checks that could not run, and why (privilege, version, extension missing, not a live server). */
  skipped: SkippedRule[];
  /** What else the reader should know (for example: pgstattuple missing, estimates used). */
  notices: string[];
}
