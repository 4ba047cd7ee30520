import type { BoolExpr, JoinExpr, Node, RangeVar, ResTarget, SelectStmt } from 'libpg-query';
import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Fix } from '../../finding.js';
import { defineQueryRule, type StatementSource } from '../query-rule.js';
import { as, columnRefsOf, containsNodeType, lastLocation, type ColumnName } from './lib/ast.js';
import { cteNamesOf, resolveColumn, scopeOf, type ScopeItem } from './lib/scope.js';

const NOT_PLAIN_COLUMNS = new Set(['FuncCall', 'SubLink', 'WindowDef']);

/**
 * `SELECT DISTINCT u.* FROM users u JOIN orders o ON o.user_id = u.id` joins each user to all their
 * orders, producing one row per order, then sorts or hashes them all to throw the copies away. The
 * question is "users with an order": `WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)`
 * asks it directly, as a semi-join that stops at each user's first order and makes no copies.
 */
export default defineQueryRule({
  meta: {
    id: 'distinct-hides-join-fanout',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'SELECT DISTINCT over a join whose output comes from one table only: the DISTINCT removes the rows the join multiplied.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, { statement, schema, ancestors, report }) {
      if (select.distinctClause?.length !== 1 || Object.keys(select.distinctClause[0]!).length !== 0) return;
      if (select.groupClause || select.havingClause || select.windowClause) return;
      const scope = scopeOf({ type: 'SelectStmt', node: select }, schema, cteNamesOf([...ancestors.map((a) => a.node), select]));
      if (scope.length < 2 || scope.some((item) => item.nullable || !item.relation)) return;
      const targets = (select.targetList ?? []).map((t) => as<ResTarget>(t, 'ResTarget')?.val);
      if (targets.length === 0 || targets.some((t) => !t || containsNodeType(t, NOT_PLAIN_COLUMNS, true))) return;
      const columns = targets.flatMap((t) => columnRefsOf(t));
      if (columns.length === 0 || columns.some((c) => c.column === '*' && c.qualifier.length === 0)) return;
      const owners = new Set(columns.map((c) => resolveColumn(c, scope, schema)));
      if (owners.size !== 1 || owners.has(null)) return;
      const kept = [...owners][0]!;
      const others = scope.filter((item) => item !== kept);
      const suggestion = rewrite(select, kept, statement.source);
      const exact = suggestion !== null && ancestors.length === 0 && !select.withClause && keepsRowsUnique(columns, kept, schema);
      const fix: Fix | null = exact
        ? { sql: `${suggestion};`, safeOnline: true, note: `The statement rewritten: the output includes ${kept.name}'s primary key, so no DISTINCT is needed.` }
        : null;
      const label = (item: ScopeItem) => (item.relation && item.relation.name !== item.name ? `${item.relation.name} ${item.name}` : item.name);
      report({
        message: `SELECT DISTINCT over a join returns columns of ${label(kept)} only: the DISTINCT removes the copies the join to ${others.map(label).join(', ')} makes. Filter with EXISTS instead, which makes no copies${suggestion ? `: ${suggestion}` : ''}${exact ? '' : ' (keep DISTINCT if the selected columns of ' + kept.name + ' can repeat on their own)'}.`,
        evidence: { kept: kept.name, joined: others.map((o) => o.name), suggestion },
        fix,
        location: select.targetList?.[0] ? (as<ResTarget>(select.targetList[0], 'ResTarget')?.location ?? undefined) : undefined,
        key: `${kept.name}:${others.map((o) => o.name).join(',')}`,
      });
    },
  },
});

/**
 * `SELECT <targets> FROM <kept> WHERE EXISTS (SELECT 1 FROM <other> WHERE <join condition> AND <where>)`
 * followed by the statement's ORDER BY and LIMIT, for one table joined to one other (INNER JOIN ... ON,
 * or a comma and WHERE). Null for other shapes.
 */
function rewrite(select: SelectStmt, kept: ScopeItem, source: StatementSource): string | null {
  const from = select.fromClause ?? [];
  let keptNode: Node | undefined;
  let otherNode: Node | undefined;
  const conditions: Node[] = [];
  if (from.length === 1) {
    const join = as<JoinExpr>(from[0], 'JoinExpr');
    if (!join || join.jointype !== 'JOIN_INNER' || !join.quals || join.usingClause || join.isNatural || join.alias) return null;
    [keptNode, otherNode] = isItem(join.larg, kept) ? [join.larg, join.rarg] : isItem(join.rarg, kept) ? [join.rarg, join.larg] : [undefined, undefined];
    conditions.push(join.quals);
  } else if (from.length === 2) {
    [keptNode, otherNode] = isItem(from[0], kept) ? [from[0], from[1]] : isItem(from[1], kept) ? [from[1], from[0]] : [undefined, undefined];
  } else return null;
  if (!keptNode || !as<RangeVar>(otherNode, 'RangeVar')) return null;
  if (select.whereClause) conditions.push(select.whereClause);
  if (conditions.length === 0) return null;

  const text = (node: unknown): string | null => {
    const span = source.span(node);
    return span ? source.slice(span.start, span.end) : null;
  };
  // The select list as written, aliases included: up to the FROM keyword.
  const firstTarget = source.span(select.targetList?.[0]);
  const from_ = source.tokens().find((t) => t.start > lastLocation(select.targetList) && t.keyword === 'from');
  const keptText = text(keptNode);
  const otherText = text(otherNode);
  const conditionTexts = conditions.map((c) => {
    const written = text(c);
    return written && as<BoolExpr>(c, 'BoolExpr')?.boolop === 'OR_EXPR' ? `(${written})` : written;
  });
  if (!firstTarget || !from_ || !keptText || !otherText || conditionTexts.some((c) => !c)) return null;
  const targets = source.slice(firstTarget.start, from_.start).trim();
  // ORDER BY, LIMIT and the like follow the last condition unchanged.
  const lastCondition = source.span(conditions[conditions.length - 1]);
  const tail = lastCondition ? source.slice(lastCondition.end, source.end).trim() : '';
  return `SELECT ${targets} FROM ${keptText} WHERE EXISTS (SELECT 1 FROM ${otherText} WHERE ${conditionTexts.join(' AND ')})${tail ? ` ${tail}` : ''}`;
}

function isItem(node: Node | undefined, item: ScopeItem): boolean {
  const rangeVar = as<RangeVar>(node, 'RangeVar');
  return rangeVar !== undefined && (rangeVar.alias?.aliasname ?? rangeVar.relname) === item.name && rangeVar.location === item.location;
}

/** The output holds the kept table's whole primary key (or `t.*`), so its rows are distinct already. */
function keepsRowsUnique(columns: readonly ColumnName[], kept: ScopeItem, schema: SnapshotIndex | undefined): boolean {
  if (!schema || !kept.table) return false;
  const primaryKey = schema.constraintsOf(kept.table).find((c) => c.kind === 'primary key');
  if (!primaryKey) return false;
  if (columns.some((c) => c.column === '*')) return true;
  const selected = new Set(columns.map((c) => c.column));
  return primaryKey.columns.every((c) => selected.has(c));
}
