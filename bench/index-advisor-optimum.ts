/**
 * The exact optimum the index-advisor benchmark measures the advisor against: for each budget, over a
 * reduced set of up to 20 candidate indexes, the subset with the lowest what-if workload cost within
 * the budget, found by trying every subset.
 *
 * The reduced set of a budget: the plan being judged (the advisor's at that budget), then in turn the
 * strongest candidates that fit the budget by their own benefit (the workload with that index alone),
 * by benefit per byte (so small budgets get good small indexes), and the best index of each statement
 * (so wide budgets get the right column order for each). Candidates come from a pool: the advisor's
 * one-column candidates with its partial variants, every ordered pair of columns a statement uses, and
 * every index the advisor or the baseline chose.
 *
 * Costing 2^20 configurations with a what-if call each is out of reach, but a query's cost depends
 * only on the candidates on its tables, and of those only on the ones that change its plan. So, per
 * query: its cost with each candidate alone; the candidates that lower it are its relevant ones; when
 * it has at most EXACT_RELEVANT of them, every subset of them is costed (exact for that query),
 * otherwise every subset of up to 3 (a plan rarely uses more new indexes than that). A subset S of the
 * whole set then costs, for that query, the cheapest of its costed configurations contained in S (the
 * planner picks the cheapest plan among those the indexes allow, so more indexes never cost more).
 * Summed with the weights, that gives an estimated cost for all 2^n subsets in about a second. The
 * best few subsets within the budget are then costed for real, with the whole subset in place, and the
 * best real cost is the optimum; the spread between estimate and real cost is reported.
 */
import { performance } from 'node:perf_hooks';
import { candidateKey, tableKeyOf, type IndexCandidate } from '../src/advise/candidate.js';
import { singleColumnCandidates, type CostCache } from '../src/advise/extend.js';
import { indexableColumns } from '../src/advise/query-columns.js';
import type { BenchOracle, OracleQuery } from './index-advisor-oracle.js';

/** Queries with at most this many relevant candidates are costed on every subset of them. */
const EXACT_RELEVANT = 10;
/** Subsets re-costed for real per budget. */
const RECOST_TOP = 5;

/** Every candidate the reduced sets are drawn from, with its own benefit and size. */
export interface CandidatePool {
  candidates: IndexCandidate[];
  /** The weighted workload cost drop with the candidate as the only new index, by candidateKey. */
  benefit: Map<string, number>;
  /** hypopg's size estimate, bytes, by candidateKey. */
  size: Map<string, number>;
  /** Each statement's best candidate on its own, by weighted saving, strongest first (no repeats). */
  bestPerQuery: IndexCandidate[];
}

export interface ReducedSet {
  budgetBytes: number;
  candidates: IndexCandidate[];
  /** hypopg's size estimate, bytes, by position. */
  sizes: number[];
  /** Why each is in: `required` (the plan being judged), `benefit`, `benefit/byte`. */
  reasons: string[];
  /** Required indexes that did not fit in the limit (the weakest by own benefit). */
  leftOut: IndexCandidate[];
}

/**
 * The pool: one-column candidates as the advisor makes them (with its partial variants), every
 * ordered pair of columns one statement filters, joins, sorts or groups on, and `extra` (the indexes
 * the advisor and the baseline chose, covering ones included); less what existing indexes serve.
 */
export async function candidatePool(oracle: BenchOracle, cache: CostCache, extra: readonly IndexCandidate[]): Promise<CandidatePool> {
  const pool = new Map<string, IndexCandidate>();
  const add = (c: IndexCandidate): void => {
    if (!pool.has(candidateKey(c))) pool.set(candidateKey(c), c);
  };
  for (const single of singleColumnCandidates(oracle.queries, true)) add(single);
  for (const q of oracle.queries) {
    for (const use of q.uses.values()) {
      const columns = [...indexableColumns(use)];
      for (const a of columns) for (const b of columns) if (a !== b) add({ schema: use.schema, table: use.table, columns: [a, b], include: [], where: null });
    }
  }
  for (const c of extra) add(c);
  for (const key of oracle.served) pool.delete(key);
  const benefit = new Map<string, number>();
  const size = new Map<string, number>();
  const bestOf = new Map<string, { index: IndexCandidate; saving: number }>();
  for (const [key, index] of pool) {
    let drop = 0;
    for (const q of oracle.queries) {
      if (!q.uses.has(tableKeyOf(index))) continue;
      const saving = q.weight * ((await cache.cost(q, [])) - (await cache.cost(q, [index])));
      drop += saving;
      if (saving > (bestOf.get(q.id)?.saving ?? 0)) bestOf.set(q.id, { index, saving });
    }
    benefit.set(key, drop);
    size.set(key, await cache.size(index));
  }
  const bestPerQuery = [...new Map([...bestOf.values()].sort((a, b) => b.saving - a.saving).map((b) => [candidateKey(b.index), b.index])).values()];
  return { candidates: [...pool.values()], benefit, size, bestPerQuery };
}

