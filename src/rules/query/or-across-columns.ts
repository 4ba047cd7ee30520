import type { A_Expr, BoolExpr, Node } from 'libpg-query';
import { defineQueryRule, type QueryRuleContext } from '../query-rule.js';
import { as, COMPARISON_OPERATORS, columnName, conjuncts, firstLocation, formatColumn, isRowIndependent, operatorOf, type ColumnName } from './lib/ast.js';
import { cteNamesOf, indexesLeadingWith, resolveColumn, scopeOf } from './lib/scope.js';

/**
 * `WHERE a = 1 OR b = 2` cannot be served by one index on a or on b: each index finds only the rows
 * of its own condition. Postgres can read one index per column and merge the results (a BitmapOr),
 * but only when every column of the OR has an index; if one lacks it, the whole table is scanned.
 */
export default defineQueryRule({
  meta: {
    id: 'or-across-columns',
    category: 'query',
    defaultSeverity: 'info',
    description: 'A WHERE condition ORs tests of different columns, which one index cannot serve.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, context) {
      check({ type: 'SelectStmt', node: select }, select.whereClause, context);
    },
    UpdateStmt(update, context) {
      check({ type: 'UpdateStmt', node: update }, update.whereClause, context);
    },
    DeleteStmt(del, context) {
      check({ type: 'DeleteStmt', node: del }, del.whereClause, context);
    },
  },
});

function check(owner: { type: string; node: unknown }, where: Node | undefined, { statement, schema, ancestors, report }: QueryRuleContext<object>): void {
  for (const condition of conjuncts(where)) {
    const bool = as<BoolExpr>(condition, 'BoolExpr');
    if (bool?.boolop !== 'OR_EXPR') continue;
    const columns: ColumnName[] = [];
    if (!orOfColumnTests(condition, columns)) continue;
    const distinct = new Map(columns.map((c) => [formatColumn(c), c]));
    if (distinct.size < 2) continue;
    let unindexed: string[] | null = null;
    if (schema) {
      const scope = scopeOf(owner, schema, cteNamesOf([...ancestors.map((a) => a.node), owner.node]));
      unindexed = [];
      for (const [name, column] of distinct) {
        const item = resolveColumn(column, scope, schema);
        if (!item?.table || indexesLeadingWith(schema, item.table, column.column).length === 0) unindexed.push(name);
      }
      // One index per column: Postgres combines them with a BitmapOr.
      if (unindexed.length === 0) continue;
    }
    const source = statement.source;
    const span = source.span(condition);
    const text = span ? source.slice(span.start, span.end) : [...distinct.keys()].join(' OR ');
    const names = [...distinct.keys()];
    report({
      message: `\`${text}\` tests different columns (${names.join(', ')}): one index cannot serve it, and Postgres combines one index per column (a BitmapOr) only when each has one${unindexed ? `; ${unindexed.join(', ')} ${unindexed.length === 1 ? 'has' : 'have'} none` : ''}. Index each column, or rewrite as a UNION of one query per condition.`,
      evidence: { columns: names, unindexed },
      fix: null,
      location: firstLocation(condition),
      key: names.join(','),
    });
  }
}

/** True when the condition is an OR of simple tests of one column each; collects the columns. */
function orOfColumnTests(node: Node, columns: ColumnName[]): boolean {
  const bool = as<BoolExpr>(node, 'BoolExpr');
  if (bool) return bool.boolop === 'OR_EXPR' && (bool.args ?? []).every((arg) => orOfColumnTests(arg, columns));
  const tested = testedColumn(node);
  if (!tested) return false;
  columns.push(tested);
  return true;
}

/** The column of `col = value`, `col IN (...)`, `col LIKE ...`, `col BETWEEN ...`, `col IS NULL`. */
function testedColumn(node: Node): ColumnName | null {
  const nullTest = as<{ arg?: Node; nulltesttype?: string }>(node, 'NullTest');
  if (nullTest) return nullTest.nulltesttype === 'IS_NULL' ? columnName(nullTest.arg) : null;
  const expr = as<A_Expr>(node, 'A_Expr');
  if (!expr) return null;
  const operator = operatorOf(expr);
  if (expr.kind === 'AEXPR_OP' && COMPARISON_OPERATORS.has(operator) && operator !== '<>' && operator !== '!=') {
    const left = columnName(expr.lexpr);
    if (left && isRowIndependent(expr.rexpr)) return left;
    const right = columnName(expr.rexpr);
    return right && isRowIndependent(expr.lexpr) ? right : null;
  }
  if ((expr.kind === 'AEXPR_IN' && operator === '=') || expr.kind === 'AEXPR_LIKE' || expr.kind === 'AEXPR_BETWEEN') {
    return isRowIndependent(expr.rexpr) ? columnName(expr.lexpr) : null;
  }
  return null;
}
