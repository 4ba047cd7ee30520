/**
 * EXPLAIN output as PostgreSQL writes it with `FORMAT JSON`: every key is Postgres's own
 * ("Node Type", "Actual Total Time", "Plans", ...), untouched, so a plan read here can be handed to any
 * other tool that reads Postgres's JSON. Plans read from the text format are mapped onto the same keys.
 * Values derived by pgarchitect (exclusive time, misestimate factor, ...) never live here: they are in
 * `PlanAnalysis` (analyse.ts), keyed by node id.
 *
 * Only the keys pgarchitect reads are typed; Postgres writes many more (and adds some in every major
 * version), which are kept as they are through the index signature.
 */

/** One node of the plan tree, with Postgres's EXPLAIN JSON keys. */
export interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: 'Outer' | 'Inner' | 'Subquery' | 'Member' | 'InitPlan' | 'SubPlan' | string;
  /** `SubPlan 1`, `InitPlan 1 (returns $0)`, `CTE name`. */
  'Subplan Name'?: string;
  'Parallel Aware'?: boolean;
  'Async Capable'?: boolean;
  'Relation Name'?: string;
  /** Only with VERBOSE. */
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'Scan Direction'?: 'Forward' | 'Backward' | 'NoMovement';
  'CTE Name'?: string;
  'Function Name'?: string;
  /** Join nodes: Inner, Left, Full, Right, Semi, Anti, Right Semi, Right Anti. */
  'Join Type'?: string;
  /** Aggregate: Plain, Sorted, Hashed, Mixed. SetOp: Sorted, Hashed. */
  Strategy?: string;
  /** Aggregate: Simple, Partial, Finalize. */
  'Partial Mode'?: string;
  /** ModifyTable: Insert, Update, Delete, Merge. */
  Operation?: string;
  /** SetOp: Intersect, Intersect All, Except, Except All. */
  Command?: string;
  'Startup Cost'?: number;
  'Total Cost'?: number;
  /** Estimated rows per loop (per worker for parallel-aware nodes). */
  'Plan Rows'?: number;
  'Plan Width'?: number;
  /** Milliseconds, average per loop. */
  'Actual Startup Time'?: number;
  /** Milliseconds, average per loop. */
  'Actual Total Time'?: number;
  /** Rows per loop (average; fractional from PostgreSQL 18). */
  'Actual Rows'?: number;
  /** 0 when the node was never executed. */
  'Actual Loops'?: number;
  Output?: string[];
  Filter?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  'Join Filter'?: string;
  'Hash Cond'?: string;
  'Merge Cond'?: string;
  'One-Time Filter'?: string;
  /** Per loop (average). */
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Rows Removed by Join Filter'?: number;
  'Heap Fetches'?: number;
  'Exact Heap Blocks'?: number;
  'Lossy Heap Blocks'?: number;
  'Sort Key'?: string[];
  'Presorted Key'?: string[];
  'Group Key'?: string[];
  /** quicksort, top-N heapsort, external sort, external merge, still in progress. */
  'Sort Method'?: string;
  /** kB. */
  'Sort Space Used'?: number;
  'Sort Space Type'?: 'Memory' | 'Disk';
  'Hash Buckets'?: number;
  'Original Hash Buckets'?: number;
  'Hash Batches'?: number;
  'Original Hash Batches'?: number;
  /** kB. */
  'Peak Memory Usage'?: number;
  /** HashAggregate batches (spilled when above 1). */
  'HashAgg Batches'?: number;
  /** kB. */
  'Disk Usage'?: number;
  'Workers Planned'?: number;
  'Workers Launched'?: number;
  Workers?: PlanWorker[];
  'Inner Unique'?: boolean;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Shared Dirtied Blocks'?: number;
  'Shared Written Blocks'?: number;
  'Local Hit Blocks'?: number;
  'Local Read Blocks'?: number;
  'Local Dirtied Blocks'?: number;
  'Local Written Blocks'?: number;
  'Temp Read Blocks'?: number;
  'Temp Written Blocks'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** One parallel worker's figures of a node (`Workers` in JSON, `Worker N:` lines in text). */
export interface PlanWorker {
  'Worker Number': number;
  'Actual Startup Time'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  [key: string]: unknown;
}

/** A trigger's execution time (EXPLAIN ANALYZE of INSERT, UPDATE or DELETE). */
export interface PlanTrigger {
  'Trigger Name': string;
  'Constraint Name'?: string;
  Relation?: string;
  /** Milliseconds. */
  Time?: number;
  Calls?: number;
}

export interface PlanJit {
  Functions?: number;
  Options?: Record<string, boolean>;
  /** Milliseconds: Generation, Inlining, Optimization, Emission, Total. */
  Timing?: Record<string, number | Record<string, number>>;
}

/**
 * One EXPLAIN result: the element of the array `EXPLAIN (FORMAT JSON)` returns. `Plan` is the root;
 * the other keys appear with ANALYZE, BUFFERS, SETTINGS, VERBOSE as Postgres writes them.
 */
export interface ExplainOutput {
  Plan: PlanNode;
  /** Milliseconds (ANALYZE, or SUMMARY). */
  'Planning Time'?: number;
  /** Milliseconds (ANALYZE). */
  'Execution Time'?: number;
  /** Buffers used while planning (BUFFERS). */
  Planning?: Record<string, number>;
  Triggers?: PlanTrigger[];
  JIT?: PlanJit;
  /** Non-default planner settings (SETTINGS). */
  Settings?: Record<string, string>;
  'Query Identifier'?: number | string;
  [key: string]: unknown;
}

/** Visits every node depth first, parents before children, in the order Postgres prints them. */
export function walkPlan(root: PlanNode, visit: (node: PlanNode, parent: PlanNode | null, depth: number) => void): void {
  const pending: { node: PlanNode; parent: PlanNode | null; depth: number }[] = [{ node: root, parent: null, depth: 0 }];
  while (pending.length) {
    const { node, parent, depth } = pending.pop()!;
    visit(node, parent, depth);
    const children = node.Plans ?? [];
    for (let i = children.length - 1; i >= 0; i--) pending.push({ node: children[i]!, parent: node, depth: depth + 1 });
  }
}
