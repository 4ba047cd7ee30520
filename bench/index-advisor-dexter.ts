/**
 * A per-query greedy baseline in the style of dexter (ankane/dexter): for each statement on its own,
 * the best single index of one or two key columns (by what-if cost, over the columns the statement
 * filters, joins, sorts or groups on, both orders of each pair), kept only when it at least halves
 * that statement's cost. The union over statements is the baseline's plan; no budget, no covering or
 * partial indexes, no look at what the other statements need.
 */
import { performance } from 'node:perf_hooks';
import { candidateKey, type IndexCandidate } from '../src/advise/candidate.js';
import { indexableColumns } from '../src/advise/query-columns.js';
import type { BenchOracle } from './index-advisor-oracle.js';

/** dexter keeps an index when it cuts a query's cost by at least this share. */
const REQUIRED_SAVING = 0.5;

export interface DexterResult {
  indexes: IndexCandidate[];
  whatIfCalls: number;
  ms: number;
}

export async function dexterBaseline(oracle: BenchOracle): Promise<DexterResult> {
  const start = performance.now();
  const cache = oracle.newCache();
  const chosen = new Map<string, IndexCandidate>();
  for (const query of oracle.queries) {
    const base = await cache.cost(query, []);
    let best: { index: IndexCandidate; cost: number } | null = null;
    for (const use of query.uses.values()) {
      const columns = [...indexableColumns(use)];
      const candidates: IndexCandidate[] = [];
      for (const a of columns) {
        candidates.push({ schema: use.schema, table: use.table, columns: [a], include: [], where: null });
        for (const b of columns) if (b !== a) candidates.push({ schema: use.schema, table: use.table, columns: [a, b], include: [], where: null });
      }
      for (const index of candidates) {
        if (oracle.served.has(candidateKey(index))) continue;
        const cost = await cache.cost(query, [index]);
        // Ties go to the narrower index (tried first).
        if (!best || cost < best.cost) best = { index, cost };
      }
    }
    if (best && best.cost <= base * (1 - REQUIRED_SAVING)) chosen.set(candidateKey(best.index), best.index);
  }
  return { indexes: [...chosen.values()], whatIfCalls: cache.evaluations, ms: performance.now() - start };
}
