/**
 * Existing indexes the advisor proposes to drop: ones no workload plan uses and that pg_stat_user_indexes
 * shows never scanned, and duplicates and redundant prefixes of another index (the review's own rules).
 * Never an index that backs a constraint (primary key, unique, exclusion) or the replica identity: those
 * do work no plan shows.
 */
import { tableKey } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot, Index } from '../catalog/types.js';
import type { Db } from '../db/db.js';
import { EMPTY_CONFIG } from '../config/config.js';
import { runRules } from '../engine/run-rules.js';
import duplicateIndex from '../rules/indexes/duplicate-index.js';
import redundantIndex from '../rules/indexes/redundant-index.js';
import { qualifiedName } from '../sql/quote.js';

export interface DropProposal {
  schema: string;
  table: string;
  index: string;
  /** `unused`, or the review rule that found it (`duplicate-index`, `redundant-index`). */
  kind: 'unused' | 'duplicate-index' | 'redundant-index';
  reason: string;
  bytes: number | null;
  /** Index scans since statistics were reset (null when not visible). */
  scans: number | null;
  /** Workload statements whose plan (with the advice applied) uses it. */
  usedByWorkload: boolean;
  /** Writes to its table since the statistics reset that had to maintain it. */
  tableWrites: number | null;
  /** `DROP INDEX CONCURRENTLY ...;` */
  sql: string;
}

/** `existingUsed` holds `schema.table.index` of every existing index a workload plan uses. */
export async function findDrops(db: Db, snapshot: CatalogSnapshot, existingUsed: ReadonlySet<string>): Promise<DropProposal[]> {
  const protectedIndexes = await replicaIdentityIndexes(db);
  const writes = await writesPerTable(db);
  const since = snapshot.server.statsReset ?? snapshot.server.startedAt;
  const byName = new Map(snapshot.indexes.map((i) => [`${i.schema}.${i.name}`, i]));
  const proposals = new Map<string, DropProposal>();

  const propose = (index: Index, kind: DropProposal['kind'], reason: string): void => {
    const id = `${index.schema}.${index.name}`;
    if (proposals.has(id) || index.constraint !== null || protectedIndexes.has(id) || index.parentIndex !== null) return;
    proposals.set(id, {
      schema: index.schema,
      table: index.table,
      index: index.name,
      kind,
      reason,
      bytes: index.bytes,
      scans: index.stats?.scans ?? null,
      usedByWorkload: existingUsed.has(`${index.schema}.${index.table}.${index.name}`),
      tableWrites: writes.get(tableKey(index.schema, index.table)) ?? null,
      sql: `DROP INDEX CONCURRENTLY ${qualifiedName(index.schema, index.name)};`,
    });
  };

  const { findings } = await runRules(snapshot, [duplicateIndex, redundantIndex], { config: EMPTY_CONFIG });
  // The index a duplicate or a redundant one defers to stays, even when it is unused itself.
  const kept = new Set<string>();
  for (const finding of findings) {
    if (finding.object.type !== 'index') continue;
    const index = byName.get(`${finding.object.schema}.${finding.object.name}`);
    if (!index) continue;
    const keeper = (finding.evidence.keptIndex ?? finding.evidence.coveringIndex) as string | undefined;
    if (keeper) kept.add(`${index.schema}.${keeper}`);
    if (!kept.has(`${index.schema}.${index.name}`)) propose(index, finding.rule as DropProposal['kind'], finding.message);
  }
  for (const index of snapshot.indexes) {
    if (kept.has(`${index.schema}.${index.name}`)) continue;
    if (!index.valid || index.partitioned || index.stats === null || index.stats.scans > 0) continue;
    if (existingUsed.has(`${index.schema}.${index.table}.${index.name}`)) continue;
    propose(index, 'unused', `Index ${index.schema}.${index.table}.${index.name} has had no scans${since ? ` since ${since}` : ''} and no workload plan uses it.`);
  }
  return [...proposals.values()];
}

async function replicaIdentityIndexes(db: Db): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indisreplident`,
  );
  return new Set(rows.map((r) => r.name));
}

/** Writes since the statistics reset, per `schema.table`: inserts, deletes and non-HOT updates maintain every index. */
export async function writesPerTable(db: Db): Promise<Map<string, number>> {
  const rows = await db.query<{ key: string; writes: string }>(
    `SELECT schemaname || '.' || relname AS key, (n_tup_ins + n_tup_upd - n_tup_hot_upd + n_tup_del)::text AS writes FROM pg_stat_user_tables`,
  );
  return new Map(rows.map((r) => [r.key, Number(r.writes)]));
}
