/**
 * The table a migration statement works on, as the rules see it: what the statement wrote, whether
 * the file created it (then it is new and empty), and, given a schema (`lint --db`), the snapshot's
 * table: whether it is partitioned, its partitions and, from a live server, its size. Sizes raise or
 * lower a finding's severity and give the message its estimate ("rewrites 12 GB").
 *
 * Sizes are only believed from a live server (or a snapshot of one): SQL files loaded into the
 * embedded engine have tables of the right shape but no rows, which says nothing about production.
 */
import type { RangeVar } from 'libpg-query';
import type { SnapshotIndex } from '../../../catalog/snapshot-index.js';
import type { Index, Table } from '../../../catalog/types.js';
import type { ObjectRef, Severity } from '../../../finding.js';
import { createdInFile, type FileState } from './migration-rule.js';
import { formatBytes } from '../../../report/format-bytes.js';

/** The size options every size-aware migration rule takes. */
export interface SizeOptions {
  /** From this size (heap, indexes and TOAST, in bytes) a finding is an error. */
  largeTableBytes: number;
  /** ...or from this many rows (the planner's estimate). */
  largeTableRows: number;
  /** Below this size and `smallTableRows` rows a finding is only information. */
  smallTableBytes: number;
  smallTableRows: number;
}

export const SIZE_OPTIONS: SizeOptions = {
  largeTableBytes: 1024 ** 3,
  largeTableRows: 10_000_000,
  smallTableBytes: 10 * 1024 ** 2,
  smallTableRows: 100_000,
};

/** A table's size from a live server's statistics (relpages and reltuples), summed over its partitions. */
export interface TableSize {
  /** Heap bytes: what a scan reads. */
  tableBytes: number | null;
  /** Heap, indexes and TOAST: what a rewrite writes. */
  totalBytes: number | null;
  /** The planner's row estimate; null when never analysed. */
  rowEstimate: number | null;
}

export interface Target {
  relation: RangeVar;
  /** As written, for messages: `orders`, `sales.orders`. */
  label: string;
  /** Created earlier in the same file: new and empty, so nobody waits for it. */
  createdInFile: boolean;
  /** The snapshot's table, when a schema was given and holds it. */
  table: Table | undefined;
  partitioned: boolean;
  size: TableSize | null;
  object: ObjectRef;
}

/** The table a statement names, with what the file and the schema say about it. */
export function targetOf(relation: RangeVar, schema: SnapshotIndex | undefined, file: FileState): Target {
  const table = schema ? findTable(schema, relation) : undefined;
  const partitioned = table?.kind === 'partitioned table';
  const name = relation.relname ?? '';
  const tableSchema = relation.schemaname ?? table?.schema;
  return {
    relation,
    label: relation.schemaname ? `${relation.schemaname}.${name}` : name,
    createdInFile: createdInFile(file, relation),
    table,
    partitioned,
    size: table && schema?.snapshot.source.kind === 'live' ? sizeOf(schema, table) : null,
    object: { type: partitioned ? 'partitioned table' : 'table', ...(tableSchema ? { schema: tableSchema } : {}), name },
  };
}

const tablesByName = new WeakMap<SnapshotIndex, Map<string, Table[]>>();

/** The snapshot's table for a name as written: schema-qualified, else in `public`, else the only one of that name. */
export function findTable(schema: SnapshotIndex, relation: RangeVar): Table | undefined {
  if (!relation.relname) return undefined;
  if (relation.schemaname) return schema.table(relation.schemaname, relation.relname);
  const inPublic = schema.table('public', relation.relname);
  if (inPublic) return inPublic;
  let byName = tablesByName.get(schema);
  if (!byName) {
    byName = new Map();
    for (const t of schema.snapshot.tables) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
    tablesByName.set(schema, byName);
  }
  const found = byName.get(relation.relname);
  return found?.length === 1 ? found[0] : undefined;
}

/** The snapshot's index for a name as written (an index named by DROP INDEX), like `findTable`. */
export function findIndex(schema: SnapshotIndex, relation: RangeVar): Index | undefined {
  const matches = schema.snapshot.indexes.filter((i) => i.name === relation.relname && (relation.schemaname ? i.schema === relation.schemaname : true));
  return matches.find((i) => relation.schemaname || i.schema === 'public') ?? (matches.length === 1 ? matches[0] : undefined);
}

