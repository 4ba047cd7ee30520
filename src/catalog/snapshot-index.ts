/**
 * Lookups over a snapshot, built once per review in linear time so rules never scan the whole
 * snapshot inside a loop (10,000 tables must stay fast).
 *
 * Every list it returns is shared by all callers (39 rules ask for the same ones): it is typed
 * readonly, and a caller that needs to change one copies it first.
 */
import type { CatalogSnapshot, Column, Constraint, Index, Sequence, Table } from './types.js';

export function tableKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** What belongs to one table, found by the table object itself. */
interface TableLists {
  columns: readonly Column[];
  indexes: readonly Index[];
  constraints: readonly Constraint[];
  partitions: readonly Table[];
}

const NONE: readonly never[] = Object.freeze([]);

export class SnapshotIndex {
  readonly tables = new Map<string, Table>();
  readonly columnsByTable = new Map<string, Column[]>();
  readonly indexesByTable = new Map<string, Index[]>();
  readonly constraintsByTable = new Map<string, Constraint[]>();
  /** Foreign keys pointing at a table, keyed by the referenced table. */
  readonly foreignKeysTo = new Map<string, Constraint[]>();
  readonly partitionsOf = new Map<string, Table[]>();
  readonly sequences = new Map<string, Sequence>();
  /**
   * The same lists keyed by the snapshot's table objects: a rule that holds a table (nearly always)
   * looks them up without building a `schema.name` string, which at 10,000 tables was most of the
   * garbage rules made.
   */
  private readonly listsOfTable = new Map<Table, TableLists>();
  private designTablesCache: readonly Table[] | undefined;
  private designColumnsCache: readonly Column[] | undefined;
  private designIndexesCache: readonly Index[] | undefined;

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
    for (const [key, t] of this.tables) {
      this.listsOfTable.set(t, {
        columns: this.columnsByTable.get(key) ?? NONE,
        indexes: this.indexesByTable.get(key) ?? NONE,
        constraints: this.constraintsByTable.get(key) ?? NONE,
        partitions: this.partitionsOf.get(key) ?? NONE,
      });
    }
  }

  table(schema: string, name: string): Table | undefined {
    return this.tables.get(tableKey(schema, name));
  }

  /** Columns of a table (or view), in the snapshot's order. */
  columnsOf(table: { schema: string; name: string }): readonly Column[] {
    return this.listsOf(table)?.columns ?? this.columnsByTable.get(tableKey(table.schema, table.name)) ?? NONE;
  }

  column(schema: string, table: string, name: string): Column | undefined {
    return this.columnsByTable.get(tableKey(schema, table))?.find((c) => c.name === name);
  }

  /** The column `name` of a table (or view); like `column`, for a caller that holds the table. */
  columnOf(table: { schema: string; name: string }, name: string): Column | undefined {
    return this.columnsOf(table).find((c) => c.name === name);
  }

  indexesOf(table: { schema: string; name: string }): readonly Index[] {
    return this.listsOf(table)?.indexes ?? this.indexesByTable.get(tableKey(table.schema, table.name)) ?? NONE;
  }

  constraintsOf(table: { schema: string; name: string }): readonly Constraint[] {
    return this.listsOf(table)?.constraints ?? this.constraintsByTable.get(tableKey(table.schema, table.name)) ?? NONE;
  }

  partitions(table: { schema: string; name: string }): readonly Table[] {
    return this.listsOf(table)?.partitions ?? this.partitionsOf.get(tableKey(table.schema, table.name)) ?? NONE;
  }

  /**
   * Tables a design review speaks about: ordinary and partitioned tables that are not themselves
   * partitions (a partition inherits its design from its parent, so findings would only repeat).
   */
  designTables(): readonly Table[] {
    this.designTablesCache ??= this.snapshot.tables.filter((t) => t.parent === null && t.kind !== 'foreign table');
    return this.designTablesCache;
  }

  /** Columns of the design tables (not of partitions, views or foreign tables). */
  designColumns(): readonly Column[] {
    this.designColumnsCache ??= this.designTables().flatMap((t) => this.columnsOf(t));
    return this.designColumnsCache;
  }

  /** Indexes a review speaks about: not the per-partition copies of a partitioned index. */
  designIndexes(): readonly Index[] {
    this.designIndexesCache ??= this.snapshot.indexes.filter((i) => {
      const table = this.table(i.schema, i.table);
      return table !== undefined && table.parent === null;
    });
    return this.designIndexesCache;
  }

  /** The lists of a table of this snapshot, or undefined for anything else (a view, a name-only reference). */
  private listsOf(table: { schema: string; name: string }): TableLists | undefined {
    return this.listsOfTable.get(table as Table);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
