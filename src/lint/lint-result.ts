/**
 * The result of `lint`: findings about statements (the one finding shape, `object.type` `query`,
 * `location` the offending node), statements the parser rejected, and the rules not run with the
 * reason. Shaped like the review's result (same findings, skipped, errors and notices) so scripts
 * and reporters read both the same way.
 */
import type { Finding } from '../finding.js';
import type { LoadError, Notice, ReviewSummary, SkippedRule } from '../result.js';

export interface LintSummary extends ReviewSummary {
  files: number;
  /** Statements parsed and linted (rejected ones not counted). */
  statements: number;
}

/** The schema the schema-aware rules looked tables, columns and indexes up in. */
export interface LintSchemaInfo {
  kind: 'live' | 'files';
  description: string;
  database: string;
  serverVersion: string;
  serverVersionNum: number;
}

export interface LintResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  command: 'lint';
  source: {
    /** The files linted, as shown in locations; `<sql>` for text given directly. */
    files: string[];
    /** Null when no schema was given: schema-aware rules are then in `skipped`. */
    schema: LintSchemaInfo | null;
  };
  /** True when some statement could not be parsed (it is in `errors` and was not linted). */
  partial: boolean;
  summary: LintSummary;
  /** Sorted by file, line and column, then worst first, then by rule. */
  findings: Finding[];
  skipped: SkippedRule[];
  /**
   * Statements the parser rejected (file, line and column of the offending token, SQLSTATE 42601) and,
   * when the statements were checked with Postgres, the ones Postgres rejected (its SQLSTATE and message).
   */
  errors: LoadError[];
  notices: Notice[];
  /** How the statements were checked with Postgres (parse analysis on the schema's engine); absent when they were not. */
  postgresCheck?: LintPostgresCheck;
  /** With `--from-pg-stat-statements`: where the statements came from, and each one's figures. */
  workload?: LintWorkload;
}

/** The check of each statement with Postgres itself (`PREPARE`, never executed). */
export interface LintPostgresCheck {
  /** The engine: `embedded PostgreSQL (PGlite)` or the redacted server URL. */
  engine: string;
  /** Statements Postgres analysed (SELECT, INSERT, UPDATE, DELETE, MERGE). */
  checked: number;
  /** Of those, the ones it rejected: in `errors`. */
  rejected: number;
  /** Statements not checked: DDL and other utility statements, which are not run. */
  notCheckable: number;
}

/** One statement of the workload, with pg_stat_statements' figures (cumulative since its last reset). */
export interface LintWorkloadStatement {
  /** 1 for the most total execution time. */
  rank: number;
  queryid: string | null;
  calls: number;
  rows: number;
  totalExecTimeMs: number;
  meanExecTimeMs: number;
  /** Share (0 to 1) of the execution time of every statement recorded for the database. */
  share: number;
  /** The normalised text (constants replaced by `$1`, ...). */
  query: string;
}

/** The live workload a lint result covers. */
export interface LintWorkload {
  source: 'pg_stat_statements';
  /** Redacted `postgres://user@host:port/db`. */
  description: string;
  database: string;
  serverVersion: string;
  serverVersionNum: number;
  extensionVersion: string;
  /** When pg_stat_statements was last reset (ISO 8601), when the server says. */
  statsReset: string | null;
  /** `--top`: how many statements were asked for. */
  top: number;
  /** Statements recorded for the database in all. */
  recorded: number;
  /** Statements left out: transaction and session control, statements that may hold a secret (CREATE ROLE ... PASSWORD), pgarchitect's own queries. */
  excluded: number;
  /** Execution time of every statement recorded for the database, milliseconds. */
  totalExecTimeMs: number;
  /** Keyed by the statement's file name in locations (`pg_stat_statements#1`). */
  statements: Record<string, LintWorkloadStatement>;
}
