/**
 * The Extend search (Schlosser, Kossmann, Boissier: "Efficient Scalable Multi-Attribute Index Selection
 * Using Recursive Strategies", ICDE 2019). Start with no new index; each round take the one step with the
 * best cost reduction per byte that fits the budget: add a single-column index, or widen a chosen index
 * by one column (or make it covering with INCLUDE). Stop when no step improves the workload by more than
 * the threshold, the index count or budget is reached, or time runs out (anytime: the best configuration
 * so far is returned). Beyond the paper: keys shaped by each statement's predicate are candidates too
 * (equality columns, then a range column), greedy by absolute benefit also runs when there is a budget
 * (the knapsack correction), the best swaps are tried when the budget stops the search, and indexes that
 * later steps made useless are removed.
 *
 * Pure over a cost oracle, so the search can be reasoned about apart from Postgres; the advisor plugs in
 * hypopg's what-if costs. Costs are cached per (query, indexes on the query's tables).
 */
import { quoteIdent } from '../sql/quote.js';
import { candidateKey, tableKeyOf, type IndexCandidate } from './candidate.js';
import { indexableColumns, type TableUse } from './query-columns.js';

export interface SearchQuery {
  id: string;
  weight: number;
  /** How the query uses each table it reads, by `schema.table`. */
  uses: ReadonlyMap<string, TableUse>;
}

export interface CostOracle {
  /** Estimated cost of one execution of the query with these new indexes (all on its tables). */
  cost(query: SearchQuery, indexes: readonly IndexCandidate[]): Promise<number>;
  /** Estimated size in bytes of the index. */
  size(index: IndexCandidate): Promise<number>;
}

export interface SearchOptions {
  /** Total bytes the new indexes may take (default: no limit). */
  budgetBytes?: number;
  /** At most this many new indexes (default: no limit). */
  maxIndexes?: number;
  /** Widest key (default 3). */
  maxWidth?: number;
  /** A step must cut the workload cost by at least this share of the cost without new indexes (default 0.0005). */
  minImprovement?: number;
  /** Stop searching at this time (ms since epoch, `Date.now()` clock). */
  deadline?: number;
  /** Consider INCLUDE (covering) variants (default true). */
  covering?: boolean;
  /** Consider partial variants for `column = constant` predicates (default true). */
  partial?: boolean;
  /** Candidates to leave out (existing indexes already serve them), by candidateKey. */
  exclude?: ReadonlySet<string>;
  /** Called with each step of the plan found. */
  onStep?(step: SearchStep): void;
  /** Distinct values of a column (pg_stats), to order equality columns in query-shaped keys. */
  distinct?(schema: string, table: string, column: string): number | undefined;
}

export interface SearchStep {
  kind: 'add' | 'widen' | 'cover' | 'swap' | 'remove';
  index: IndexCandidate;
  replaces: IndexCandidate | null;
  workloadCost: number;
  bytes: number;
}

export interface SearchResult {
  indexes: IndexCandidate[];
  steps: SearchStep[];
  /** Weighted workload cost with no new index, and with the chosen ones. */
  costBefore: number;
  costAfter: number;
  bytes: number;
  /** Why the search ended. */
  stoppedBy: 'no-improvement' | 'budget' | 'max-indexes' | 'time-limit';
  /** Cost evaluations asked of the oracle (cache misses). */
  evaluations: number;
}

/** Memoises oracle costs per (query, indexes on its tables) and sizes per index. */
export class CostCache {
  evaluations = 0;
  private readonly costs = new Map<string, Promise<number>>();
  private readonly sizes = new Map<string, Promise<number>>();

  constructor(private readonly oracle: CostOracle) {}

  cost(query: SearchQuery, config: readonly IndexCandidate[]): Promise<number> {
    const relevant = config.filter((c) => query.uses.has(tableKeyOf(c)));
    const key = `${query.id}\u0000${relevant.map(candidateKey).sort().join('\u0000')}`;
    let cost = this.costs.get(key);
    if (!cost) {
      this.evaluations++;
      cost = this.oracle.cost(query, relevant);
      this.costs.set(key, cost);
    }
    return cost;
  }

