/**
 * The range partitions of a partitioned table as the partition rules read them from the snapshot: the
 * key's kind, each partition's bounds on the key's axis (sorted), and the default partition. Not a rule.
 */
import type { SnapshotIndex } from '../../../catalog/snapshot-index.js';
import type { Table } from '../../../catalog/types.js';
import { keyKindOf, parseKeyValue, type KeyKind, type KeyValue } from '../../../partition/key-grid.js';

export interface RangePartition {
  partition: Table;
  from: KeyValue;
  to: KeyValue;
}

export interface RangeLayout {
  table: Table;
  keyColumn: string;
  kind: KeyKind;
  /** Sorted by lower bound; ranges never overlap. */
  ranges: RangePartition[];
  defaultPartition: Table | null;
}

/**
 * The layout of a table partitioned BY RANGE on one date, timestamp(tz) or integer column (or a domain
 * over one); null for other tables, and when a bound cannot be read (better silent than wrong).
 */
export function rangeLayout(index: SnapshotIndex, table: Table): RangeLayout | null {
  if (table.kind !== 'partitioned table' || table.partitionStrategy !== 'range' || table.partitionKeyColumns.length !== 1) return null;
  const keyColumn = table.partitionKeyColumns[0]!;
  const column = index.column(table.schema, table.name, keyColumn);
  const kind = column && !column.isArray ? keyKindOf(column.domainBaseType ?? column.typeName) : null;
  if (!kind) return null;
  const partitions = index.partitions(table);
  const ranges: RangePartition[] = [];
  for (const partition of partitions) {
    if (partition.isDefaultPartition) continue;
    const range = partition.partitionRange;
    if (!range || range.from.length !== 1 || range.to.length !== 1) return null;
    const from = parseKeyValue(range.from[0]!, kind);
    const to = parseKeyValue(range.to[0]!, kind);
    if (!from || !to) return null;
    ranges.push({ partition, from, to });
  }
  ranges.sort((a, b) => (a.from.at < b.from.at ? -1 : a.from.at > b.from.at ? 1 : 0));
  return { table, keyColumn, kind, ranges, defaultPartition: partitions.find((p) => p.isDefaultPartition) ?? null };
}

/** The leaf partitions under a partitioned table, sub-partitions included. */
export function leafPartitions(index: SnapshotIndex, table: Table): Table[] {
  const leaves: Table[] = [];
  const visit = (t: Table): void => {
    for (const p of index.partitions(t)) {
      if (p.kind === 'partitioned table') visit(p);
      else leaves.push(p);
    }
  };
  visit(table);
  return leaves;
}

/** Top-level partitioned tables (not themselves partitions). */
export function partitionedTables(index: SnapshotIndex): Table[] {
  return index.designTables().filter((t) => t.kind === 'partitioned table');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
