/**
 * What a plan diagnosis (`pgarchitect explain`) is: the same metadata as a review rule plus one pure
 * function over a parsed plan, its derived metrics and, when known, facts about the tables it reads.
 * The rule id is the file name in `src/rules/plan/`; each has a doc page and a test (meta-tested).
 */
import type { Fix, Severity } from '../finding.js';
import type { PlanAnalysis } from '../plan/analyse.js';
import type { ExplainOutput, PlanNode } from '../plan/types.js';
import type { RuleMeta } from './rule.js';

/**
 * What a diagnosis needs beyond the plan's shape. A rule whose needs are not met is listed as skipped
 * with the reason, never silently reported as "no problems".
 */
export type PlanRuleNeed =
  /** Actual figures: EXPLAIN ANALYZE (not `--no-analyze`). */
  | 'analyze'
  /** The tables the plan reads (statistics, columns, indexes), from the server or a snapshot. */
  | 'relations';

/** A table the plan reads, as the server (or a snapshot) describes it. */
export interface PlanRelation {
  schema: string;
  name: string;
  /** pg_class.reltuples; null when the table was never analysed or vacuumed. */
  rowEstimate: number | null;
  /** pg_stat_user_tables figures; null when not visible. */
  liveTuples: number | null;
  modsSinceAnalyze: number | null;
  /** The later of last_analyze and last_autoanalyze (ISO 8601), null when never. */
  lastAnalyzed: string | null;
  /** Whether statistics counters were visible for this table at all. */
  statsVisible: boolean;
  columns: { name: string; type: string }[];
  indexes: PlanRelationIndex[];
}

export interface PlanRelationIndex {
  name: string;
  method: string;
  /** Key columns in order; null for an expression key. */
  columns: (string | null)[];
  partial: boolean;
}

/** An index a finding proposes, for the runner to cost with hypopg before it is shown. */
export interface IndexSuggestion {
  schema: string | null;
  table: string;
  /** Key columns in order, each quoted where needed and followed by DESC / NULLS FIRST when asked. */
  keys: string[];
  /** `CREATE INDEX ON ...` without CONCURRENTLY or a name: what hypopg_create_index takes. */
  definition: string;
}

export interface PlanReportedFinding {
  /** Id of the node the finding is about (its depth-first position; see analysePlan). */
  node: number;
  message: string;
  /** The node's figures that justify the finding; JSON values only. */
  evidence: Record<string, unknown>;
  fix: Fix | null;
  /** Extra identity for the fingerprint when one node can carry several findings of the rule. */
  key?: string;
  severity?: Severity;
  /** The index behind `fix`, when the fix creates one: verified with hypopg where available. */
  suggestedIndex?: IndexSuggestion;
}

export interface PlanRuleContext<Options extends object> {
  explain: ExplainOutput;
  /** The plan's nodes in depth-first order: `nodes[i]` is the node `analysis.nodes[i]` describes. */
  nodes: readonly PlanNode[];
  analysis: PlanAnalysis;
  /** The tables the plan reads; null when unknown (a plan file given without a server or snapshot). */
  relations: readonly PlanRelation[] | null;
  /** server_version_num of the server that ran the plan, when known. */
  serverVersionNum: number | null;
  options: Options;
  report(finding: PlanReportedFinding): void;
}

export interface PlanRule<Options extends object = Record<string, never>> {
  meta: RuleMeta<Options>;
  needs?: PlanRuleNeed[];
  check(context: PlanRuleContext<Options>): void;
}

/** Identity function that gives a plan rule module its types. */
export function definePlanRule<Options extends object>(rule: PlanRule<Options>): PlanRule<Options> {
  return rule;
}

/** A plan rule of any options type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlanRule = PlanRule<any>;