  size(index: IndexCandidate): Promise<number> {
    const key = candidateKey(index);
    let size = this.sizes.get(key);
    if (!size) {
      size = this.oracle.size(index);
      this.sizes.set(key, size);
    }
    return size;
  }

  /** Weighted cost of the whole workload under `config` (sequential: one planner session). */
  async workloadCost(queries: readonly SearchQuery[], config: readonly IndexCandidate[]): Promise<number> {
    let total = 0;
    for (const query of queries) total += query.weight * (await this.cost(query, config));
    return total;
  }
}

export async function extendSearch(queries: readonly SearchQuery[], cache: CostCache, options: SearchOptions = {}): Promise<SearchResult> {
  const budget = options.budgetBytes ?? Number.POSITIVE_INFINITY;
  const maxIndexes = options.maxIndexes ?? Number.POSITIVE_INFINITY;
  const maxWidth = options.maxWidth ?? 3;
  const exclude = options.exclude ?? new Set<string>();
  const startEvaluations = cache.evaluations;
  const timeUp = (): boolean => options.deadline !== undefined && Date.now() > options.deadline;

  const addable = [...singleColumnCandidates(queries, options.partial ?? true), ...queryShapedCandidates(queries, maxWidth, options.distinct)].filter(
    (c) => !exclude.has(candidateKey(c)),
  );
  const costBefore = await cache.workloadCost(queries, []);
  const threshold = costBefore * (options.minImprovement ?? DEFAULT_MIN_IMPROVEMENT);
  const search: SearchContext = { queries, cache, options, budget, maxIndexes, maxWidth, exclude, threshold, timeUp, addable };

  // Greedy by benefit per byte can fill a budget with small indexes and leave no room for a big one
  // that is worth more: the knapsack correction also runs greedy by benefit and keeps the better plan.
  const improve = async (plan: Plan): Promise<Plan> => {
    const swapped = (plan.stoppedBy === 'budget' || plan.stoppedBy === 'max-indexes') && !timeUp() ? await swap(search, plan) : plan;
    return prune(search, swapped);
  };
  let best = await improve(await greedy(search, 'per-byte', costBefore));
  if (Number.isFinite(budget) && !timeUp()) {
    const byBenefit = await improve(await greedy(search, 'absolute', costBefore));
    if (byBenefit.cost < best.cost - 1e-9) best = byBenefit;
  }
  if (timeUp() && best.stoppedBy !== 'time-limit') best.stoppedBy = 'time-limit';
  for (const step of best.steps) options.onStep?.(step);
  return { indexes: best.config, steps: best.steps, costBefore, costAfter: best.cost, bytes: best.bytes, stoppedBy: best.stoppedBy, evaluations: cache.evaluations - startEvaluations };
}

/** A step must cut the workload cost by this share of the cost without new indexes (0.05 %). */
export const DEFAULT_MIN_IMPROVEMENT = 0.0005;

interface SearchContext {
  queries: readonly SearchQuery[];
  cache: CostCache;
  options: SearchOptions;
  budget: number;
  maxIndexes: number;
  maxWidth: number;
  exclude: ReadonlySet<string>;
  threshold: number;
  timeUp(): boolean;
  /** Candidates an add step may take: single columns, their partial variants, query-shaped keys. */
  addable: readonly IndexCandidate[];
}

interface Plan {
  config: IndexCandidate[];
  steps: SearchStep[];
  cost: number;
  bytes: number;
  stoppedBy: SearchResult['stoppedBy'];
}

