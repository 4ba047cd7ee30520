/**
 * What pgarchitect derives from a plan, kept apart from the plan itself (whose nodes keep Postgres's
 * keys untouched): per node the exclusive time and its share of the total, loop-adjusted rows, the
 * misestimate factor, the node's own buffers; for the plan the hot path. Nodes are numbered in
 * depth-first order, the order Postgres prints them; `planNodes()` lists them in the same order, so
 * `analysis.nodes[i]` describes `planNodes(explain)[i]`.
 *
 * Time. Postgres reports a node's time per loop, including its children. A node's time over all loops
 * is `Actual Total Time × Actual Loops`; inside a parallel section (under Gather) the loops ran side by
 * side in several processes, so the wall-clock time is that figure divided by the number of processes
 * (the loops of the Gather's child per loop of the Gather). Exclusive time is the node's time minus its
 * children's, except InitPlans, whose time Postgres counts in the node that first needs their value
 * (as pev2 does). A CTE Scan's time includes running its CTE, which has its own nodes: it is taken off
 * the CTE Scans that read that CTE. Postgres rounds per-loop times to the microsecond, so thousands
 * of fast loops can add up to more than their parent's time: exclusive times are floored at zero.
 */
import { nodeLabel } from './node-name.js';
import { walkPlan, type ExplainOutput, type PlanNode } from './types.js';

/** Block counts of one node alone (its children's taken off), as EXPLAIN BUFFERS counts them. */
export interface BufferCounts {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  tempRead: number;
  tempWritten: number;
}

/** Derived figures of one plan node. `null` means "not known from this plan" (no ANALYZE, no BUFFERS). */
export interface NodeMetrics {
  /** Depth-first position, the order Postgres prints nodes; the root is 0. */
  id: number;
  parent: number | null;
  children: number[];
  depth: number;
  /** The node as the text format names it, without schema: `Seq Scan on orders o`. */
  label: string;
  /** How it hangs under its parent: Outer, Inner, Member, Subquery, or the InitPlan/SubPlan/CTE name. */
  relationship: string | null;
  /** Actual Loops; 0 when never executed. */
  loops: number | null;
  /** Wall-clock milliseconds in this node and everything below it, over all loops. */
  inclusiveTimeMs: number | null;
  /** Wall-clock milliseconds in this node alone. */
  exclusiveTimeMs: number | null;
  /** exclusiveTimeMs divided by the plan's total time (0 to 1). */
  timeShare: number | null;
  /** Total Cost minus the children's Total Cost (planner units; the only measure without ANALYZE). */
  exclusiveCost: number | null;
  /** Estimated rows over all loops: Plan Rows × Actual Loops (× 1 without ANALYZE). */
  estimatedRows: number | null;
  /** Rows produced over all loops: Actual Rows × Actual Loops. */
  actualRows: number | null;
  /** Rows the node's Filter discarded, over all loops. */
  rowsRemovedByFilter: number | null;
  /** Rows per loop, larger over smaller of estimate and actual (each at least 1): 1 is exact. */
  misestimateFactor: number | null;
  /** `under`: more rows than estimated; `over`: fewer. Null when exact or not executed. */
  misestimate: 'under' | 'over' | null;
  buffers: BufferCounts | null;
  /** On the path from the root to the node with the largest exclusive time (cost without ANALYZE). */
  hot: boolean;
}

export interface PlanAnalysis {
  /** The plan has actual figures (EXPLAIN ANALYZE). */
  analyzed: boolean;
  /** The plan has actual times (ANALYZE without TIMING OFF). */
  timed: boolean;
  /** The plan has buffer counts (BUFFERS). */
  hasBuffers: boolean;
  /** Execution Time, or the root's time when absent (milliseconds). */
  totalTimeMs: number | null;
  planningTimeMs: number | null;
  executionTimeMs: number | null;
  /** JIT compilation time (milliseconds), part of the execution time. */
  jitTimeMs: number | null;
  /** Time in triggers (milliseconds), outside every node. */
  triggerTimeMs: number | null;
  totalCost: number | null;
  nodes: NodeMetrics[];
  /** Node ids from the root to the hottest node. */
  hotPath: number[];
}

