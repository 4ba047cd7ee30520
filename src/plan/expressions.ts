/**
 * Reads the expressions EXPLAIN prints (`Filter: ((o.status = 'x'::text) AND (o.amount > 10))`,
 * `Sort Key: o.created_at DESC`) with the real Postgres parser, to find which columns of the scanned
 * table a condition tests and how: what an index for it would need. Requires `ensureParser()`.
 */
import { parseSync } from '../sql/parser.js';

/** One comparison of a column of the scanned table with something computed outside it. */
export interface ColumnCondition {
  column: string;
  /** `=` (also `= ANY(...)` and `IS NULL`), a range operator, or another operator. */
  kind: 'equality' | 'range' | 'other';
  operator: string;
  /** The type the column is cast to before the comparison (`numeric` in `(id)::numeric = 42.0`). */
  castTo: string | null;
}

export interface ConditionAnalysis {
  /** Comparisons joined by AND at the top (the parts an index can serve). */
  conditions: ColumnCondition[];
  /** Parts that are not a simple column comparison (OR, functions of columns, ...). */
  unrecognised: number;
}

export interface SortColumn {
  column: string;
  descending: boolean;
  /** True, false, or null for the direction's default. */
  nullsFirst: boolean | null;
}

type Node = Record<string, unknown>;

const RANGE_OPERATORS = new Set(['<', '<=', '>', '>=']);

/**
 * The column comparisons of `expression` on the relation known by any of `names` (its alias and
 * name; unqualified columns count as its own). Columns of other relations are treated as values (the
 * outer side of a nested loop). Null when the text cannot be parsed.
 */
export function analyseCondition(expression: string, names: readonly string[]): ConditionAnalysis | null {
  const where = parseExpression(`SELECT 1 WHERE ${sanitise(expression)}`)?.whereClause as Node | undefined;
  if (!where) return null;
  const result: ConditionAnalysis = { conditions: [], unrecognised: 0 };
  for (const part of conjuncts(where)) {
    const condition = comparison(part, names);
    if (condition) result.conditions.push(condition);
    else result.unrecognised++;
  }
  return result;
}

/** Sort keys as columns of the relation; null when a key is an expression or another relation's. */
export function analyseSortKeys(keys: readonly string[], names: readonly string[]): SortColumn[] | null {
  const parsed = parseExpression(`SELECT 1 ORDER BY ${keys.map(sanitise).join(', ')}`);
  const sortClause = parsed?.sortClause as Node[] | undefined;
  if (!sortClause) return null;
  const columns: SortColumn[] = [];
  for (const item of sortClause) {
    const sortBy = item.SortBy as Node;
    const column = ownColumn(sortBy.node as Node, names);
    if (!column) return null;
    columns.push({
      column,
      descending: sortBy.sortby_dir === 'SORTBY_DESC',
      nullsFirst: sortBy.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sortBy.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : null,
    });
  }
  return columns;
}

/**
 * Columns of the relation that `expression` compares with `=` to columns of other relations (join
 * conditions: `(o.customer_id = c.id)` gives customer_id for the relation known as o).
 */
export function equalityColumns(expression: string, names: readonly string[]): string[] {
  return (analyseCondition(expression, names)?.conditions ?? []).filter((c) => c.kind === 'equality').map((c) => c.column);
}

/** `(SubPlan 1)`, `(InitPlan 1).col1` and `$1` are not SQL the parser reads as values: make them NULL. */
function sanitise(expression: string): string {
  return expression
    .replace(/\((?:hashed )?SubPlan \d+\)/g, 'NULL')
    .replace(/\(InitPlan \d+\)\.col\d+/g, 'NULL')
    .replace(/\$\d+/g, 'NULL');
}

function parseExpression(sql: string): Node | null {
  try {
    const stmt = parseSync(sql).stmts?.[0]?.stmt as Node | undefined;
    return (stmt?.SelectStmt as Node | undefined) ?? null;
  } catch {
    return null;
  }
}

function conjuncts(node: Node): Node[] {
  const bool = node.BoolExpr as Node | undefined;
  if (bool && bool.boolop === 'AND_EXPR') return (bool.args as Node[]).flatMap(conjuncts);
  return [node];
}

function comparison(node: Node, names: readonly string[]): ColumnCondition | null {
  const nullTest = node.NullTest as Node | undefined;
  if (nullTest) {
    const column = ownColumn(nullTest.arg as Node, names);
    return column ? { column, kind: nullTest.nulltesttype === 'IS_NULL' ? 'equality' : 'other', operator: nullTest.nulltesttype === 'IS_NULL' ? 'IS NULL' : 'IS NOT NULL', castTo: null } : null;
  }
  const expr = node.A_Expr as Node | undefined;
  if (!expr || (expr.kind !== 'AEXPR_OP' && expr.kind !== 'AEXPR_OP_ANY')) return null;
  const operator = ((expr.name as Node[])[0]?.String as Node | undefined)?.sval as string | undefined;
  if (!operator) return null;
  let [left, right] = [expr.lexpr as Node | undefined, expr.rexpr as Node | undefined];
  let op = operator;
  if (!left || !right) return null;
  // `42 < x` is `x > 42`.
  if (!columnOf(left, names) && columnOf(right, names) && expr.kind === 'AEXPR_OP') {
    [left, right] = [right, left];
    op = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op] ?? op;
  }
  const target = columnOf(left, names);
  if (!target || !isValue(right, names)) return null;
  const kind = op === '=' ? 'equality' : RANGE_OPERATORS.has(op) && expr.kind === 'AEXPR_OP' ? 'range' : 'other';
  return { column: target.column, kind, operator: expr.kind === 'AEXPR_OP_ANY' ? `${op} ANY` : op, castTo: target.castTo };
}

/** A column of the relation, possibly under a cast. */
function columnOf(node: Node, names: readonly string[]): { column: string; castTo: string | null } | null {
  const cast = node.TypeCast as Node | undefined;
  if (cast) {
    const column = ownColumn(cast.arg as Node, names);
    return column ? { column, castTo: typeNameOf(cast.typeName as Node) } : null;
  }
  const column = ownColumn(node, names);
  return column ? { column, castTo: null } : null;
}

function ownColumn(node: Node | undefined, names: readonly string[]): string | null {
  const ref = node?.ColumnRef as Node | undefined;
  if (!ref) return null;
  const fields = (ref.fields as Node[]).map((f) => (f.String as Node | undefined)?.sval as string | undefined);
  if (fields.some((f) => f === undefined)) return null;
  if (fields.length === 1) return fields[0]!;
  return names.includes(fields.at(-2)!) ? fields.at(-1)! : null;
}

/** Constants, parameters, other relations' columns and expressions of those. */
function isValue(node: Node, names: readonly string[]): boolean {
  if (ownColumn(node, names)) return false;
  let own = false;
  const visit = (value: unknown): void => {
    if (own || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) return value.forEach(visit);
    const record = value as Node;
    if (record.ColumnRef && ownColumn(record, names)) {
      own = true;
      return;
    }
    Object.values(record).forEach(visit);
  };
  visit(node);
  return !own;
}

function typeNameOf(typeName: Node): string {
  const names = (typeName.names as Node[]).map((n) => (n.String as Node).sval as string).filter((n) => n !== 'pg_catalog');
  const name = names.join('.');
  return typeName.arrayBounds ? `${name}[]` : name;
}