/** The cost change of replacing `config` by `next`: only queries on the tables touched can change. */
async function costDelta(search: SearchContext, config: readonly IndexCandidate[], next: readonly IndexCandidate[], tables: ReadonlySet<string>): Promise<number> {
  let delta = 0;
  for (const query of search.queries) {
    let touched = false;
    for (const table of tables) if (query.uses.has(table)) touched = true;
    if (!touched) continue;
    delta += query.weight * ((await search.cache.cost(query, config)) - (await search.cache.cost(query, next)));
  }
  return delta;
}

async function totalBytes(search: SearchContext, config: readonly IndexCandidate[]): Promise<number> {
  let bytes = 0;
  for (const index of config) bytes += await search.cache.size(index);
  return bytes;
}

/** The candidate's keys lead an index already chosen (same predicate): it would add nothing. */
function coveredByChosen(candidate: IndexCandidate, config: readonly IndexCandidate[]): boolean {
  return config.some(
    (chosen) =>
      tableKeyOf(chosen) === tableKeyOf(candidate) &&
      chosen.where === candidate.where &&
      candidate.include.length === 0 &&
      candidate.columns.length <= chosen.columns.length &&
      candidate.columns.every((c, i) => chosen.columns[i] === c),
  );
}

/** Extend's rounds: add a candidate or widen a chosen index, the best step each round. */
async function greedy(search: SearchContext, rank: 'per-byte' | 'absolute', costBefore: number, start?: Plan): Promise<Plan> {
  let config: IndexCandidate[] = start ? [...start.config] : [];
  let current = start ? start.cost : costBefore;
  let bytes = start ? start.bytes : 0;
  const steps: SearchStep[] = start ? [...start.steps] : [];
  let stoppedBy: SearchResult['stoppedBy'] = 'no-improvement';
  for (;;) {
    if (search.timeUp()) {
      stoppedBy = 'time-limit';
      break;
    }
    let best: { step: SearchStep; config: IndexCandidate[]; score: number } | null = null;
    let blockedByBudget = false;
    let blockedByCount = false;
    const chosen = new Set(config.map(candidateKey));

    const consider = async (kind: SearchStep['kind'], index: IndexCandidate, replaces: IndexCandidate | null): Promise<void> => {
      const key = candidateKey(index);
      if (chosen.has(key) || search.exclude.has(key)) return;
      if (!replaces && coveredByChosen(index, config)) return;
      if (!replaces && config.length >= search.maxIndexes) {
        blockedByCount = true;
        return;
      }
      const added = (await search.cache.size(index)) - (replaces ? await search.cache.size(replaces) : 0);
      if (bytes + added > search.budget) {
        blockedByBudget = true;
        return;
      }
      const next = replaces ? config.map((c) => (c === replaces ? index : c)) : [...config, index];
      const delta = await costDelta(search, config, next, new Set([tableKeyOf(index)]));
      if (delta <= search.threshold) return;
      const score = rank === 'per-byte' ? delta / Math.max(added, 1) : delta;
      if (!best || score > best.score) best = { score, config: next, step: { kind, index, replaces, workloadCost: current - delta, bytes: bytes + added } };
    };

    for (const candidate of search.addable) {
      if (search.timeUp()) break;
      await consider('add', candidate, null);
    }
    for (const index of config) {
      if (search.timeUp()) break;
      for (const wider of widenings(index, search.queries, search.maxWidth)) await consider('widen', wider, index);
      if (search.options.covering ?? true) for (const covering of coveringVariants(index, search.queries)) await consider('cover', covering, index);
    }
    if (search.timeUp()) {
      stoppedBy = 'time-limit';
      break;
    }
    if (!best) {
      stoppedBy = blockedByBudget ? 'budget' : blockedByCount ? 'max-indexes' : 'no-improvement';
      break;
    }
    const taken: { step: SearchStep; config: IndexCandidate[] } = best;
    config = taken.config;
    current = taken.step.workloadCost;
    bytes = taken.step.bytes;
    steps.push(taken.step);
  }
  return { config, steps, cost: current, bytes, stoppedBy };
}

