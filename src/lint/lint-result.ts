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
  /** Statements the parser rejected: file, line and column of the offending token, SQLSTATE 42601. */
  errors: LoadError[];
  notices: Notice[];
}