/** The plan's nodes in depth-first order: index i is the node that `analysis.nodes[i]` describes. */
export function planNodes(explain: ExplainOutput): PlanNode[] {
  const nodes: PlanNode[] = [];
  walkPlan(explain.Plan, (node) => nodes.push(node));
  return nodes;
}

export function analysePlan(explain: ExplainOutput): PlanAnalysis {
  const nodes = planNodes(explain);
  const ids = new Map(nodes.map((node, i) => [node, i]));
  const analyzed = nodes.some((n) => typeof n['Actual Loops'] === 'number');
  const timed = nodes.some((n) => typeof n['Actual Total Time'] === 'number');
  const hasBuffers = nodes.some((n) => typeof n['Shared Hit Blocks'] === 'number' || typeof n['Shared Read Blocks'] === 'number');

  const metrics: NodeMetrics[] = [];
  walkPlan(explain.Plan, (node, parent, depth) => {
    const id = ids.get(node)!;
    const loops = analyzed ? num(node['Actual Loops']) : null;
    metrics[id] = {
      id,
      parent: parent ? ids.get(parent)! : null,
      children: (node.Plans ?? []).map((child) => ids.get(child)!),
      depth,
      label: nodeLabel(node),
      relationship: node['Subplan Name'] ?? node['Parent Relationship'] ?? null,
      loops,
      inclusiveTimeMs: null,
      exclusiveTimeMs: null,
      timeShare: null,
      exclusiveCost: null,
      estimatedRows: typeof node['Plan Rows'] === 'number' ? node['Plan Rows'] * (loops ?? 1) : null,
      actualRows: analyzed ? num(node['Actual Rows']) * (loops ?? 0) : null,
      rowsRemovedByFilter: analyzed && typeof node['Rows Removed by Filter'] === 'number' ? node['Rows Removed by Filter'] * (loops ?? 0) : null,
      misestimateFactor: null,
      misestimate: null,
      buffers: null,
      hot: false,
    };
  });

  const divisors = parallelDivisors(explain.Plan, ids, nodes.length);
  for (const m of metrics) {
    const node = nodes[m.id]!;
    if (timed && typeof node['Actual Total Time'] === 'number') {
      m.inclusiveTimeMs = (node['Actual Total Time'] * num(node['Actual Loops'])) / divisors[m.id]!;
    } else if (timed && m.loops === 0) m.inclusiveTimeMs = 0;
    const [estimate, actual] = [node['Plan Rows'], node['Actual Rows']];
    if (analyzed && m.loops && typeof estimate === 'number' && typeof actual === 'number') {
      const e = Math.max(1, estimate);
      const a = Math.max(1, actual);
      m.misestimateFactor = Math.max(e, a) / Math.min(e, a);
      m.misestimate = a > e ? 'under' : a < e ? 'over' : null;
    }
  }

  for (const m of metrics) {
    const node = nodes[m.id]!;
    const counted = m.children.filter((c) => nodes[c]!['Parent Relationship'] !== 'InitPlan');
    if (m.inclusiveTimeMs !== null) {
      const childTime = counted.reduce((sum, c) => sum + (metrics[c]!.inclusiveTimeMs ?? 0), 0);
      m.exclusiveTimeMs = Math.max(0, m.inclusiveTimeMs - childTime);
    }
    if (typeof node['Total Cost'] === 'number') {
      const regular = m.children.filter((c) => !['InitPlan', 'SubPlan'].includes(String(nodes[c]!['Parent Relationship'])));
      const childCost = regular.reduce((sum, c) => sum + num(nodes[c]!['Total Cost']), 0);
      m.exclusiveCost = Math.max(0, node['Total Cost'] - childCost);
    }
    if (hasBuffers) m.buffers = ownBuffers(node, counted.map((c) => nodes[c]!));
  }
  takeCteOffScans(nodes, metrics);
  takeInitPlansOffUsers(nodes, metrics);
  for (const m of metrics) roundFigures(m);

  const executionTimeMs = typeof explain['Execution Time'] === 'number' ? explain['Execution Time'] : null;
  const totalTimeMs = executionTimeMs ?? metrics[0]!.inclusiveTimeMs;
  if (totalTimeMs) for (const m of metrics) if (m.exclusiveTimeMs !== null) m.timeShare = round(Math.min(1, m.exclusiveTimeMs / totalTimeMs), 4);

  const hotPath = findHotPath(metrics, timed);
  for (const id of hotPath) metrics[id]!.hot = true;
  const jitTotal = explain.JIT?.Timing?.Total;
  const triggers = explain.Triggers ?? [];
  return {
    analyzed,
    timed,
    hasBuffers,
    totalTimeMs,
    planningTimeMs: typeof explain['Planning Time'] === 'number' ? explain['Planning Time'] : null,
    executionTimeMs,
    jitTimeMs: typeof jitTotal === 'number' ? jitTotal : null,
    triggerTimeMs: triggers.length ? triggers.reduce((sum, t) => sum + (t.Time ?? 0), 0) : null,
    totalCost: typeof explain.Plan['Total Cost'] === 'number' ? explain.Plan['Total Cost'] : null,
    nodes: metrics,
    hotPath,
  };
}

