/**
 * The Extend search (Schlosser, Kossmann, Boissier: "Efficient Scalable Multi-Attribute Index Selection
 * Using Recursive Strategies", ICDE 2019). Start with no new index; each round take the one step with the
 * best cost reduction per byte that fits the budget: add a single-column index, or widen a chosen index
 * by one column (or make it covering with INCLUDE). Stop when no step improves the workload by more than
 * the threshold, the index count or budget is reached, or time runs out (anytime: the best configuration
 * so far is returned).
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
  /** A step must cut the workload cost by at least this share of the cost without new indexes (default 0.002). */
  minImprovement?: number;
  /** Stop searching at this time (ms since epoch, `Date.now()` clock). */
  deadline?: number;
  /** Consider INCLUDE (covering) variants (default true). */
  covering?: boolean;
  /** Consider partial variants for `column = constant` predicates (default true). */
  partial?: boolean;
  /** Candidates to leave out (existing indexes already serve them), by candidateKey. */
  exclude?: ReadonlySet<string>;
  /** Called after each round with the step taken. */
  onStep?(step: SearchStep): void;
}

export interface SearchStep {
  kind: 'add' | 'widen' | 'cover';
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
  const minImprovement = options.minImprovement ?? 0.002;
  const exclude = options.exclude ?? new Set<string>();
  const startEvaluations = cache.evaluations;

  const singles = singleColumnCandidates(queries, options.partial ?? true).filter((c) => !exclude.has(candidateKey(c)));
  let config: IndexCandidate[] = [];
  const costBefore = await cache.workloadCost(queries, config);
  let current = costBefore;
  let bytes = 0;
  const steps: SearchStep[] = [];
  const threshold = costBefore * minImprovement;
  let stoppedBy: SearchResult['stoppedBy'] = 'no-improvement';

  const timeUp = (): boolean => options.deadline !== undefined && Date.now() > options.deadline;

  for (;;) {
    if (timeUp()) {
      stoppedBy = 'time-limit';
      break;
    }
    let best: { step: SearchStep; config: IndexCandidate[]; ratio: number } | null = null;
    let blockedByBudget = false;
    let blockedByCount = false;
    const chosen = new Set(config.map(candidateKey));

    const consider = async (kind: SearchStep['kind'], index: IndexCandidate, replaces: IndexCandidate | null): Promise<void> => {
      const key = candidateKey(index);
      if (chosen.has(key) || exclude.has(key)) return;
      if (!replaces && config.length >= maxIndexes) {
        blockedByCount = true;
        return;
      }
      const size = await cache.size(index);
      const added = size - (replaces ? await cache.size(replaces) : 0);
      if (bytes + added > budget) {
        blockedByBudget = true;
        return;
      }
      const next = replaces ? config.map((c) => (c === replaces ? index : c)) : [...config, index];
      // Only queries on the index's table can change.
      const table = tableKeyOf(index);
      let delta = 0;
      for (const query of queries) {
        if (!query.uses.has(table)) continue;
        delta += query.weight * ((await cache.cost(query, config)) - (await cache.cost(query, next)));
      }
      if (delta <= threshold) return;
      const ratio = delta / Math.max(added, 1);
      if (!best || ratio > best.ratio) best = { ratio, config: next, step: { kind, index, replaces, workloadCost: current - delta, bytes: bytes + added } };
    };

    for (const single of singles) {
      if (timeUp()) break;
      await consider('add', single, null);
    }
    for (const index of config) {
      if (timeUp()) break;
      for (const wider of widenings(index, queries, maxWidth)) await consider('widen', wider, index);
      if (options.covering ?? true) for (const covering of coveringVariants(index, queries)) await consider('cover', covering, index);
    }
    if (timeUp()) {
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
    options.onStep?.(taken.step);
  }
  return { indexes: config, steps, costBefore, costAfter: current, bytes, stoppedBy, evaluations: cache.evaluations - startEvaluations };
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

