import type { A_Expr, FuncCall, Node, ResTarget, SelectStmt, SubLink } from 'libpg-query';
import type { Fix } from '../../finding.js';
import { quoteIdent } from '../../sql/quote.js';
import { defineQueryRule, type Ancestor, type StatementSource } from '../query-rule.js';
import { as, functionName, integerOf, operatorOf } from './lib/ast.js';

/** `count > c` and friends that mean "at least one" (true) or "none" (false). */
const EXISTENCE: Record<string, Record<number, boolean>> = {
  '>': { 0: true },
  '>=': { 1: true },
  '<>': { 0: true },
  '!=': { 0: true },
  '=': { 0: false },
  '<': { 1: false },
  '<=': { 0: false },
};
const MIRRORED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '<>': '<>', '!=': '!=' };

interface Count {
  call: FuncCall;
  /** `count(*)` or `count(1)`: counts rows, so the rewrite to EXISTS is exact. */
  countsRows: boolean;
  /** The scalar subquery around it, or null for an aggregate of the statement's own SELECT. */
  link: SubLink | null;
}

/**
 * `(SELECT count(*) FROM t WHERE ...) > 0` counts every matching row to learn whether there is one;
 * `EXISTS (SELECT 1 FROM t WHERE ...)` stops at the first. On a table with many matches the
 * difference is the whole table against one index probe.
 */
export default defineQueryRule({
  meta: {
    id: 'count-for-existence',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'A count compared with 0 (`count(*) > 0`, `= 0`) to test whether rows exist, instead of EXISTS.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    A_Expr(expr, { statement, ancestors, report }) {
      if (expr.kind !== 'AEXPR_OP') return;
      const operator = operatorOf(expr);
      let count = countOf(expr.lexpr, ancestors);
      let constant = integerOf(expr.rexpr);
      let op = operator;
      if (!count) {
        count = countOf(expr.rexpr, ancestors);
        constant = integerOf(expr.lexpr);
        op = MIRRORED[operator] ?? operator;
      }
      if (!count || constant === null) return;
      const exists = EXISTENCE[op]?.[constant];
      if (exists === undefined) return;
      const source = statement.source;
      const whole = source.span({ A_Expr: expr });
      const written = whole ? source.slice(whole.start, whole.end) : `count(*) ${operator} ${constant}`;
      const form = exists ? 'EXISTS' : 'NOT EXISTS';
      const fix = count.countsRows ? (count.link ? subqueryFix(source, expr, count, form) : aggregateFix(source, expr, count, form, ancestors)) : null;
      report({
        message: `\`${written}\` counts every matching row to learn whether ${exists ? 'there is one' : 'there is none'}: ${form} stops at the first.${count.countsRows ? '' : ` (count of a column skips NULLs: the ${form} form needs \`AND <column> IS NOT NULL\`.)`}`,
        evidence: { expression: written, means: form },
        fix,
        location: count.call.location,
        key: `${op} ${constant}`,
      });
    },
  },
});

/** A `count(...)` of rows: a scalar subquery's only output, or an aggregate of the SELECT whose output this is. */
function countOf(node: Node | undefined, ancestors: readonly Ancestor[]): Count | null {
  const link = as<SubLink>(node, 'SubLink');
  if (link) {
    if (link.subLinkType !== 'EXPR_SUBLINK') return null;
    const select = as<SelectStmt>(link.subselect, 'SelectStmt');
    if (!select || !isPlainAggregate(select) || select.targetList?.length !== 1) return null;
    const call = countCall(as<ResTarget>(select.targetList[0], 'ResTarget')?.val);
    return call ? { call, countsRows: countsRows(call), link } : null;
  }
  const call = countCall(node);
  if (!call) return null;
  // A bare count(*) > 0 means "exists" only in the select list of a SELECT without GROUP BY.
  const parent = ancestors[ancestors.length - 1];
  const owner = ancestors[ancestors.length - 2];
  if (parent?.type !== 'ResTarget' || owner?.type !== 'SelectStmt' || !isPlainAggregate(owner.node as SelectStmt)) return null;
  return { call, countsRows: countsRows(call), link: null };
}

function countCall(node: Node | undefined): FuncCall | null {
  const call = as<FuncCall>(node, 'FuncCall');
  if (!call || functionName(call) !== 'count' || call.over || call.agg_filter) return null;
  return call;
}

function countsRows(call: FuncCall): boolean {
  if (call.agg_star) return true;
  return !call.agg_distinct && call.args?.length === 1 && integerOf(call.args[0]) !== null;
}

/** One row whatever the data: an aggregate over the whole FROM, no grouping, no LIMIT games. */
function isPlainAggregate(select: SelectStmt): boolean {
  return (
    (select.op ?? 'SETOP_NONE') === 'SETOP_NONE' &&
    !select.groupClause &&
    !select.havingClause &&
    !select.distinctClause &&
    !select.windowClause &&
    !select.limitCount &&
    !select.limitOffset &&
    (select.fromClause?.length ?? 0) > 0
  );
}

/** `(SELECT count(*) FROM t WHERE c) > 0` → `EXISTS (SELECT 1 FROM t WHERE c)`. */
function subqueryFix(source: StatementSource, expr: A_Expr, count: Count, form: string): Fix | null {
  const whole = source.span({ A_Expr: expr });
  const link = source.span({ SubLink: count.link });
  const call = source.span({ FuncCall: count.call });
  if (!whole || !link || !call) return null;
  const subquery = `${source.slice(link.start, call.start)}1${source.slice(call.end, link.end)}`;
  return {
    sql: source.rewrite([{ start: whole.start, end: whole.end, text: `${form} ${subquery}` }]),
    safeOnline: true,
    note: 'The statement rewritten; it returns the same result.',
  };
}

/** `SELECT count(*) > 0 FROM t WHERE c` → `SELECT EXISTS (SELECT 1 FROM t WHERE c)`. */
function aggregateFix(source: StatementSource, expr: A_Expr, count: Count, form: string, ancestors: readonly Ancestor[]): Fix | null {
  // Only when that SELECT is the whole statement and the comparison its only output.
  if (ancestors.length !== 2) return null;
  const select = ancestors[0]!.node as SelectStmt;
  const target = ancestors[1]!.node as ResTarget;
  if (select.targetList?.length !== 1 || select.sortClause || select.lockingClause || select.intoClause) return null;
  const whole = source.span({ A_Expr: expr });
  if (!whole) return null;
  const tokens = source.tokens();
  const selectKeyword = [...tokens].reverse().find((t) => t.end <= whole.start && t.keyword === 'select');
  const from = tokens.find((t) => t.start >= whole.end && t.keyword === 'from');
  if (!selectKeyword || !from) return null;
  const alias = target.name ? ` AS ${quoteIdent(target.name)}` : '';
  const text = `${source.slice(source.start, selectKeyword.start)}SELECT ${form} (SELECT 1 ${source.slice(from.start, source.end)})${alias};`;
  return { sql: text, safeOnline: true, note: 'The statement rewritten; it returns the same result.' };
}