/**
 * The reduced set for one budget: `required` (the plan being judged, so that the optimum can do at
 * least as well), then in turn the strongest remaining candidate by own benefit, by benefit per byte,
 * and the best index of the statement that gains most, among those that fit the budget on their own
 * and whose own benefit exceeds `minBenefit`, up to `limit`.
 */
export function reducedSet(pool: CandidatePool, required: readonly IndexCandidate[], budgetBytes: number, limit: number, minBenefit = 0): ReducedSet {
  const benefitOf = (c: IndexCandidate): number => pool.benefit.get(candidateKey(c)) ?? 0;
  const sizeOf = (c: IndexCandidate): number => pool.size.get(candidateKey(c)) ?? 0;
  const chosen = new Map<string, { index: IndexCandidate; reason: string }>();
  const ranked = [...new Map(required.map((c) => [candidateKey(c), c])).values()].sort((a, b) => benefitOf(b) - benefitOf(a));
  for (const index of ranked.slice(0, limit)) chosen.set(candidateKey(index), { index, reason: 'required' });
  const useful = pool.candidates.filter((c) => benefitOf(c) > Math.max(0, minBenefit) && sizeOf(c) <= budgetBytes);
  const bestPerQuery = pool.bestPerQuery.filter((c) => benefitOf(c) > Math.max(0, minBenefit) && sizeOf(c) <= budgetBytes);
  const lists: [IndexCandidate[], string][] = [
    [[...useful].sort((a, b) => benefitOf(b) - benefitOf(a)), 'benefit'],
    [[...useful].sort((a, b) => benefitOf(b) / Math.max(1, sizeOf(b)) - benefitOf(a) / Math.max(1, sizeOf(a))), 'benefit/byte'],
    [bestPerQuery, 'best for a query'],
  ];
  for (let turn = 0; chosen.size < limit && lists.some(([list]) => list.length > 0); turn++) {
    const [list, reason] = lists[turn % lists.length]!;
    while (list.length > 0) {
      const next = list.shift()!;
      if (!chosen.has(candidateKey(next))) {
        chosen.set(candidateKey(next), { index: next, reason });
        break;
      }
    }
  }
  const entries = [...chosen.values()];
  return {
    budgetBytes,
    candidates: entries.map((e) => e.index),
    sizes: entries.map((e) => sizeOf(e.index)),
    reasons: entries.map((e) => e.reason),
    leftOut: ranked.slice(limit),
  };
}

export interface Optimum {
  budgetBytes: number;
  indexes: IndexCandidate[];
  bytes: number;
  /** From the per-query tables. */
  estimatedCost: number;
  /** Costed with the whole subset in place. */
  cost: number;
  subsets: number;
  /** Queries costed on every subset of their relevant candidates, and those costed on subsets of up to 3. */
  exactQueries: number;
  approximateQueries: number;
  /** What-if calls this search made (cache misses: earlier searches may have costed some already). */
  whatIfCalls: number;
  ms: number;
  /** Largest |estimate − real| / real among the re-costed subsets. */
  maxEstimateError: number;
}

interface QueryTable {
  weight: number;
  /** Positions, in the reduced set, of the query's relevant candidates. */
  bits: number[];
  /** Cost by local mask (bit j = bits[j]), made monotone: the cheapest costed configuration within the mask. */
  costs: Float64Array;
}

/** Bit masks of up to `maxSize` bits out of `n`, smallest first. */
function masksUpTo(n: number, maxSize: number): number[] {
  const out: number[] = [];
  for (let m = 1; m < 1 << n; m++) {
    let bits = 0;
    for (let x = m; x; x &= x - 1) bits++;
    if (bits >= 2 && bits <= maxSize) out.push(m);
  }
  return out;
}

async function queryTable(q: OracleQuery, reduced: ReducedSet, cache: CostCache): Promise<{ table: QueryTable; exact: boolean }> {
  const base = await cache.cost(q, []);
  const local = reduced.candidates.map((c, i) => ({ c, i })).filter(({ c }) => q.uses.has(tableKeyOf(c)));
  const relevant: { c: IndexCandidate; i: number; cost: number }[] = [];
  for (const { c, i } of local) {
    const cost = await cache.cost(q, [c]);
    if (cost < base * (1 - 1e-9)) relevant.push({ c, i, cost });
  }
  const r = relevant.length;
  const costs = new Float64Array(1 << r).fill(Number.POSITIVE_INFINITY);
  costs[0] = base;
  relevant.forEach((x, j) => (costs[1 << j] = x.cost));
  const exact = r <= EXACT_RELEVANT;
  for (const mask of masksUpTo(r, exact ? r : 3)) {
    costs[mask] = await cache.cost(
      q,
      relevant.filter((_, j) => mask & (1 << j)).map((x) => x.c),
    );
  }
  // The cheapest costed configuration within each mask.
  for (let b = 0; b < r; b++) {
    for (let m = 0; m < 1 << r; m++) if (m & (1 << b)) costs[m] = Math.min(costs[m]!, costs[m ^ (1 << b)]!);
  }
  return { table: { weight: q.weight, bits: relevant.map((x) => x.i), costs }, exact };
}