function sizeOf(schema: SnapshotIndex, table: Table): TableSize {
  if (table.kind !== 'partitioned table') return { tableBytes: table.tableBytes, totalBytes: table.totalBytes, rowEstimate: table.rowEstimate };
  const sum: TableSize = { tableBytes: null, totalBytes: null, rowEstimate: null };
  for (const partition of schema.partitions(table)) {
    const part = sizeOf(schema, partition);
    sum.tableBytes = add(sum.tableBytes, part.tableBytes);
    sum.totalBytes = add(sum.totalBytes, part.totalBytes);
    sum.rowEstimate = add(sum.rowEstimate, part.rowEstimate);
  }
  return sum;
}

function add(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b;
}

/** The partitions of a partitioned table that hold rows themselves (partitions of partitions, recursively). */
export function leafPartitions(schema: SnapshotIndex, table: Table): Table[] {
  return schema.partitions(table).flatMap((p) => (p.kind === 'partitioned table' ? leafPartitions(schema, p) : [p]));
}

/**
 * The severity the table's size calls for: an error from `largeTableBytes` or `largeTableRows`,
 * information below both small thresholds, else undefined (the rule's default). Undefined without a
 * size.
 */
export function severityForSize(size: TableSize | null, options: SizeOptions): Severity | undefined {
  if (!size) return undefined;
  const bytes = size.totalBytes ?? size.tableBytes;
  const rows = size.rowEstimate;
  if ((bytes !== null && bytes >= options.largeTableBytes) || (rows !== null && rows >= options.largeTableRows)) return 'error';
  if (rows !== null && rows < options.smallTableRows && (bytes === null || bytes < options.smallTableBytes)) return 'info';
  return undefined;
}

/** The work the statement does on the table's rows. */
export type Work = 'rewrite' | 'scan' | 'build' | 'delete';

/** `rewrites 12 GB (40 million rows)`, `scans 40 million rows (9.5 GB)`; null without a size. */
export function estimateOf(size: TableSize | null, work: Work): string | null {
  if (!size) return null;
  const rows = size.rowEstimate !== null ? `${formatRows(size.rowEstimate)} rows` : null;
  const heap = size.tableBytes !== null ? formatBytes(size.tableBytes) : null;
  const total = size.totalBytes !== null ? formatBytes(size.totalBytes) : heap;
  switch (work) {
    case 'rewrite':
      return total ? `rewrites ${total}${rows ? ` (${rows})` : ''} with its indexes` : rows ? `rewrites ${rows}` : null;
    case 'scan':
      return rows ? `scans ${rows}${heap ? ` (${heap})` : ''}` : heap ? `scans ${heap}` : null;
    case 'build':
      return heap ? `reads ${heap}${rows ? ` (${rows})` : ''}` : rows ? `reads ${rows}` : null;
    case 'delete':
      return rows ? `removes ${rows}${total ? ` (${total})` : ''}` : total ? `removes ${total}` : null;
  }
}

/** The size evidence of a finding: the figures and the estimate, or nothing without a size. */
export function sizeEvidence(target: Target, work: Work): Record<string, unknown> {
  if (!target.size) return {};
  return { ...target.size, estimate: estimateOf(target.size, work) };
}

/** `, which rewrites 12 GB (40 million rows) with its indexes` or '' (for messages). */
export function estimateClause(target: Target, work: Work): string {
  const estimate = estimateOf(target.size, work);
  return estimate ? ` (here it ${estimate})` : '';
}

export { formatBytes };

/** `40 million`, `1.2 billion`, `12,345`. */
export function formatRows(rows: number): string {
  const round = (n: number): string => (n >= 100 ? n.toFixed(0) : n.toFixed(1).replace(/\.0$/, ''));
  if (rows >= 1e9) return `${round(rows / 1e9)} billion`;
  if (rows >= 1e6) return `${round(rows / 1e6)} million`;
  return Math.round(rows).toLocaleString('en-US');
}
