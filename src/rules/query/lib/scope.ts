/**
 * The tables a statement reads (its FROM list, the target of an UPDATE or DELETE) and which of
 * them a column reference belongs to, with the schema when there is one. Not a rule.
 */
import type { Alias, DeleteStmt, JoinExpr, Node, RangeVar, SelectStmt, UpdateStmt } from 'libpg-query';
import type { SnapshotIndex } from '../../../catalog/snapshot-index.js';
import type { Column, Index, Table } from '../../../catalog/types.js';
import { as, type ColumnName } from './ast.js';

/** One item of a FROM list, after JOINs are taken apart. */
export interface ScopeItem {
  /** The name the statement uses for it: the alias, or the table's name. */
  name: string;
  /** Set for a table (or view) reference. */
  relation: { schema?: string; name: string } | null;
  /** Set when the relation is found in the schema as a table. */
  table: Table | null;
  /** Index of the top-level FROM item it belongs to (a JOIN's parts share one). */
  fromIndex: number;
  /** Joined by an outer join on its nullable side. */
  nullable: boolean;
  location: number;
}

/** The FROM items of a SELECT, UPDATE (target first) or DELETE (target first). */
export function scopeOf(
  statement: { type: string; node: unknown },
  schema: SnapshotIndex | undefined,
  /** Names of the common table expressions in reach: a FROM item of that name is not a table. */
  cteNames: ReadonlySet<string> = NO_NAMES,
): ScopeItem[] {
  const items: ScopeItem[] = [];
  const lookup = schema && { schema, cteNames };
  let from: Node[] | undefined;
  if (statement.type === 'SelectStmt') from = (statement.node as SelectStmt).fromClause;
  else if (statement.type === 'UpdateStmt' || statement.type === 'DeleteStmt') {
    const dml = statement.node as UpdateStmt & DeleteStmt;
    if (dml.relation) items.push(relationItem(dml.relation, -1, false, lookup));
    from = statement.type === 'UpdateStmt' ? dml.fromClause : dml.usingClause;
  }
  (from ?? []).forEach((item, index) => addFromItem(item, index, false, lookup, items));
  return items;
}

const NO_NAMES: ReadonlySet<string> = new Set();

type Lookup = { schema: SnapshotIndex; cteNames: ReadonlySet<string> } | undefined;

/** The names of the CTEs of a statement and of the queries around it (innermost last). */
export function cteNamesOf(nodes: readonly unknown[]): Set<string> {
  const found = new Set<string>();
  for (const node of nodes) {
    const ctes = (node as { withClause?: { ctes?: Node[] } } | undefined)?.withClause?.ctes ?? [];
    for (const cte of ctes) {
      const name = as<{ ctename?: string }>(cte, 'CommonTableExpr')?.ctename;
      if (name) found.add(name);
    }
  }
  return found;
}

function addFromItem(node: Node, fromIndex: number, nullable: boolean, lookup: Lookup, items: ScopeItem[]): void {
  const rangeVar = as<RangeVar>(node, 'RangeVar');
  if (rangeVar) {
    items.push(relationItem(rangeVar, fromIndex, nullable, lookup));
    return;
  }
  const join = as<JoinExpr>(node, 'JoinExpr');
  if (join) {
    const type = join.jointype ?? 'JOIN_INNER';
    if (join.larg) addFromItem(join.larg, fromIndex, nullable || type === 'JOIN_RIGHT' || type === 'JOIN_FULL', lookup, items);
    if (join.rarg) addFromItem(join.rarg, fromIndex, nullable || type === 'JOIN_LEFT' || type === 'JOIN_FULL', lookup, items);
    return;
  }
  const alias = (Object.values(node)[0] as { alias?: Alias } | undefined)?.alias?.aliasname;
  items.push({ name: alias ?? '', relation: null, table: null, fromIndex, nullable, location: -1 });
}

function relationItem(rangeVar: RangeVar, fromIndex: number, nullable: boolean, lookup: Lookup): ScopeItem {
  const relation = { ...(rangeVar.schemaname ? { schema: rangeVar.schemaname } : {}), name: rangeVar.relname ?? '' };
  const isCte = !relation.schema && lookup?.cteNames.has(relation.name);
  return {
    name: rangeVar.alias?.aliasname ?? relation.name,
    relation: isCte ? null : relation,
    table: lookup && !isCte ? findTable(lookup.schema, relation) : null,
    fromIndex,
    nullable,
    location: rangeVar.location ?? -1,
  };
}

/** The table a name refers to: in its schema when given, else `public`, else the only table of that name. */
export function findTable(schema: SnapshotIndex, relation: { schema?: string; name: string }): Table | null {
  if (relation.schema) return schema.table(relation.schema, relation.name) ?? null;
  const inPublic = schema.table('public', relation.name);
  if (inPublic) return inPublic;
  const candidates = schema.snapshot.tables.filter((t) => t.name === relation.name);
  return candidates.length === 1 ? candidates[0]! : null;
}

/**
 * The scope item a column belongs to: by its qualifier, or for an unqualified name the only item
 * whose table has such a column (with a schema), or the only item at all (without one).
 */
export function resolveColumn(column: ColumnName, scope: readonly ScopeItem[], schema: SnapshotIndex | undefined): ScopeItem | null {
  if (column.qualifier.length > 0) {
    const qualifier = column.qualifier[column.qualifier.length - 1]!;
    const schemaName = column.qualifier.length > 1 ? column.qualifier[column.qualifier.length - 2] : undefined;
    const matches = scope.filter((item) => item.name === qualifier && (!schemaName || item.relation?.schema === schemaName || item.table?.schema === schemaName));
    return matches.length === 1 ? matches[0]! : null;
  }
  if (schema) {
    const owners = scope.filter((item) => item.table && schema.columnOf(item.table, column.column));
    if (owners.length === 1) return owners[0]!;
    if (owners.length === 0 && scope.length === 1 && !scope[0]!.table) return scope[0]!;
    return null;
  }
  return scope.length === 1 ? scope[0]! : null;
}

/** The schema's column a reference resolves to, when the schema knows the table. */
export function columnOfItem(item: ScopeItem | null, column: ColumnName, schema: SnapshotIndex | undefined): Column | null {
  if (!item?.table || !schema) return null;
  return schema.columnOf(item.table, column.column) ?? null;
}

/** Valid indexes of a table whose first key is the column (those a plain predicate on it could use). */
export function indexesLeadingWith(schema: SnapshotIndex, table: Table, column: string): Index[] {
  return schema.indexesOf(table).filter((ix) => ix.valid && ix.keyColumns[0] === column);
}

/** The nearest SELECT, UPDATE or DELETE around the visited node: the one whose FROM list its columns refer to. */
export function enclosingQuery(ancestors: readonly { type: string; node: unknown }[]): { type: string; node: unknown } | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.type === 'SelectStmt' || a.type === 'UpdateStmt' || a.type === 'DeleteStmt') return a;
  }
  return null;
}
