/**
 * The result of a review: the JSON contract (`--format json`) documented in docs/json-output.md.
 * `schemaVersion` changes only when a field is renamed or removed; new fields may appear any time.
 */
import type { Finding, Severity } from './finding.js';

export const RESULT_SCHEMA_VERSION = 1;

/** A statement Postgres (or the parser) rejected while loading SQL files. */
export interface LoadError {
  file: string;
  line: number;
  column: number;
  /** SQLSTATE; `42601` for syntax errors found by the parser. */
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  /** pgarchitect's explanation of a known case, and what to do. */
  explanation?: string;
  suggestion?: string;
}

/** Something the reader should know about how the review ran (unavailable extension, hidden data). */
export interface Notice {
  kind: 'extension-unavailable' | 'statement-skipped' | 'visibility' | 'ignored-directive' | 'info';
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface SkippedRule {
  rule: string;
  reason: string;
}

export interface ReviewSummary {
  error: number;
  warning: number;
  info: number;
  total: number;
  rulesRun: number;
  rulesSkipped: number;
  /** Findings hidden by ignore comments, config ignores or the baseline. */
  suppressed: number;
}

export interface ReviewResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: {
    kind: 'live' | 'files' | 'snapshot';
    description: string;
    database: string;
    serverVersion: string;
    serverVersionNum: number;
  };
  /** True when loading stopped early or objects could not be loaded: the review covers only part of the input. */
  partial: boolean;
  summary: ReviewSummary;
  findings: Finding[];
  skipped: SkippedRule[];
  errors: LoadError[];
  notices: Notice[];
}

export type SeverityCounts = Record<Severity, number>;
