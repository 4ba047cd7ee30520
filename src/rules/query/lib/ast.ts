/**
 * Small readers over libpg-query's parse tree shared by the lint rules: names, constants,
 * operators, the conjuncts of a WHERE clause. Not a rule.
 */
import type { A_Const, A_Expr, ColumnRef, FuncCall, Node, TypeCast } from 'libpg-query';

/** The type of a wrapped node (`{ A_Expr: {...} }` → `A_Expr`). */
export function typeOf(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  for (const key in node) return key;
  return undefined;
}

/** The fields of a wrapped node when it has type `type`. */
export function as<T>(node: Node | undefined, type: string): T | undefined {
  return node && type in node ? ((node as Record<string, unknown>)[type] as T) : undefined;
}

export function stringOf(node: Node | undefined): string | undefined {
  return as<{ sval?: string }>(node, 'String')?.sval ?? (node && 'String' in node ? '' : undefined);
}

/** The names of a list of `String` nodes (function names, operator names, type names). */
export function names(list: readonly Node[] | undefined): string[] {
  return (list ?? []).map((n) => stringOf(n) ?? '');
}

/** The function's own name (without schema), as the parser gives it (lower case unless quoted). */
export function functionName(call: FuncCall): string {
  const list = names(call.funcname);
  return list[list.length - 1] ?? '';
}

/** The operator of an expression: `=`, `<>`, `~~` (LIKE), ... */
export function operatorOf(expr: A_Expr): string {
  const list = names(expr.name);
  return list[list.length - 1] ?? '';
}

export const COMPARISON_OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

/** A column reference: `qualifier` holds `[schema, table]`, `[table]` or nothing. */
export interface ColumnName {
  qualifier: string[];
  /** `*` for `t.*` and `*`. */
  column: string;
  location: number;
}

export function columnName(node: Node | undefined): ColumnName | null {
  const ref = as<ColumnRef>(node, 'ColumnRef');
  if (!ref?.fields?.length) return null;
  const parts = ref.fields.map((f) => ('A_Star' in f ? '*' : (stringOf(f) ?? '?')));
  return { qualifier: parts.slice(0, -1), column: parts[parts.length - 1]!, location: ref.location ?? -1 };
}

/** `t.email`, `email`, `t.*`. */
export function formatColumn(column: ColumnName): string {
  return [...column.qualifier, column.column].join('.');
}

export type Constant =
  | { kind: 'integer'; value: number }
  | { kind: 'float'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'bits'; value: string };

/** The value of a constant (`A_Const`); the parser leaves zero, false and '' out of the JSON. */
export function constantOf(node: Node | undefined): Constant | null {
  const c = as<A_Const>(node, 'A_Const');
  if (!c) return null;
  if (c.isnull) return { kind: 'null' };
  if (c.ival) return { kind: 'integer', value: c.ival.ival ?? 0 };
  if (c.fval) return { kind: 'float', value: c.fval.fval ?? '0' };
  if (c.sval) return { kind: 'string', value: c.sval.sval ?? '' };
  if (c.boolval) return { kind: 'boolean', value: c.boolval.boolval ?? false };
  if (c.bsval) return { kind: 'bits', value: c.bsval.bsval ?? '' };
  return null;
}

export function isNullConstant(node: Node | undefined): boolean {
  return constantOf(node)?.kind === 'null';
}

/** The integer value of a constant, allowing for a cast of it (`100::int`); null otherwise. */
export function integerOf(node: Node | undefined): number | null {
  const constant = constantOf(node) ?? constantOf(as<TypeCast>(node, 'TypeCast')?.arg);
  if (constant?.kind === 'integer') return constant.value;
  if (constant?.kind === 'float' && /^\d+$/.test(constant.value)) return Number(constant.value);
  return null;
}

