import type { A_Expr, FuncCall, Node, TypeCast } from 'libpg-query';
import type { Fix } from '../../finding.js';
import { defineQueryRule, type Ancestor, type QueryRuleContext } from '../query-rule.js';
import { as, columnName, constantOf, functionName, integerOf, isInCondition, isRowIndependent, names, operatorOf, type ColumnName } from './lib/ast.js';
import { columnOfItem, cteNamesOf, enclosingQuery, resolveColumn, scopeOf } from './lib/scope.js';

const TEMPORAL_TYPES = new Set(['date', 'timestamp', 'timestamptz']);
const RANGE_OPERATORS = new Set(['=', '<', '>', '<=', '>=']);
const MIRRORED: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=' };
const DATE_LITERAL = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date or time column behind a function: `date_trunc('day', at)`, `extract(year from at)`, `at::date`. */
interface DateWrapper {
  kind: 'date_trunc' | 'extract' | 'date';
  /** date_trunc's unit or extract's field, lower case. */
  part: string;
  column: ColumnName;
  /** date_trunc with a time zone argument: no rewrite. */
  zoned: boolean;
  location: number | undefined;
}

/**
 * A condition on `date_trunc('day', created_at)`, `extract(year FROM created_at)` or
 * `created_at::date` computes a value for every row before comparing, so an index on created_at
 * cannot be used and the table is scanned. The same condition written as a range of the column's
 * own values (`created_at >= '2024-03-01' AND created_at < '2024-03-02'`) uses it.
 */
export default defineQueryRule({
  meta: {
    id: 'non-sargable-date-expression',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'A condition on date_trunc(), extract() or a ::date cast of a column, instead of a range on the column itself.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    A_Expr(expr, context) {
      if (expr.kind !== 'AEXPR_OP' && expr.kind !== 'AEXPR_BETWEEN' && expr.kind !== 'AEXPR_IN') return;
      if (!isInCondition(context.ancestors)) return;
      let operator = operatorOf(expr);
      let wrapper = dateWrapper(expr.lexpr);
      let value = expr.rexpr;
      if (!wrapper && expr.kind === 'AEXPR_OP') {
        wrapper = dateWrapper(expr.rexpr);
        value = expr.lexpr;
        operator = MIRRORED[operator] ?? operator;
      }
      if (!wrapper || !isRowIndependent(value)) return;
      if (expr.kind === 'AEXPR_OP' && !RANGE_OPERATORS.has(operator)) return;
      if (expr.kind === 'AEXPR_IN' && operator !== '=') return;
      reportCondition(expr, wrapper, expr.kind === 'AEXPR_OP' ? operator : null, value, context);
    },
  },
});

