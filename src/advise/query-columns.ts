/**
 * What one workload query asks of each table, read from its parse tree (the real parser) and resolved
 * against the schema: the columns it compares for equality, ranges, joins, and sorts or groups by, the
 * columns it reads at all (for covering variants), and equality with literal constants (for partial
 * variants). This is where index candidates come from; the planner (through hypopg) judges them.
 */
import type { Node } from 'libpg-query';
import type { SnapshotIndex } from '../catalog/snapshot-index.js';
import { tableKey } from '../catalog/snapshot-index.js';

/** How a query uses one table's columns. */
export interface TableUse {
  schema: string;
  table: string;
  equality: Set<string>;
  range: Set<string>;
  join: Set<string>;
  /** ORDER BY then GROUP BY columns, in the order written. */
  order: string[];
  /** Every column of the table the query mentions. */
  referenced: Set<string>;
  /** `column = 'literal'`: the column and the literal as written, for partial-index variants. */
  constants: Map<string, string>;
}

/** The columns an index on the table could usefully lead with or add, for this query. */
export function indexableColumns(use: TableUse): Set<string> {
  return new Set([...use.equality, ...use.range, ...use.join, ...use.order]);
}

interface Scope {
  /** Alias or table name → `schema.table` key. */
  names: Map<string, string>;
  parent: Scope | null;
}

type Json = Record<string, unknown>;

const RANGE_OPERATORS = new Set(['<', '>', '<=', '>=']);

/**
 * The tables a statement reads, with how it uses their columns. Tables are looked up in the schema
 * (unqualified names in `searchPath` order); names the schema does not know (CTEs, functions) are left
 * out. A column is resolved by its qualifier, or when unqualified by the one table in scope that has it.
 */