/** The conjuncts of a condition: `a AND (b AND c)` gives a, b, c. */
export function conjuncts(condition: Node | undefined): Node[] {
  if (!condition) return [];
  const bool = as<{ boolop?: string; args?: Node[] }>(condition, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap(conjuncts);
  return [condition];
}

/**
 * Every comparison-like expression a condition is made of, through AND, OR and NOT but not into
 * subqueries (their own statements are visited on their own).
 */
export function predicatesOf(condition: Node | undefined, out: Node[] = []): Node[] {
  if (!condition) return out;
  const bool = as<{ args?: Node[] }>(condition, 'BoolExpr');
  if (bool) {
    for (const arg of bool.args ?? []) predicatesOf(arg, out);
  } else out.push(condition);
  return out;
}

/**
 * The column references of an expression. Subqueries are left out (except the left side of
 * `x IN (SELECT ...)`) unless `intoSubqueries`: a correlated EXISTS references outer columns too.
 */
export function columnRefsOf(node: unknown, out: ColumnName[] = [], intoSubqueries = false): ColumnName[] {
  if (typeof node !== 'object' || node === null) return out;
  if (Array.isArray(node)) {
    for (const item of node) columnRefsOf(item, out, intoSubqueries);
    return out;
  }
  const record = node as Record<string, unknown>;
  if ('ColumnRef' in record) {
    const column = columnName(record as Node);
    if (column) out.push(column);
    return out;
  }
  if ('SubLink' in record && !intoSubqueries) {
    // The subquery's own columns are its business; the left side of `x IN (SELECT ...)` is ours.
    columnRefsOf((record.SubLink as { testexpr?: unknown }).testexpr, out);
    return out;
  }
  for (const key in record) columnRefsOf(record[key], out, intoSubqueries);
  return out;
}

/** True when the subtree holds a node of one of these types (not looking into subqueries unless asked). */
export function containsNodeType(node: unknown, types: ReadonlySet<string>, intoSubqueries = false): boolean {
  if (typeof node !== 'object' || node === null) return false;
  if (Array.isArray(node)) return node.some((item) => containsNodeType(item, types, intoSubqueries));
  const record = node as Record<string, unknown>;
  for (const key in record) {
    if (types.has(key)) return true;
    if (key === 'SubLink' && !intoSubqueries) continue;
    if (containsNodeType(record[key], types, intoSubqueries)) return true;
  }
  return false;
}

const NOT_A_VALUE = new Set(['ColumnRef', 'SubLink']);

/**
 * True when an expression is a value known before any row is read: constants, parameters, and
 * functions or operators over them (`now() - interval '1 day'`, `$1::date`).
 */
export function isRowIndependent(node: Node | undefined): boolean {
  return node !== undefined && !containsNodeType(node, NOT_A_VALUE, true);
}

/** The smallest `location` in a subtree (where an expression's text starts), or -1. */
export function firstLocation(node: unknown): number {
  return locationExtreme(node, 'first');
}

/** The largest `location` in a subtree (its last located token), or -1. */
export function lastLocation(node: unknown): number {
  return locationExtreme(node, 'last');
}

function locationExtreme(node: unknown, which: 'first' | 'last'): number {
  let min = Infinity;
  let max = -1;
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const child = record[key];
      if (key === 'location' && typeof child === 'number' && child >= 0) {
        if (child < min) min = child;
        if (child > max) max = child;
      } else visit(child);
    }
  };
  visit(node);
  if (which === 'last') return max;
  return min === Infinity ? -1 : min;
}

/** Nodes whose expressions are conditions on rows: a WHERE, HAVING or JOIN ... ON belongs to them. */
const CONDITION_OWNERS = new Set(['SelectStmt', 'UpdateStmt', 'DeleteStmt', 'JoinExpr']);
/** Nodes whose expressions compute values rather than filter rows. */
const VALUE_OWNERS = new Set(['ResTarget', 'SortBy', 'RangeFunction', 'WindowDef', 'CaseExpr']);

/**
 * True when the visited node sits in a condition (WHERE, JOIN ... ON, HAVING) of the nearest
 * statement around it, rather than in its select list, ORDER BY or a function in FROM.
 */
export function isInCondition(ancestors: readonly { type: string }[]): boolean {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const type = ancestors[i]!.type;
    if (CONDITION_OWNERS.has(type)) return true;
    if (VALUE_OWNERS.has(type)) return false;
  }
  return false;
}
