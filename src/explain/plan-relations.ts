/**
 * The tables a plan reads, described for the diagnoses that need more than the plan: statistics
 * freshness, column types, indexes. Read from the server in one query, or taken from a snapshot.
 */
import type { CatalogSnapshot } from '../catalog/types.js';
import type { Db } from '../db/db.js';
import type { PlanNode } from '../plan/types.js';
import type { PlanRelation } from '../rules/plan-rule.js';
import { qualifiedName, quoteIdent } from '../sql/quote.js';

/** Tables named by the plan's nodes: `{ schema, name }`, schema undefined without VERBOSE. */
export function relationsInPlan(nodes: readonly PlanNode[]): { schema?: string; name: string }[] {
  const seen = new Map<string, { schema?: string; name: string }>();
  for (const node of nodes) {
    const name = node['Relation Name'];
    if (!name) continue;
    seen.set(`${node.Schema ?? ''}\u0000${name}`, { schema: node.Schema, name });
  }
  return [...seen.values()];
}

const RELATIONS_SQL = `
SELECT n.nspname AS schema, c.relname AS name,
       CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::float8 END AS row_estimate,
       s.relid IS NOT NULL AS stats_visible,
       s.n_live_tup::float8 AS live_tuples,
       s.n_mod_since_analyze::float8 AS mods_since_analyze,
       greatest(s.last_analyze, s.last_autoanalyze) AS last_analyzed,
       (SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum), '[]')
          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       (SELECT coalesce(json_agg(json_build_object(
                 'name', ic.relname, 'method', am.amname, 'partial', i.indpred IS NOT NULL,
                 'columns', (SELECT json_agg((SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = k.attnum) ORDER BY k.ord)
                               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) WHERE k.ord <= i.indnkeyatts))
               ORDER BY ic.relname), '[]')
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
         WHERE i.indrelid = c.oid AND i.indisvalid) AS indexes
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
 WHERE c.oid IN (SELECT to_regclass(r) FROM unnest($1::text[]) AS r)
 ORDER BY 1, 2`;

interface RelationRow {
  schema: string;
  name: string;
  row_estimate: number | null;
  stats_visible: boolean;
  live_tuples: number | null;
  mods_since_analyze: number | null;
  last_analyzed: Date | string | null;
  columns: { name: string; type: string }[];
  indexes: { name: string; method: string; partial: boolean; columns: (string | null)[] | null }[];
}

/** One query, whatever the number of tables; tables the plan names but the server does not know are left out. */
export async function readPlanRelations(db: Db, nodes: readonly PlanNode[]): Promise<PlanRelation[]> {
  const names = relationsInPlan(nodes).map((r) => (r.schema ? qualifiedName(r.schema, r.name) : quoteIdent(r.name)));
  if (names.length === 0) return [];
  const rows = await db.query<RelationRow>(RELATIONS_SQL, [names]);
  return rows.map((row) => ({
    schema: row.schema,
    name: row.name,
    rowEstimate: row.row_estimate,
    liveTuples: row.stats_visible ? row.live_tuples : null,
    modsSinceAnalyze: row.stats_visible ? row.mods_since_analyze : null,
    lastAnalyzed: row.last_analyzed === null ? null : new Date(row.last_analyzed).toISOString(),
    statsVisible: row.stats_visible,
    columns: row.columns,
    indexes: row.indexes.map((i) => ({ name: i.name, method: i.method, partial: i.partial, columns: i.columns ?? [] })),
  }));
}

/** The same description from a catalog snapshot (for plans given as files). */
export function relationsFromSnapshot(snapshot: CatalogSnapshot, nodes: readonly PlanNode[]): PlanRelation[] {
  const out: PlanRelation[] = [];
  for (const wanted of relationsInPlan(nodes)) {
    const candidates = snapshot.tables.filter((t) => t.name === wanted.name && (wanted.schema === undefined || t.schema === wanted.schema));
    const table = candidates.find((t) => t.schema === 'public') ?? candidates[0];
    if (!table || out.some((r) => r.schema === table.schema && r.name === table.name)) continue;
    const stats = table.stats;
    const lastAnalyzed = [stats?.lastAnalyze, stats?.lastAutoanalyze].filter((d): d is string => !!d).sort().at(-1) ?? null;
    out.push({
      schema: table.schema,
      name: table.name,
      rowEstimate: table.rowEstimate,
      liveTuples: stats?.liveTuples ?? null,
      modsSinceAnalyze: stats?.modsSinceAnalyze ?? null,
      lastAnalyzed,
      statsVisible: stats !== null,
      columns: snapshot.columns.filter((c) => c.schema === table.schema && c.table === table.name).sort((a, b) => a.position - b.position).map((c) => ({ name: c.name, type: c.type })),
      indexes: snapshot.indexes
        .filter((i) => i.schema === table.schema && i.table === table.name && i.valid)
        .map((i) => ({ name: i.name, method: i.method, partial: i.predicate !== null, columns: i.keyColumns })),
    });
  }
  return out;
}