export function tableUses(tree: Node, schema: SnapshotIndex, searchPath: readonly string[] = ['public']): Map<string, TableUse> {
  const uses = new Map<string, TableUse>();
  const columnsOf = (key: string): Set<string> => {
    const list = schema.columnsByTable.get(key) ?? [];
    return new Set(list.map((c) => c.name));
  };
  const columnSets = new Map<string, Set<string>>();
  const columns = (key: string): Set<string> => {
    let set = columnSets.get(key);
    if (!set) columnSets.set(key, (set = columnsOf(key)));
    return set;
  };
  const useOf = (key: string): TableUse => {
    let use = uses.get(key);
    if (!use) {
      const table = schema.tables.get(key)!;
      use = { schema: table.schema, table: table.name, equality: new Set(), range: new Set(), join: new Set(), order: [], referenced: new Set(), constants: new Map() };
      uses.set(key, use);
    }
    return use;
  };

  const resolveTable = (rangeVar: Json): string | null => {
    const name = rangeVar.relname as string | undefined;
    if (!name) return null;
    const schemaName = rangeVar.schemaname as string | undefined;
    if (schemaName) return schema.tables.has(tableKey(schemaName, name)) ? tableKey(schemaName, name) : null;
    for (const s of searchPath) if (schema.tables.has(tableKey(s, name))) return tableKey(s, name);
    return null;
  };

  /** `{table key, column}` for a column reference, or null when it is not a plain column of a known table. */
  const resolveColumn = (ref: Json, scope: Scope): { key: string; column: string } | null => {
    const fields = ((ref.fields as Json[] | undefined) ?? []).map((f) => (f.String as Json | undefined)?.sval as string | undefined);
    if (fields.some((f) => f === undefined) || fields.length === 0) return null;
    const column = fields[fields.length - 1]!;
    if (fields.length >= 2) {
      const qualifier = fields.length === 2 ? fields[0]! : `${fields[fields.length - 3]}.${fields[fields.length - 2]}`;
      for (let s: Scope | null = scope; s; s = s.parent) {
        const key = s.names.get(qualifier);
        if (key) return columns(key).has(column) ? { key, column } : null;
      }
      return null;
    }
    for (let s: Scope | null = scope; s; s = s.parent) {
      const owners = new Set<string>();
      for (const key of s.names.values()) if (columns(key).has(column)) owners.add(key);
      if (owners.size === 1) return { key: [...owners][0]!, column };
      if (owners.size > 1) return null;
    }
    return null;
  };

  const columnOf = (node: unknown, scope: Scope): { key: string; column: string } | null => {
    let value = node as Json | undefined;
    // A cast on the column side (`created_at::date`) still names the column, but an index on it would
    // not serve the comparison: only bare columns count.
    const ref = value?.ColumnRef as Json | undefined;
    if (!ref) return null;
    value = ref;
    return resolveColumn(value, scope);
  };

  const literalOf = (node: unknown): string | null => {
    const constant = (node as Json | undefined)?.A_Const as Json | undefined;
    if (!constant || constant.isnull) return null;
    if (constant.sval) return `'${String((constant.sval as Json).sval ?? '').replace(/'/g, "''")}'`;
    if (constant.ival) return String((constant.ival as Json).ival ?? 0);
    if (constant.boolval) return (constant.boolval as Json).boolval ? 'true' : 'false';
    return null;
  };

  const visitCondition = (node: unknown, scope: Scope): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Json;
    if (n.A_Expr) {
      const expr = n.A_Expr as Json;
      const op = ((expr.name as Json[] | undefined)?.[0]?.String as Json | undefined)?.sval as string | undefined;
      const left = columnOf(expr.lexpr, scope);
      const right = columnOf(expr.rexpr, scope);
      const kind = expr.kind as string;
      if (kind === 'AEXPR_OP' && op === '=' && left && right && left.key !== right.key) {
        useOf(left.key).join.add(left.column);
        useOf(right.key).join.add(right.column);
      } else if ((kind === 'AEXPR_OP' && op === '=') || kind === 'AEXPR_IN' || (kind === 'AEXPR_OP_ANY' && op === '=')) {
        const [column, other] = left ? [left, expr.rexpr] : [right, expr.lexpr];
        if (column) {
          useOf(column.key).equality.add(column.column);
          const literal = kind === 'AEXPR_OP' ? literalOf(other) : null;
          if (literal !== null) useOf(column.key).constants.set(column.column, literal);
        }
      } else if ((kind === 'AEXPR_OP' && op && RANGE_OPERATORS.has(op)) || kind === 'AEXPR_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN') {
        const column = left ?? (kind === 'AEXPR_OP' ? right : null);
        if (column) useOf(column.key).range.add(column.column);
      }
    } else if (n.NullTest) {
      const column = columnOf((n.NullTest as Json).arg, scope);
      if (column) useOf(column.key).equality.add(column.column);
    } else if (n.BoolExpr) {
      for (const arg of ((n.BoolExpr as Json).args as unknown[] | undefined) ?? []) visitCondition(arg, scope);
      return;
    }
    // Subqueries in conditions (EXISTS, IN (SELECT ...)) see this scope: correlated references resolve.
    visitNested(n, scope);
  };

  /** Walks a value for nested SELECTs (and records every column reference it passes). */
  const visitNested = (value: unknown, scope: Scope): void => {
    if (Array.isArray(value)) {
      for (const item of value) visitNested(item, scope);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const n = value as Json;
    if (n.SelectStmt) {
      visitSelect(n.SelectStmt as Json, scope);
      return;
    }
    if (n.ColumnRef) {
      const column = resolveColumn(n.ColumnRef as Json, scope);
      if (column) useOf(column.key).referenced.add(column.column);
      return;
    }
    for (const child of Object.values(n)) visitNested(child, scope);
  };

  const addFrom = (item: unknown, scope: Scope, conditions: unknown[]): void => {
    const n = item as Json;
    if (n.RangeVar) {
      const rangeVar = n.RangeVar as Json;
      const key = resolveTable(rangeVar);
      if (!key) return;
      useOf(key);
      const alias = ((rangeVar.alias as Json | undefined)?.aliasname as string | undefined) ?? (rangeVar.relname as string);
      scope.names.set(alias, key);
      if (!rangeVar.alias && rangeVar.schemaname) scope.names.set(`${rangeVar.schemaname}.${rangeVar.relname}`, key);
    } else if (n.JoinExpr) {
      const join = n.JoinExpr as Json;
      addFrom(join.larg, scope, conditions);
      addFrom(join.rarg, scope, conditions);
      if (join.quals) conditions.push(join.quals);
      for (const name of (join.usingClause as Json[] | undefined) ?? []) {
        const column = (name.String as Json | undefined)?.sval as string | undefined;
        if (!column) continue;
        for (const key of new Set(scope.names.values())) if (columns(key).has(column)) useOf(key).join.add(column);
      }
    } else if (n.RangeSubselect) {
      const sub = (n.RangeSubselect as Json).subquery as Json | undefined;
      if (sub?.SelectStmt) visitSelect(sub.SelectStmt as Json, { names: new Map(), parent: scope.parent });
    }
  };

  const visitSelect = (select: Json, parent: Scope | null): void => {
    if (select.larg || select.rarg) {
      if (select.larg) visitSelect(select.larg as Json, parent);
      if (select.rarg) visitSelect(select.rarg as Json, parent);
      return;
    }
    for (const cte of (((select.withClause as Json | undefined)?.ctes as Json[] | undefined) ?? [])) {
      const query = ((cte.CommonTableExpr as Json | undefined)?.ctequery as Json | undefined)?.SelectStmt;
      if (query) visitSelect(query as Json, parent);
    }
    const scope: Scope = { names: new Map(), parent };
    const conditions: unknown[] = [];
    for (const item of (select.fromClause as unknown[] | undefined) ?? []) addFrom(item, scope, conditions);
    if (select.whereClause) conditions.push(select.whereClause);
    if (select.havingClause) visitNested(select.havingClause, scope);
    for (const condition of conditions) visitCondition(condition, scope);
    const ordered = [
      ...((select.sortClause as Json[] | undefined) ?? []).map((s) => (s.SortBy as Json | undefined)?.node),
      ...((select.groupClause as unknown[] | undefined) ?? []),
    ];
    for (const item of ordered) {
      const column = columnOf(item, scope);
      if (column && !useOf(column.key).order.includes(column.column)) useOf(column.key).order.push(column.column);
    }
    visitNested(select.targetList, scope);
    visitNested(select.sortClause, scope);
    visitNested(select.groupClause, scope);
  };

  const visitModify = (statement: Json, conditionKey: string): void => {
    const scope: Scope = { names: new Map(), parent: null };
    const conditions: unknown[] = [];
    if (statement.relation) addFrom({ RangeVar: statement.relation }, scope, conditions);
    for (const item of ((statement.fromClause ?? statement.usingClause) as unknown[] | undefined) ?? []) addFrom(item, scope, conditions);
    if (statement[conditionKey]) conditions.push(statement[conditionKey]);
    for (const condition of conditions) visitCondition(condition, scope);
    visitNested(statement.targetList ?? statement.returningList, scope);
  };

  const root = tree as Json;
  if (root.SelectStmt) visitSelect(root.SelectStmt as Json, null);
  else if (root.UpdateStmt) visitModify(root.UpdateStmt as Json, 'whereClause');
  else if (root.DeleteStmt) visitModify(root.DeleteStmt as Json, 'whereClause');
  else if (root.InsertStmt) {
    const select = ((root.InsertStmt as Json).selectStmt as Json | undefined)?.SelectStmt;
    if (select) visitSelect(select as Json, null);
  }
  // Conditions name the columns they compare; count those as referenced too.
  for (const use of uses.values()) for (const column of indexableColumns(use)) use.referenced.add(column);
  return uses;
}
