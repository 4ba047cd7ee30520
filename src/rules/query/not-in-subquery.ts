import type { Node, ResTarget, SelectStmt, SubLink } from 'libpg-query';
import { defineQueryRule, type QueryRuleContext } from '../query-rule.js';
import { as, columnName, conjuncts, names } from './lib/ast.js';
import { columnOfItem, resolveColumn, scopeOf } from './lib/scope.js';

/**
 * `x NOT IN (SELECT y FROM t)` is NULL, not true, for every x as soon as one y is NULL: the query
 * then returns no rows at all, and nothing says why. `NOT EXISTS` says what is meant (and plans as
 * an anti-join, where NOT IN over a large subquery cannot).
 */
export default defineQueryRule({
  meta: {
    id: 'not-in-subquery',
    category: 'query',
    defaultSeverity: 'error',
    description: 'A `NOT IN (SELECT ...)` (or `<> ALL (SELECT ...)`), which returns no rows at all when the subquery yields a NULL.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    BoolExpr(bool, context) {
      if (bool.boolop !== 'NOT_EXPR' || bool.args?.length !== 1) return;
      const link = as<SubLink>(bool.args[0], 'SubLink');
      if (link?.subLinkType === 'ANY_SUBLINK' && ['', '='].includes(lastName(link.operName))) check(link, 'NOT IN', bool.location ?? link.location, context);
    },
    SubLink(link, context) {
      const operator = lastName(link.operName);
      if (link.subLinkType === 'ALL_SUBLINK' && (operator === '<>' || operator === '!=')) check(link, `${operator} ALL`, link.location, context);
    },
  },
});

function lastName(list: Node[] | undefined): string {
  const parts = names(list);
  return parts[parts.length - 1] ?? '';
}

/** `x NOT IN (SELECT ...)` parses as NOT over an `= ANY` sublink; `x <> ALL (SELECT ...)` means the same. */
function check(link: SubLink, form: string, location: number | undefined, { statement, schema, report }: QueryRuleContext<object>): void {
  const subquery = as<SelectStmt>(link.subselect, 'SelectStmt');
  if (!subquery || (subquery.op ?? 'SETOP_NONE') !== 'SETOP_NONE' || subquery.targetList?.length !== 1) return;
  const target = as<ResTarget>(subquery.targetList[0], 'ResTarget')?.val;
  if (provablyNotNull(target, subquery, schema)) return;
  const source = statement.source;
  const text = (node: unknown): string | null => {
    const span = source.span(node);
    return span ? source.slice(span.start, span.end) : null;
  };
  const outer = text(link.testexpr) ?? 'x';
  const inner = text(target) ?? 'y';
  const from = (subquery.fromClause ?? []).map(text);
  const where = text(subquery.whereClause);
  const suggestion =
    from.length > 0 && from.every((f) => f !== null) && (where !== null || !subquery.whereClause) && !subquery.groupClause && !subquery.havingClause && !subquery.limitCount && !subquery.distinctClause
      ? `NOT EXISTS (SELECT FROM ${from.join(', ')} WHERE ${where ? `(${where}) AND ` : ''}${inner} = ${outer})`
      : null;
  report({
    message: `\`${outer} ${form} (SELECT ${inner} ...)\` returns no rows at all if the subquery yields a NULL ${inner}; use NOT EXISTS with a correlated condition${suggestion ? `: ${suggestion}` : ''}.`,
    evidence: {
      expression: `${outer} ${form} (SELECT ${inner} ...)`,
      suggestion,
      note: 'qualify the outer column in the NOT EXISTS form if the subquery has a column of the same name; rows where the outer value is NULL are kept by NOT EXISTS and dropped by NOT IN',
    },
    fix: null,
    location,
    key: `${outer} ${form} ${inner}`,
  });
}

/**
 * True when the subquery's column cannot be NULL: it filters `IS NOT NULL` on it, or (with a
 * schema) it is a NOT NULL column of a table not on the nullable side of an outer join.
 */
function provablyNotNull(target: Node | undefined, subquery: SelectStmt, schema: Parameters<typeof resolveColumn>[2]): boolean {
  const column = columnName(target);
  if (!column) return false;
  for (const condition of conjuncts(subquery.whereClause)) {
    const test = as<{ arg?: Node; nulltesttype?: string }>(condition, 'NullTest');
    const tested = test?.nulltesttype === 'IS_NOT_NULL' ? columnName(test.arg) : null;
    if (tested && tested.column === column.column && tested.qualifier.join('.') === column.qualifier.join('.')) return true;
  }
  if (!schema) return false;
  const scope = scopeOf({ type: 'SelectStmt', node: subquery }, schema);
  const item = resolveColumn(column, scope, schema);
  if (!item || item.nullable) return false;
  return columnOfItem(item, column, schema)?.notNull ?? false;
}
