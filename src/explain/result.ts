/**
 * The result of `pgarchitect explain`: the JSON contract of `explain --format json`. Postgres's plan is
 * kept exactly as the server (or the file) gave it under `plan`; everything pgarchitect derives is under
 * `analysis` (per node, by depth-first id) and `findings`. `schemaVersion` changes only when a field is
 * renamed or removed.
 */
import type { Finding } from '../finding.js';
import type { PlanAnalysis } from '../plan/analyse.js';
import type { ExplainOutput } from '../plan/types.js';
import type { ReviewSummary, SkippedRule } from '../result.js';

export const EXPLAIN_RESULT_SCHEMA_VERSION = 1;

export interface ExplainResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  source: {
    /** `query`: run on a server; `plan`: a plan given as a file or text. */
    kind: 'query' | 'plan';
    /** The query's file or `query`, and the redacted server; or the plan file. */
    description: string;
    /** The format the plan was read in (always json for queries run here). */
    planFormat: 'json' | 'text';
    serverVersion: string | null;
    serverVersionNum: number | null;
  };
  /** The statement explained, when pgarchitect ran it. */
  query: string | null;
  /** Whether the statement was executed (EXPLAIN ANALYZE, rolled back) or only planned. */
  analyzed: boolean;
  /** Settings applied for the run with SET LOCAL (`--set`). */
  settings: Record<string, string>;
  /** Postgres's EXPLAIN output, untouched: the element of EXPLAIN (FORMAT JSON)'s array. */
  plan: ExplainOutput;
  /** What pgarchitect derives from the plan (see analysePlan); `analysis.nodes[i]` is the i-th node depth first. */
  analysis: PlanAnalysis;
  /**
   * The diagnoses. `evidence.node` is the id of the node each is about; index proposals carry
   * `evidence.verification` (costed with hypopg, or why not).
   */
  findings: Finding[];
  skipped: SkippedRule[];
  notices: string[];
  summary: ReviewSummary;
}