/**
 * For each node, how many processes shared its loops: 1 outside parallel sections; under a Gather,
 * the loops of the Gather's child per loop of the Gather (leader and workers).
 */
function parallelDivisors(root: PlanNode, ids: Map<PlanNode, number>, count: number): number[] {
  const divisors = new Array<number>(count).fill(1);
  const visit = (node: PlanNode, divisor: number): void => {
    divisors[ids.get(node)!] = divisor;
    const gather = node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge';
    for (const child of node.Plans ?? []) {
      let childDivisor = divisor;
      if (gather && child['Parent Relationship'] !== 'InitPlan' && child['Parent Relationship'] !== 'SubPlan') {
        const gatherLoops = num(node['Actual Loops']);
        const processes = gatherLoops > 0 ? num(child['Actual Loops']) / gatherLoops : 1;
        childDivisor = Math.max(1, processes);
      }
      visit(child, childDivisor);
    }
  };
  visit(root, 1);
  return divisors;
}

const BUFFER_KEYS: [keyof BufferCounts, string][] = [
  ['sharedHit', 'Shared Hit Blocks'],
  ['sharedRead', 'Shared Read Blocks'],
  ['sharedDirtied', 'Shared Dirtied Blocks'],
  ['sharedWritten', 'Shared Written Blocks'],
  ['localHit', 'Local Hit Blocks'],
  ['localRead', 'Local Read Blocks'],
  ['tempRead', 'Temp Read Blocks'],
  ['tempWritten', 'Temp Written Blocks'],
];

function ownBuffers(node: PlanNode, children: PlanNode[]): BufferCounts {
  const own = (key: string): number => Math.max(0, num(node[key]) - children.reduce((sum, c) => sum + num(c[key]), 0));
  return Object.fromEntries(BUFFER_KEYS.map(([field, key]) => [field, own(key)])) as unknown as BufferCounts;
}

/**
 * The time and buffers of `CTE x` are inside those of the CTE Scans on x: take them off the scans,
 * first scan first.
 */
function takeCteOffScans(nodes: PlanNode[], metrics: NodeMetrics[]): void {
  for (const cte of metrics) {
    const name = /^CTE (.+)$/.exec(nodes[cte.id]!['Subplan Name'] ?? '')?.[1];
    if (!name) continue;
    const scans = metrics.filter((m) => nodes[m.id]!['Node Type'] === 'CTE Scan' && nodes[m.id]!['CTE Name'] === name);
    let time = cte.inclusiveTimeMs ?? 0;
    const blocks = Object.fromEntries(BUFFER_KEYS.map(([field, key]) => [field, num(nodes[cte.id]![key])])) as Record<keyof BufferCounts, number>;
    for (const scan of scans) {
      if (scan.exclusiveTimeMs !== null) {
        const taken = Math.min(scan.exclusiveTimeMs, time);
        scan.exclusiveTimeMs -= taken;
        time -= taken;
      }
      if (scan.buffers) {
        for (const [field] of BUFFER_KEYS) {
          const taken = Math.min(scan.buffers[field], blocks[field]);
          scan.buffers[field] -= taken;
          blocks[field] -= taken;
        }
      }
    }
  }
}

