/** Which candidates the advisor considers at all: partial variants only for columns of few values, and none an existing index already serves. */
import { tableKey, type SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot, Index } from '../catalog/types.js';
import { candidateKey } from './candidate.js';
import type { SearchQuery } from './extend.js';
import type { TableUse } from './query-columns.js';

/** Most distinct values a column may have for `column = constant` to make a partial-index variant. */
const PARTIAL_MAX_DISTINCT = 100;

/**
 * A partial index pays for a constant of a column with few values (`status = 'pending'`); for a key
 * (`customer_id = 42`) it would be an index per value: such constants are dropped from the candidates.
 */
export function keepCategoricalConstants(uses: ReadonlyMap<string, TableUse>, schema: SnapshotIndex): void {
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

/**
 * Candidates an existing valid btree index already serves: its keys begin with the candidate's keys
 * (an index on (a, b) serves searches on a). Partial and covering candidates are still considered.
 */
export function servedByExisting(snapshot: CatalogSnapshot, queries: readonly SearchQuery[]): Set<string> {
  const served = new Set<string>();
  const byTable = new Map<string, Index[]>();
  for (const index of snapshot.indexes) {
    if (index.method !== 'btree' || !index.valid || index.predicate !== null) continue;
    const key = tableKey(index.schema, index.table);
    byTable.set(key, [...(byTable.get(key) ?? []), index]);
  }
  for (const query of queries) {
    for (const [table, use] of query.uses) {
      for (const index of byTable.get(table) ?? []) {
        const keys = index.keyColumns;
        for (let width = 1; width <= keys.length; width++) {
          const columns = keys.slice(0, width);
          if (columns.some((c) => c === null)) break;
          served.add(candidateKey({ schema: use.schema, table: use.table, columns: columns as string[], include: [], where: null }));
        }
      }
    }
  }
  return served;
}

/** Distinct values of a column from pg_stats (n_distinct, negative = share of the rows), when analysed. */
export function columnDistinct(schema: SnapshotIndex): (schemaName: string, table: string, column: string) => number | undefined {
  return (schemaName, table, column) => {
    const key = tableKey(schemaName, table);
    const stats = (schema.columnsByTable.get(key) ?? []).find((c) => c.name === column)?.stats;
    if (!stats) return undefined;
    return stats.distinct >= 0 ? stats.distinct : -stats.distinct * (schema.tables.get(key)?.rowEstimate ?? 0);
  };
}
