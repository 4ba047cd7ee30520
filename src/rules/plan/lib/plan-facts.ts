/**
 * Small facts and phrasings the plan diagnoses share: which table a node reads, an index proposal in
 * the online-safe form, a work_mem figure, numbers as people read them.
 */
import type { NodeMetrics } from '../../../plan/analyse.js';
import type { PlanNode } from '../../../plan/types.js';
import { quoteIdent } from '../../../sql/quote.js';
import type { IndexSuggestion, PlanRelation } from '../../plan-rule.js';

/** The names a node's expressions use for its table: the alias, then the table's own name. */
export function relationNames(node: PlanNode): string[] {
  return [node.Alias, node['Relation Name']].filter((n): n is string => typeof n === 'string');
}

/** The relation a scan node reads, among those the runner described; by schema when the plan has one. */
export function relationOf(node: PlanNode, relations: readonly PlanRelation[] | null): PlanRelation | null {
  const name = node['Relation Name'];
  if (!name || !relations) return null;
  const matches = relations.filter((r) => r.name === name && (node.Schema === undefined || r.schema === node.Schema));
  return matches.find((r) => r.schema === 'public') ?? matches[0] ?? null;
}

/** `public.orders` quoted as needed; unqualified when the schema is not known. */
export function tableName(node: PlanNode, relation: PlanRelation | null): string {
  const schema = node.Schema ?? relation?.schema;
  const table = node['Relation Name']!;
  return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}

/**
 * An index on `keys` (column names, optionally followed by DESC/NULLS FIRST) for the node's table, as
 * a suggestion to verify and as its online-safe fix.
 */
export function proposeIndex(node: PlanNode, relation: PlanRelation | null, keys: { column: string; suffix?: string }[]): { suggestion: IndexSuggestion; sql: string } {
  const schema = node.Schema ?? relation?.schema ?? null;
  const table = node['Relation Name']!;
  const qualified = tableName(node, relation);
  const keyList = keys.map((k) => `${quoteIdent(k.column)}${k.suffix ? ` ${k.suffix}` : ''}`);
  const name = indexName(table, keys.map((k) => k.column));
  return {
    suggestion: { schema, table, keys: keyList, definition: `CREATE INDEX ON ${qualified} (${keyList.join(', ')})` },
    sql: `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${qualified} (${keyList.join(', ')});`,
  };
}

/** Postgres's own naming: `orders_customer_id_created_at_idx`, cut to the 63-byte identifier limit. */
export function indexName(table: string, columns: string[]): string {
  const name = `${table}_${columns.join('_')}_idx`;
  return Buffer.byteLength(name) <= 63 ? name : `${Buffer.from(name).subarray(0, 59).toString('utf8').replace(/\uFFFD+$/, '')}_idx`;
}

/** An existing index of the relation whose leading key columns are `columns`, in order. */
export function existingIndexOn(relation: PlanRelation | null, columns: string[]): string | null {
  if (!relation || columns.length === 0) return null;
  const found = relation.indexes.find((i) => !i.partial && columns.every((c, n) => i.columns[n] === c));
  return found?.name ?? null;
}

/**
 * A work_mem that would hold `kilobytes`: the next power of two in MB, at least 4MB (the default).
 */
export function workMemFor(kilobytes: number): string {
  let mb = 4;
  while (mb * 1024 < kilobytes) mb *= 2;
  return mb >= 1024 ? `${mb / 1024}GB` : `${mb}MB`;
}

/** 12345.6 → "12,346"; small fractions keep two decimals. */
export function formatCount(n: number): string {
  const rounded = Math.abs(n) >= 100 || Number.isInteger(n) ? Math.round(n) : Math.round(n * 100) / 100;
  const [whole, fraction] = String(rounded).split('.');
  return whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fraction ? `.${fraction}` : '');
}

/** 0.4567 → "46%"; under 1% → "0.5%". */
export function formatShare(share: number): string {
  const percent = share * 100;
  return percent >= 1 || percent === 0 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}

/** Milliseconds as people read them: 0.123 ms, 45.6 ms, 1.2 s. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** The figures every node-level finding carries. */
export function nodeEvidence(id: number, metrics: NodeMetrics): Record<string, unknown> {
  return {
    node: id,
    label: metrics.label,
    loops: metrics.loops,
    exclusiveTimeMs: metrics.exclusiveTimeMs,
    timeShare: metrics.timeShare,
  };
}

/** The ancestors of a node, nearest first. */
export function ancestorsOf(id: number, metrics: readonly NodeMetrics[]): number[] {
  const out: number[] = [];
  for (let at = metrics[id]!.parent; at !== null; at = metrics[at]!.parent) out.push(at);
  return out;
}

/** Children that are inputs of the node (not its InitPlans or SubPlans), in order: outer, inner. */
export function inputsOf(id: number, nodes: readonly PlanNode[], metrics: readonly NodeMetrics[]): number[] {
  return metrics[id]!.children.filter((c) => !['InitPlan', 'SubPlan'].includes(String(nodes[c]!['Parent Relationship'])));
}

/** Parser type names to the names format_type prints. */
const TYPE_NAMES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
};

/** `int4` → `integer`, `numeric` → `numeric`: a cast's type as the catalog names column types. */
export function displayTypeName(parserName: string): string {
  return TYPE_NAMES[parserName] ?? parserName;
}

/**
 * Whether casting `column` to `castTo` keeps an index on the column usable. Postgres prints
 * `(col)::text` for a varchar column compared with text: a mere relabelling that the index still
 * serves. Any other cast applies a function to every row's value, which a plain index cannot serve.
 * Without the column's type, only casts to text are given the benefit of the doubt.
 */
export function castKeepsIndex(column: string, castTo: string | null, relation: PlanRelation | null): boolean {
  if (castTo === null) return true;
  const columnType = relation?.columns.find((c) => c.name === column)?.type;
  const target = displayTypeName(castTo);
  if (columnType === undefined) return target === 'text' || target === 'character varying';
  const base = columnType.replace(/\(.*\)/, '').trim();
  if (base === target) return true;
  return (target === 'text' || target === 'character varying') && (base === 'character varying' || base === 'text');
}

/**
 * work_mem in effect for the plan: from its Settings (EXPLAIN SETTINGS lists only values that differ
 * from the default, so absent means the default), or null when the plan was captured without SETTINGS.
 */
export function currentWorkMem(settings: Record<string, string> | undefined): string | null {
  if (!settings) return null;
  return settings.work_mem ?? '4MB, the default';
}

/** A misestimate factor: 21.65 → "22", 2.345 → "2.3". */
export function formatFactor(factor: number): string {
  return factor >= 10 ? formatCount(Math.round(factor)) : String(Math.round(factor * 10) / 10);
}
