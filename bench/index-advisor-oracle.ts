/**
 * The what-if oracle the index-advisor benchmark judges the advisor with: the advisor's own parts
 * (WhatIfSession over hypopg, tableUses, CostCache), set up the way adviseIndexes sets them up, in a
 * read-only session of its own. Same server, same statistics, same statements: a configuration costs
 * here what it costs inside the advisor, so the optimum and the baselines are measured on its scale.
 *
 * The preparation repeats what src/advise/advise.ts does privately (prepareQueries,
 * keepCategoricalConstants, servedByExisting); if those were exported, this file would shrink to the
 * session set-up.
 */
import { readSnapshot } from '../src/catalog/read-snapshot.js';
import { SnapshotIndex } from '../src/catalog/snapshot-index.js';
import { LiveDb } from '../src/db/live-db.js';
import { candidateKey, type IndexCandidate } from '../src/advise/candidate.js';
import { CostCache, type SearchQuery } from '../src/advise/extend.js';
import { tableUses, type TableUse } from '../src/advise/query-columns.js';
import { parameterCount } from '../src/advise/generic-plan.js';
import { WhatIfSession, type CostableQuery } from '../src/advise/what-if.js';
import { ensureParser, parseSync } from '../src/sql/parser.js';
import type { BenchQuery, BenchWorkload } from './index-advisor-workloads.js';

/** A workload statement ready for costing; `id` is `q<n>` as workloadFromList numbers them. */
export interface OracleQuery extends SearchQuery, CostableQuery {
  label: string;
  source: BenchQuery;
}

/** Same as the advisor's PARTIAL_MAX_DISTINCT. */
const PARTIAL_MAX_DISTINCT = 100;

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
      const served = new Set<string>();
      for (const index of snapshot.indexes) {
        if (index.method !== 'btree' || !index.valid || index.predicate !== null) continue;
        for (let width = 1; width <= index.keyColumns.length; width++) {
          const columns = index.keyColumns.slice(0, width);
          if (columns.some((c) => c === null)) break;
          served.add(candidateKey({ schema: index.schema, table: index.table, columns: columns as string[], include: [], where: null }));
        }
      }
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

/** As the advisor does: a partial-index constant only for a column with few distinct values. */
function keepCategoricalConstants(uses: ReadonlyMap<string, TableUse>, schema: SnapshotIndex): void {
  for (const [key, use] of uses) {
    const table = schema.tables.get(key);
    const columns = schema.columnsByTable.get(key) ?? [];
    for (const column of [...use.constants.keys()]) {
      const stats = columns.find((c) => c.name === column)?.stats;
      const rows = table?.rowEstimate ?? 0;
      const distinct = !stats ? Number.POSITIVE_INFINITY : stats.distinct >= 0 ? stats.distinct : -stats.distinct * rows;
      if (!(distinct > 0 && distinct <= PARTIAL_MAX_DISTINCT)) use.constants.delete(column);
    }
  }
}

/** `table (a, b) INCLUDE (c) WHERE ...`, short, for reports. */
export function shortLabel(c: IndexCandidate): string {
  return `${c.table} (${c.columns.join(', ')})${c.include.length ? ` INCLUDE (${c.include.join(', ')})` : ''}${c.where ? ` WHERE ${c.where}` : ''}`;
}