/**
 * An InitPlan runs when a node first needs its value, inside that node's time: take its time off the
 * first node below the InitPlan's owner whose expressions use it (`$0`, or `(InitPlan 1)` from
 * PostgreSQL 16), or off the owner when none names it.
 */
function takeInitPlansOffUsers(nodes: PlanNode[], metrics: NodeMetrics[]): void {
  for (const init of metrics) {
    const node = nodes[init.id]!;
    const name = node['Subplan Name'] ?? '';
    if (node['Parent Relationship'] !== 'InitPlan' || name.startsWith('CTE ') || init.parent === null) continue;
    const params = [...(/\(returns (.+)\)/.exec(name)?.[1] ?? '').matchAll(/\$\d+/g)].map((m) => m[0]);
    const number = /^InitPlan (\d+)/.exec(name)?.[1];
    const references = (candidate: PlanNode): boolean => {
      const text = Object.entries(candidate)
        .filter(([key, value]) => key !== 'Plans' && key !== 'Subplan Name' && (typeof value === 'string' || Array.isArray(value)))
        .map(([, value]) => (Array.isArray(value) ? value.join(' ') : String(value)))
        .join(' ');
      return params.some((p) => new RegExp(`\\${p}(?!\\d)`).test(text)) || (number !== undefined && text.includes(`(InitPlan ${number})`));
    };
    const inside = new Set(subtree(metrics, init.id));
    const user = subtree(metrics, init.parent).find((id) => !inside.has(id) && references(nodes[id]!)) ?? init.parent;
    const target = metrics[user]!;
    if (target.exclusiveTimeMs !== null) target.exclusiveTimeMs = Math.max(0, target.exclusiveTimeMs - (init.inclusiveTimeMs ?? 0));
    if (target.buffers) for (const [field, key] of BUFFER_KEYS) target.buffers[field] = Math.max(0, target.buffers[field] - num(node[key]));
  }
}

function subtree(metrics: NodeMetrics[], id: number): number[] {
  const ids = [id];
  for (let i = 0; i < ids.length; i++) ids.push(...metrics[ids[i]!]!.children);
  return ids.sort((a, b) => a - b);
}

/** Root to the node with the largest exclusive time (exclusive cost when the plan has no times). */
function findHotPath(metrics: NodeMetrics[], timed: boolean): number[] {
  const weight = (m: NodeMetrics): number => (timed ? m.exclusiveTimeMs : m.exclusiveCost) ?? -1;
  let hottest = metrics[0]!;
  for (const m of metrics) if (weight(m) > weight(hottest)) hottest = m;
  if (weight(hottest) <= 0) return [];
  const path: number[] = [];
  for (let at: NodeMetrics | undefined = hottest; at; at = at.parent === null ? undefined : metrics[at.parent]) path.unshift(at.id);
  return path;
}

/** Times to the microsecond and factors to two decimals, as Postgres prints them: stable output. */
function roundFigures(m: NodeMetrics): void {
  if (m.inclusiveTimeMs !== null) m.inclusiveTimeMs = round(m.inclusiveTimeMs, 3);
  if (m.exclusiveTimeMs !== null) m.exclusiveTimeMs = round(m.exclusiveTimeMs, 3);
  if (m.exclusiveCost !== null) m.exclusiveCost = round(m.exclusiveCost, 2);
  if (m.misestimateFactor !== null) m.misestimateFactor = round(m.misestimateFactor, 2);
  if (m.estimatedRows !== null) m.estimatedRows = round(m.estimatedRows, 2);
  if (m.actualRows !== null) m.actualRows = round(m.actualRows, 2);
  if (m.rowsRemovedByFilter !== null) m.rowsRemovedByFilter = round(m.rowsRemovedByFilter, 2);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
