/**
 * The what-if oracle the index-advisor benchmark judges the advisor with: the advisor's own parts
 * (WhatIfSession over hypopg, tableUses, CostCache), set up the way adviseIndexes sets them up, in a
 * read-only session of its own. Same server, same statistics, same statements: a configuration costs
 * here what it costs inside the advisor, so the optimum and the baselines are measured on its scale.
 * The candidate filters are the advisor's own (src/advise/candidate-filters.ts).
 */
import { readSnapshot } from '../src/catalog/read-snapshot.js';
import { SnapshotIndex } from '../src/catalog/snapshot-index.js';
import { LiveDb } from '../src/db/live-db.js';
import { candidateKey, type IndexCandidate } from '../src/advise/candidate.js';
import { CostCache, type SearchQuery } from '../src/advise/extend.js';
import { tableUses } from '../src/advise/query-columns.js';
import { keepCategoricalConstants, servedByExisting } from '../src/advise/candidate-filters.js';
import { parameterCount } from '../src/advise/generic-plan.js';
import { WhatIfSession, type CostableQuery } from '../src/advise/what-if.js';
import { ensureParser, parseSync } from '../src/sql/parser.js';
import type { BenchQuery, BenchWorkload } from './index-advisor-workloads.js';

/** A workload statement ready for costing; `id` is `q<n>` as workloadFromList numbers them. */
export interface OracleQuery extends SearchQuery, CostableQuery {
  label: string;
  source: BenchQuery;
}

export class BenchOracle {
  private constructor(
    private readonly db: LiveDb,
    readonly session: WhatIfSession,
    readonly queries: OracleQuery[],
    /** candidateKey of the plain btree prefixes existing indexes already give (the advisor leaves them out). */
    readonly served: ReadonlySet<string>,
  ) {}

  static async open(url: string, workload: BenchWorkload): Promise<BenchOracle> {
    await ensureParser();
    const db = await LiveDb.connect({ url });
    try {
      const { snapshot } = await readSnapshot(db, { source: 'live', description: db.description });
      const schema = new SnapshotIndex(snapshot);
      const session = await WhatIfSession.open(db, snapshot.server.versionNum);
      const queries = workload.queries.map((source, i): OracleQuery => {
        const stmts = parseSync(source.sql).stmts ?? [];
        if (stmts.length !== 1) throw new Error(`${source.label}: ${stmts.length} statements where one was expected`);
        const tree = stmts[0]!.stmt as Record<string, unknown>;
        const uses = tableUses(tree as never, schema, ['public']);
        keepCategoricalConstants(uses, schema);
        return { id: `q${i + 1}`, label: source.label, source, sql: source.sql, weight: source.weight, uses, tables: new Set(uses.keys()), parameters: parameterCount(tree) };
      });
      const served = servedByExisting(snapshot, queries);
      return new BenchOracle(db, session, queries, served);
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  /** A fresh cache (its `evaluations` count what-if calls made through it). */
  newCache(): CostCache {
    return new CostCache({
      cost: async (query, indexes) => (await this.session.cost(query as OracleQuery, indexes)).cost,
      size: (index) => this.session.size(index),
    });
  }

  /** Weighted workload cost under `config`, and each query's cost. */
  async costs(cache: CostCache, config: readonly IndexCandidate[]): Promise<{ total: number; perQuery: number[] }> {
    const perQuery: number[] = [];
    let total = 0;
    for (const q of this.queries) {
      const cost = await cache.cost(q, config);
      perQuery.push(cost);
      total += q.weight * cost;
    }
    return { total, perQuery };
  }

  async close(): Promise<void> {
    await this.session.reset().catch(() => undefined);
    await this.db.close();
  }
}

/** `table (a, b) INCLUDE (c) WHERE ...`, short, for reports. */
export function shortLabel(c: IndexCandidate): string {
  return `${c.table} (${c.columns.join(', ')})${c.include.length ? ` INCLUDE (${c.include.join(', ')})` : ''}${c.where ? ` WHERE ${c.where}` : ''}`;
}