/**
 * When the budget or the index count stopped the search: exchange one chosen index, or two, for one
 * that was not chosen, while that lowers the cost and fits (best exchange first), then let the greedy
 * rounds use what the exchange freed.
 */
async function swap(search: SearchContext, plan: Plan): Promise<Plan> {
  let current = plan;
  for (let round = 0; round < 2 * Math.max(plan.config.length, 1) && !search.timeUp(); round++) {
    const exchange = (await bestExchange(search, current, 1)) ?? (await bestExchange(search, current, 2));
    if (!exchange) break;
    const cost = current.cost - exchange.delta;
    const steps = [...current.steps, { kind: 'swap' as const, index: exchange.index, replaces: exchange.removed[0]!, workloadCost: cost, bytes: exchange.bytes }];
    const swapped: Plan = { config: exchange.config, steps, cost, bytes: exchange.bytes, stoppedBy: current.stoppedBy };
    current = await greedy(search, 'per-byte', cost, swapped);
  }
  return current;
}

/** The best exchange of `count` chosen indexes for one unchosen candidate, if one lowers the cost. */
async function bestExchange(
  search: SearchContext,
  plan: Plan,
  count: 1 | 2,
): Promise<{ config: IndexCandidate[]; delta: number; bytes: number; index: IndexCandidate; removed: IndexCandidate[] } | null> {
  const chosen = new Set(plan.config.map(candidateKey));
  const groups: IndexCandidate[][] = [];
  for (let i = 0; i < plan.config.length; i++) {
    if (count === 1) groups.push([plan.config[i]!]);
    else for (let j = i + 1; j < plan.config.length; j++) groups.push([plan.config[i]!, plan.config[j]!]);
  }
  let best: { config: IndexCandidate[]; delta: number; bytes: number; index: IndexCandidate; removed: IndexCandidate[] } | null = null;
  for (const removed of groups) {
    if (search.timeUp()) break;
    const rest = plan.config.filter((c) => !removed.includes(c));
    let freed = plan.bytes;
    for (const r of removed) freed -= await search.cache.size(r);
    for (const candidate of search.addable) {
      if (chosen.has(candidateKey(candidate)) || coveredByChosen(candidate, rest)) continue;
      const size = await search.cache.size(candidate);
      if (freed + size > search.budget) continue;
      const next = [...rest, candidate];
      const tables = new Set([...removed.map(tableKeyOf), tableKeyOf(candidate)]);
      const delta = await costDelta(search, plan.config, next, tables);
      if (delta > search.threshold && (!best || delta > best.delta)) best = { config: next, delta, bytes: freed + size, index: candidate, removed };
    }
  }
  return best;
}

/** Removes chosen indexes that later steps made (nearly) useless: each must still be worth the threshold. */
async function prune(search: SearchContext, plan: Plan): Promise<Plan> {
  let { config, cost } = plan;
  const steps = [...plan.steps];
  for (;;) {
    let weakest: { index: IndexCandidate; delta: number } | null = null;
    for (const index of config) {
      const rest = config.filter((c) => c !== index);
      const delta = await costDelta(search, rest, config, new Set([tableKeyOf(index)]));
      if (!weakest || delta < weakest.delta) weakest = { index, delta };
    }
    if (!weakest || weakest.delta > search.threshold) break;
    const removed = weakest.index;
    config = config.filter((c) => c !== removed);
    cost += weakest.delta;
    steps.push({ kind: 'remove', index: removed, replaces: null, workloadCost: cost, bytes: await totalBytes(search, config) });
  }
  return { config, steps, cost, bytes: await totalBytes(search, config), stoppedBy: plan.stoppedBy };
}

/**
 * Keys shaped by one statement's predicate: its equality and join columns first (most distinct values
 * first when known), then one range or ORDER BY column. Extend reaches multi-column keys only by
 * appending to a useful prefix; these give it the column orders a single statement needs directly.
 */
