/**
 * One side of a diff: the snapshot's objects keyed by their identity (names, never OIDs), with the
 * lookups the planners need. Keys join name parts with NUL, which no identifier contains.
 */
import type {
  CatalogSnapshot,
  Column,
  Constraint,
  Extension,
  FunctionInfo,
  Index,
  Policy,
  Schema,
  Sequence,
  Table,
  Trigger,
  UserType,
  View,
} from '../catalog/types.js';

/** An identity key from name parts. */
export function key(...parts: string[]): string {
  return parts.join('\u0000');
}

/** A function's identity: schema, name and argument types (not names). */
export function functionKey(f: Pick<FunctionInfo, 'schema' | 'name' | 'argumentTypes'>): string {
  return key(f.schema, f.name, f.argumentTypes);
}

/** What a relation name stands for on one side. */
export type RelationKind = 'table' | 'partitioned table' | 'foreign table' | 'view' | 'materialized view';

/** One side's objects, keyed by identity. */
export class SchemaModel {
  readonly schemas = new Map<string, Schema>();
  /** Installed extensions only. */
  readonly extensions = new Map<string, Extension>();
  readonly types = new Map<string, UserType>();
  readonly sequences = new Map<string, Sequence>();
  readonly functions = new Map<string, FunctionInfo>();
  readonly tables = new Map<string, Table>();
  readonly views = new Map<string, View>();
  /** key(schema, relation, column) */
  readonly columns = new Map<string, Column>();
  /** key(schema, relation): columns of tables and views in attribute order. */
  readonly columnsOf = new Map<string, Column[]>();
  /** key(schema, table, name) */
  readonly constraints = new Map<string, Constraint>();
  /** key(schema, name): index names are unique in a schema. */
  readonly indexes = new Map<string, Index>();
  /** key(schema, table, name) */
  readonly triggers = new Map<string, Trigger>();
  /** key(schema, table, name) */
  readonly policies = new Map<string, Policy>();
  /** key(schema, table, column) of the owning column: the sequence it owns (serial or identity). */
  readonly sequenceOfColumn = new Map<string, Sequence>();

  constructor(readonly snapshot: CatalogSnapshot) {
    for (const s of snapshot.schemas) this.schemas.set(s.name, s);
    for (const e of snapshot.extensions) if (e.installedVersion !== null) this.extensions.set(e.name, e);
    for (const t of snapshot.types) this.types.set(key(t.schema, t.name), t);
    for (const s of snapshot.sequences) {
      this.sequences.set(key(s.schema, s.name), s);
      if (s.ownedBy) this.sequenceOfColumn.set(key(s.ownedBy.schema, s.ownedBy.table, s.ownedBy.column), s);
    }
    for (const f of snapshot.functions) this.functions.set(functionKey(f), f);
    for (const t of snapshot.tables) this.tables.set(key(t.schema, t.name), t);
    for (const v of snapshot.views) this.views.set(key(v.schema, v.name), v);
    for (const c of [...snapshot.columns].sort((a, b) => a.position - b.position)) {
      this.columns.set(key(c.schema, c.table, c.name), c);
      const relation = key(c.schema, c.table);
      const list = this.columnsOf.get(relation);
      if (list) list.push(c);
      else this.columnsOf.set(relation, [c]);
    }
    for (const c of snapshot.constraints) this.constraints.set(key(c.schema, c.table, c.name), c);
    for (const i of snapshot.indexes) this.indexes.set(key(i.schema, i.name), i);
    for (const t of snapshot.triggers) this.triggers.set(key(t.schema, t.table, t.name), t);
    for (const p of snapshot.policies) this.policies.set(key(p.schema, p.table, p.name), p);
  }

  relationKind(relationKey: string): RelationKind | undefined {
    const table = this.tables.get(relationKey);
    if (table) return table.kind;
    const view = this.views.get(relationKey);
    if (view) return view.materialized ? 'materialized view' : 'view';
    return undefined;
  }

  /** The identity sequence of a column: created, altered and dropped with the column, never on its own. */
  identitySequence(column: Column): Sequence | undefined {
    return column.identity ? this.sequenceOfColumn.get(key(column.schema, column.table, column.name)) : undefined;
  }

  isIdentitySequence(sequence: Sequence): boolean {
    if (!sequence.ownedBy) return false;
    const column = this.columns.get(key(sequence.ownedBy.schema, sequence.ownedBy.table, sequence.ownedBy.column));
    return column?.identity != null;
  }

  /** The index backing a primary key, unique or exclusion constraint. */
  constraintIndex(constraint: Constraint): Index | undefined {
    return constraint.index ? this.indexes.get(key(constraint.schema, constraint.index)) : undefined;
  }
}

/** Sorted map entries, so every planner walks objects in the same (name) order. */
export function sortedEntries<T>(map: Map<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