/** Local mask lookups split in a low and a high half of the global mask, so each subset costs two lookups per query. */
function localMaps(bits: readonly number[], lowBits: number, n: number): { low: Int32Array; high: Int32Array } {
  const low = new Int32Array(1 << lowBits);
  const high = new Int32Array(1 << Math.max(0, n - lowBits));
  for (let x = 0; x < low.length; x++) bits.forEach((g, j) => g < lowBits && x & (1 << g) && (low[x]! |= 1 << j));
  for (let x = 0; x < high.length; x++) bits.forEach((g, j) => g >= lowBits && x & (1 << (g - lowBits)) && (high[x]! |= 1 << j));
  return { low, high };
}

/**
 * The best subset of `reduced` within its budget. With `minMarginal`, only subsets in which every index
 * is worth at least that much (the estimated cost without it, the others kept, minus the cost with it):
 * the plans a search with that improvement threshold could end with.
 */
export async function exhaustiveOptimum(oracle: BenchOracle, cache: CostCache, reduced: ReducedSet, minMarginal = 0): Promise<Optimum> {
  const start = performance.now();
  const evaluationsBefore = cache.evaluations;
  const n = reduced.candidates.length;
  if (n > 24) throw new Error(`the reduced candidate set has ${n} indexes: at most 24 can be enumerated`);
  const tables: QueryTable[] = [];
  let exactQueries = 0;
  for (const q of oracle.queries) {
    const { table, exact } = await queryTable(q, reduced, cache);
    if (exact) exactQueries++;
    tables.push(table);
  }

  const full = 1 << n;
  const bytes = new Float64Array(full);
  for (let s = 1; s < full; s++) {
    const lowest = s & -s;
    bytes[s] = bytes[s ^ lowest]! + reduced.sizes[31 - Math.clz32(lowest)]!;
  }
  const estimate = new Float64Array(full);
  const lowBits = Math.min(n, 12);
  const lowMask = (1 << lowBits) - 1;
  for (const t of tables) {
    if (t.bits.length === 0) {
      const constant = t.weight * t.costs[0]!;
      for (let s = 0; s < full; s++) estimate[s] = estimate[s]! + constant;
      continue;
    }
    const { low, high } = localMaps(t.bits, lowBits, n);
    const { costs, weight } = t;
    for (let s = 0; s < full; s++) estimate[s] = estimate[s]! + weight * costs[low[s & lowMask]! | high[s >>> lowBits]!]!;
  }

  // The best few subsets within the budget, by estimate (ties: the smaller).
  const top: { s: number; cost: number }[] = [];
  const worthEachIndex = (s: number): boolean => {
    for (let rest = s; rest; rest &= rest - 1) if (estimate[s ^ (rest & -rest)]! - estimate[s]! < minMarginal) return false;
    return true;
  };
  for (let s = 0; s < full; s++) {
    if (bytes[s]! > reduced.budgetBytes) continue;
    const cost = estimate[s]!;
    if (top.length === RECOST_TOP && cost >= top[RECOST_TOP - 1]!.cost) continue;
    if (minMarginal > 0 && !worthEachIndex(s)) continue;
    top.push({ s, cost });
    top.sort((x, y) => x.cost - y.cost || bytes[x.s]! - bytes[y.s]!);
    if (top.length > RECOST_TOP) top.pop();
  }

  let maxEstimateError = 0;
  let best: { s: number; estimatedCost: number; cost: number } | null = null;
  for (const { s, cost: estimatedCost } of top) {
    const { total } = await oracle.costs(cache, reduced.candidates.filter((_, i) => s & (1 << i)));
    maxEstimateError = Math.max(maxEstimateError, Math.abs(estimatedCost - total) / total);
    if (!best || total < best.cost - 1e-9 || (Math.abs(total - best.cost) <= 1e-9 && bytes[s]! < bytes[best.s]!)) best = { s, estimatedCost, cost: total };
  }
  return {
    budgetBytes: reduced.budgetBytes,
    indexes: reduced.candidates.filter((_, i) => best!.s & (1 << i)),
    bytes: bytes[best!.s]!,
    estimatedCost: best!.estimatedCost,
    cost: best!.cost,
    subsets: full,
    exactQueries,
    approximateQueries: tables.length - exactQueries,
    whatIfCalls: cache.evaluations - evaluationsBefore,
    ms: performance.now() - start,
    maxEstimateError,
  };
}
