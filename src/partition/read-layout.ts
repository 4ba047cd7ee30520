/**
 * The partitioning of one table as `partition maintain` and `partition convert` read it from a live
 * server: the table's kind, its range key column and type, its partitions with their bounds, the
 * default partition and detaches left pending. Read in two set-based catalog queries that take no lock
 * on any table: the bounds through `pg_get_expr(relpartbound, 0)` (with relation 0 it does not open
 * the table, unlike `pg_get_expr(relpartbound, oid)` or `pg_get_partkeydef`, which wait behind an
 * ACCESS EXCLUSIVE lock), the key from `pg_partitioned_table.partattrs`.
 */
import { parsePartitionRange } from '../catalog/partition-bound.js';
import type { Db } from '../db/db.js';
import { keyKindOf, parseKeyValue, type KeyKind, type KeyValue } from './key-grid.js';

export interface LivePartition {
  schema: string;
  name: string;
  /** Null for the default partition (and bounds that are not a one-column range). */
  from: KeyValue | null;
  to: KeyValue | null;
  isDefault: boolean;
  /** A `DETACH … CONCURRENTLY` that did not finish (PostgreSQL 14+). */
  detachPending: boolean;
  rowEstimate: number | null;
  bytes: number;
}

export interface LiveLayout {
  schema: string;
  name: string;
  /** `r` ordinary table, `p` partitioned, or null when the table does not exist. */
  relkind: string | null;
  /** For a partitioned table: `range`, `list` or `hash`. */
  strategy: 'range' | 'list' | 'hash' | null;
  /** The key column of a one-column key (null for an expression or several columns). */
  keyColumn: string | null;
  keyKind: KeyKind | null;
  /** Set when the table is itself a partition. */
  isPartition: boolean;
  partitions: LivePartition[];
}

const TABLE_SQL = `
SELECT c.relkind::text AS relkind, c.relispartition AS is_partition,
       pt.partstrat::text AS strategy, pt.partnatts AS key_count,
       a.attname AS key_column,
       coalesce(nullif(bt.typname, ''), t.typname) AS key_type
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND pt.partnatts = 1 AND a.attnum = pt.partattrs[0] AND a.attnum > 0
LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
WHERE n.nspname = $1 AND c.relname = $2`;

function partitionsSql(versionNum: number): string {
  return `
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.pg_get_expr(c.relpartbound, 0) AS bound,
       ${versionNum >= 140000 ? 'i.inhdetachpending' : 'false'} AS detach_pending,
       c.reltuples::float8 AS reltuples, c.relpages::bigint * current_setting('block_size')::bigint AS bytes
FROM pg_catalog.pg_inherits i
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
WHERE pn.nspname = $1 AND p.relname = $2
ORDER BY c.relname`;
}

/** The layout of `schema.name`; `relkind` null when there is no such table. */
export async function readLayout(db: Db, schema: string, name: string, versionNum: number): Promise<LiveLayout> {
  const [row] = await db.query<{ relkind: string; is_partition: boolean; strategy: string | null; key_count: number | null; key_column: string | null; key_type: string | null }>(TABLE_SQL, [schema, name]);
  const layout: LiveLayout = { schema, name, relkind: row?.relkind ?? null, strategy: null, keyColumn: null, keyKind: null, isPartition: row?.is_partition === true, partitions: [] };
  if (!row || row.relkind !== 'p') return layout;
  layout.strategy = ({ r: 'range', l: 'list', h: 'hash' } as const)[row.strategy as 'r' | 'l' | 'h'] ?? null;
  layout.keyColumn = row.key_column;
  layout.keyKind = row.key_type ? keyKindOf(row.key_type) : null;
  const rows = await db.query<{ schema: string; name: string; bound: string; detach_pending: boolean; reltuples: number; bytes: string }>(partitionsSql(versionNum), [schema, name]);
  for (const r of rows) {
    const range = parsePartitionRange(r.bound);
    const kind = layout.keyKind;
    const one = range && range.from.length === 1 && range.to.length === 1 && kind;
    layout.partitions.push({
      schema: r.schema,
      name: r.name,
      from: one ? parseKeyValue(range.from[0]!, kind) : null,
      to: one ? parseKeyValue(range.to[0]!, kind) : null,
      isDefault: r.bound === 'DEFAULT',
      detachPending: r.detach_pending === true,
      rowEstimate: r.reltuples >= 0 ? Number(r.reltuples) : null,
      bytes: Number(r.bytes),
    });
  }
  return layout;
}

/** The range partitions with readable bounds, sorted by lower bound. */
export function rangesOf(layout: LiveLayout): (LivePartition & { from: KeyValue; to: KeyValue })[] {
  return layout.partitions
    .filter((p): p is LivePartition & { from: KeyValue; to: KeyValue } => !p.isDefault && p.from !== null && p.to !== null)
    .sort((a, b) => (a.from.at < b.from.at ? -1 : a.from.at > b.from.at ? 1 : 0));
}
