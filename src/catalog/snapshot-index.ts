/**
 * Lookups over a snapshot, built once per review in linear time so rules never scan the whole
 * snapshot inside a loop (10,000 tables must stay fast).
 */
import type { CatalogSnapshot, Column, Constraint, Index, Sequence, Table } from './types.js';

export function tableKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

export class SnapshotIndex {
  readonly tables = new Map<string, Table>();
  readonly columnsByTable = new Map<string, Column[]>();
  readonly indexesByTable = new Map<string, Index[]>();
  readonly constraintsByTable = new Map<string, Constraint[]>();
  /** Foreign keys pointing at a table, keyed by the referenced table. */
  readonly foreignKeysTo = new Map<string, Constraint[]>();
  readonly partitionsOf = new Map<string, Table[]>();
  readonly sequences = new Map<string, Sequence>();

  constructor(readonly snapshot: CatalogSnapshot) {
    for (const t of snapshot.tables) {
      this.tables.set(tableKey(t.schema, t.name), t);
      if (t.parent) push(this.partitionsOf, tableKey(t.parent.schema, t.parent.name), t);
    }
    for (const c of snapshot.columns) push(this.columnsByTable, tableKey(c.schema, c.table), c);
    for (const i of snapshot.indexes) push(this.indexesByTable, tableKey(i.schema, i.table), i);
    for (const k of snapshot.constraints) {
      push(this.constraintsByTable, tableKey(k.schema, k.table), k);
      if (k.references) push(this.foreignKeysTo, tableKey(k.references.schema, k.references.table), k);
    }
    for (const s of snapshot.sequences) this.sequences.set(tableKey(s.schema, s.name), s);
  }

  table(schema: string, name: string): Table | undefined {
    return this.tables.get(tableKey(schema, name));
  }

  columnsOf(table: { schema: string; name: string }): Column[] {
    return this.columnsByTable.get(tableKey(table.schema, table.name)) ?? [];
  }

  column(schema: string, table: string, name: string): Column | undefined {
    return this.columnsByTable.get(tableKey(schema, table))?.find((c) => c.name === name);
  }

  indexesOf(table: { schema: string; name: string }): Index[] {
    return this.indexesByTable.get(tableKey(table.schema, table.name)) ?? [];
  }

  constraintsOf(table: { schema: string; name: string }): Constraint[] {
    return this.constraintsByTable.get(tableKey(table.schema, table.name)) ?? [];
  }

  partitions(table: { schema: string; name: string }): Table[] {
    return this.partitionsOf.get(tableKey(table.schema, table.name)) ?? [];
  }

  /**
   * Tables a design review speaks about: ordinary and partitioned tables that are not themselves
   * partitions (a partition inherits its design from its parent, so findings would only repeat).
   */
  designTables(): Table[] {
    return this.snapshot.tables.filter((t) => t.parent === null && t.kind !== 'foreign table');
  }

  /** Columns of the design tables (not of partitions, views or foreign tables). */
  designColumns(): Column[] {
    return this.designTables().flatMap((t) => this.columnsOf(t));
  }

  /** Indexes a review speaks about: not the per-partition copies of a partitioned index. */
  designIndexes(): Index[] {
    return this.snapshot.indexes.filter((i) => {
      const table = this.table(i.schema, i.table);
      return table !== undefined && table.parent === null;
    });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