export function queryShapedCandidates(
  queries: readonly SearchQuery[],
  maxWidth: number,
  distinct?: (schema: string, table: string, column: string) => number | undefined,
): IndexCandidate[] {
  const byKey = new Map<string, IndexCandidate>();
  const add = (use: TableUse, columns: string[]): void => {
    if (columns.length < 2) return;
    const candidate: IndexCandidate = { schema: use.schema, table: use.table, columns, include: [], where: null };
    byKey.set(candidateKey(candidate), candidate);
  };
  for (const query of queries) {
    for (const use of query.uses.values()) {
      const equal = [...new Set([...use.equality, ...use.join])];
      if (distinct) equal.sort((a, b) => (distinct(use.schema, use.table, b) ?? 0) - (distinct(use.schema, use.table, a) ?? 0));
      const lead = equal.slice(0, maxWidth - 1);
      add(use, equal.slice(0, maxWidth));
      for (const last of new Set([...use.range, ...use.order])) if (!lead.includes(last)) add(use, [...lead, last]);
    }
  }
  return [...byKey.values()];
}

/** One btree per column that some query compares, joins, sorts or groups on; plus partial variants. */
export function singleColumnCandidates(queries: readonly SearchQuery[], partial: boolean): IndexCandidate[] {
  const byKey = new Map<string, IndexCandidate>();
  const add = (candidate: IndexCandidate): void => {
    const key = candidateKey(candidate);
    if (!byKey.has(key)) byKey.set(key, candidate);
  };
  for (const query of queries) {
    for (const use of query.uses.values()) {
      const columns = indexableColumns(use);
      for (const column of columns) add({ schema: use.schema, table: use.table, columns: [column], include: [], where: null });
      if (!partial) continue;
      for (const [constantColumn, literal] of use.constants) {
        const where = `${quoteIdent(constantColumn)} = ${literal}`;
        for (const column of columns) if (column !== constantColumn) add({ schema: use.schema, table: use.table, columns: [column], include: [], where });
      }
    }
  }
  return [...byKey.values()];
}

/** The index with one more key column that a query using all its columns also uses. */
export function widenings(index: IndexCandidate, queries: readonly SearchQuery[], maxWidth: number): IndexCandidate[] {
  if (index.columns.length >= maxWidth || index.include.length > 0) return [];
  const table = tableKeyOf(index);
  const out = new Map<string, IndexCandidate>();
  for (const query of queries) {
    const use = query.uses.get(table);
    if (!use || !servesPredicate(index, use)) continue;
    const columns = indexableColumns(use);
    if (!index.columns.every((c) => columns.has(c))) continue;
    for (const column of columns) {
      if (index.columns.includes(column)) continue;
      const wider = { ...index, columns: [...index.columns, column] };
      out.set(candidateKey(wider), wider);
    }
  }
  return [...out.values()];
}

/** The index with INCLUDE of the other columns a query reads from the table, for an index-only scan. */
export function coveringVariants(index: IndexCandidate, queries: readonly SearchQuery[]): IndexCandidate[] {
  if (index.include.length > 0) return [];
  const table = tableKeyOf(index);
  const out = new Map<string, IndexCandidate>();
  for (const query of queries) {
    const use = query.uses.get(table);
    if (!use || !servesPredicate(index, use) || !index.columns.every((c) => use.referenced.has(c))) continue;
    const rest = [...use.referenced].filter((c) => !index.columns.includes(c)).sort();
    // Wide INCLUDE lists copy most of the table: not a covering index any more.
    if (rest.length === 0 || rest.length > 4) continue;
    const covering = { ...index, include: rest };
    out.set(candidateKey(covering), covering);
  }
  return [...out.values()];
}

/** A partial index serves only queries with its predicate. */
function servesPredicate(index: IndexCandidate, use: TableUse): boolean {
  if (!index.where) return true;
  for (const [column, literal] of use.constants) if (index.where === `${quoteIdent(column)} = ${literal}`) return true;
  return false;
}