function reportCondition(expr: A_Expr, wrapper: DateWrapper, operator: string | null, value: Node | undefined, context: QueryRuleContext<object>): void {
  const { statement, schema, ancestors } = context;
  const source = statement.source;
  const whole = source.span({ A_Expr: expr });
  const columnSpan = source.span({ ColumnRef: { fields: [], location: wrapper.column.location } });
  const written = whole ? source.slice(whole.start, whole.end) : null;
  const columnText = columnSpan ? source.slice(columnSpan.start, columnSpan.end) : wrapper.column.column;
  const valueSpan = source.span(value);
  const range = operator ? rangeOf(wrapper, value, operator, columnText, valueSpan && source.slice(valueSpan.start, valueSpan.end)) : null;

  let typeKnown: boolean | null = null;
  if (schema) {
    const owner = enclosingQuery(ancestors);
    const scope = owner ? scopeOf(owner, schema, cteNamesOf(ancestors.map((a) => a.node))) : [];
    const column = columnOfItem(resolveColumn(wrapper.column, scope, schema), wrapper.column, schema);
    typeKnown = column ? TEMPORAL_TYPES.has(column.typeName) : null;
    if (typeKnown === false) return;
  }
  // A ::date cast of a text column compares text after the rewrite: only with the type known.
  const canRewrite = range !== null && whole !== null && (wrapper.kind !== 'date' || typeKnown === true);
  let fix: Fix | null = null;
  if (canRewrite) {
    const text = range.includes(' AND ') && needsParentheses(ancestors) ? `(${range})` : range;
    fix = {
      sql: source.rewrite([{ start: whole.start, end: whole.end, text }]),
      safeOnline: true,
      note: 'The statement rewritten with the same meaning (the bounds are read in the session time zone, as the original was).',
    };
  }
  const wrapped = wrapper.kind === 'date' ? `${wrapper.column.column}::date` : `${wrapper.kind}(${wrapper.part}, ${wrapper.column.column})`;
  context.report({
    message: `\`${written ?? wrapped}\` computes a value from ${columnText} for every row, so an index on ${wrapper.column.column} cannot serve it. ${range ? `Compare the column with a range instead: \`${range}\`.` : `Compare the column with a range of its own values (\`${columnText} >= <start> AND ${columnText} < <end>\`), or index the expression.`}`,
    evidence: { expression: written, column: columnText, function: wrapper.kind, part: wrapper.part || null, suggestion: range },
    fix,
    location: wrapper.location,
    key: `${wrapped} ${operator ?? expr.kind}`,
  });
}

function dateWrapper(node: Node | undefined): DateWrapper | null {
  const call = as<FuncCall>(node, 'FuncCall');
  if (call) {
    const name = functionName(call).toLowerCase();
    const args = call.args ?? [];
    if (name === 'date_trunc' || name === 'extract' || name === 'date_part') {
      const part = constantOf(args[0]);
      const column = columnName(args[1]);
      if (part?.kind !== 'string' || !column || column.column === '*') return null;
      return { kind: name === 'date_trunc' ? 'date_trunc' : 'extract', part: part.value.toLowerCase(), column, zoned: args.length > 2, location: call.location };
    }
    if (name === 'date' && args.length === 1) {
      const column = columnName(args[0]);
      return column ? { kind: 'date', part: '', column, zoned: false, location: call.location } : null;
    }
    return null;
  }
  const cast = as<TypeCast>(node, 'TypeCast');
  const column = columnName(cast?.arg);
  const type = names(cast?.typeName?.names);
  if (cast && column && type[type.length - 1] === 'date') return { kind: 'date', part: '', column, zoned: false, location: column.location };
  return null;
}

/**
 * The same condition as a range of the column, or null when no exact one is known: day, month and
 * year truncations compared with a date on that boundary, `extract(year ...)` with a year, `::date`
 * with a date literal, a parameter or current_date.
 */
function rangeOf(wrapper: DateWrapper, value: Node | undefined, operator: string, column: string, valueText: string | null): string | null {
  let bounds: [string, string] | null = null;
  if (wrapper.kind === 'date') {
    const literal = dateLiteral(value);
    if (literal) bounds = [quote(literal), quote(addDays(literal, 1))];
    else if (as(value, 'ParamRef') && valueText) bounds = [`${valueText}::date`, `${valueText}::date + 1`];
    else if (as<{ op?: string }>(value, 'SQLValueFunction')?.op === 'SVFOP_CURRENT_DATE') bounds = ['current_date', 'current_date + 1'];
  } else if (wrapper.kind === 'date_trunc' && !wrapper.zoned) {
    const literal = dateLiteral(value);
    const step = literal ? truncationStep(wrapper.part, literal) : null;
    if (literal && step) bounds = [quote(literal), quote(step)];
  } else if (wrapper.kind === 'extract' && wrapper.part === 'year') {
    const year = integerOf(value);
    if (year !== null && year > 0 && year < 10000) bounds = [quote(`${pad(year, 4)}-01-01`), quote(`${pad(year + 1, 4)}-01-01`)];
  }
  if (!bounds) return null;
  const [low, high] = bounds;
  switch (operator) {
    case '=':
      return `${column} >= ${low} AND ${column} < ${high}`;
    case '>=':
      return `${column} >= ${low}`;
    case '>':
      return `${column} >= ${high}`;
    case '<':
      return `${column} < ${low}`;
    case '<=':
      return `${column} < ${high}`;
    default:
      return null;
  }
}

/** `'2024-03-01'`, `'2024-03-01'::date`, `DATE '2024-03-01'`: the date, when valid. */
function dateLiteral(node: Node | undefined): string | null {
  const cast = as<TypeCast>(node, 'TypeCast');
  if (cast) {
    const type = names(cast.typeName?.names);
    return type[type.length - 1] === 'date' ? dateLiteral(cast.arg) : null;
  }
  const constant = constantOf(node);
  if (constant?.kind !== 'string') return null;
  const match = DATE_LITERAL.exec(constant.value);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return isoDate(date) === constant.value ? constant.value : null;
}

/** The next boundary after `date` for a truncation unit, when `date` is on a boundary of it. */
function truncationStep(unit: string, date: string): string | null {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  if (unit === 'day') return addDays(date, 1);
  if (unit === 'month' && day === 1) return isoDate(new Date(Date.UTC(year, month, 1)));
  if (unit === 'year' && day === 1 && month === 1) return `${pad(year + 1, 4)}-01-01`;
  return null;
}

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return isoDate(new Date(Date.UTC(year, month - 1, day + days)));
}

function isoDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function quote(date: string): string {
  return `'${date}'`;
}

/** `a AND b` replacing an operand of OR or NOT (or of anything but AND or the clause itself) needs parentheses. */
function needsParentheses(ancestors: readonly Ancestor[]): boolean {
  const parent = ancestors[ancestors.length - 1];
  if (!parent) return true;
  if (parent.type === 'BoolExpr') return (parent.node as { boolop?: string }).boolop !== 'AND_EXPR';
  return !(parent.type === 'SelectStmt' || parent.type === 'UpdateStmt' || parent.type === 'DeleteStmt' || parent.type === 'JoinExpr');
}
