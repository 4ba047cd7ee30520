import type { A_Expr, Node } from 'libpg-query';
import { defineQueryRule, type StatementSource } from '../query-rule.js';
import { as, constantOf, isNullConstant, operatorOf } from './lib/ast.js';

/**
 * `x = NULL` is never true: any comparison with NULL yields NULL, which WHERE treats as false. The
 * query silently returns nothing (or, with `<> NULL`, nothing either). `NOT IN (..., NULL)` is the
 * same trap: it can never be true.
 */
export default defineQueryRule({
  meta: {
    id: 'equals-null',
    category: 'query',
    defaultSeverity: 'error',
    description: 'A comparison with NULL (`= NULL`, `<> NULL`, `NOT IN (..., NULL)`), which is never true.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    A_Expr(expr, { statement, report }) {
      if (expr.kind !== 'AEXPR_OP' && expr.kind !== 'AEXPR_IN') return;
      const operator = operatorOf(expr);
      const source = statement.source;
      if (expr.kind === 'AEXPR_OP' && (operator === '=' || operator === '<>' || operator === '!=')) {
        const nullOnRight = isNullConstant(expr.rexpr);
        const nullOnLeft = isNullConstant(expr.lexpr);
        if (nullOnRight === nullOnLeft) return;
        const other = nullOnRight ? expr.lexpr : expr.rexpr;
        const otherSpan = source.span(other);
        const operand = otherSpan ? source.slice(otherSpan.start, otherSpan.end) : 'the expression';
        const test = operator === '=' ? 'IS NULL' : 'IS NOT NULL';
        report({
          message: `\`${operand} ${operator} NULL\` is never true: a comparison with NULL yields NULL. Use \`${operand} ${test}\`.`,
          evidence: { expression: `${operand} ${operator} NULL`, operator, suggestion: `${operand} ${test}` },
          fix: rewrite(source, expr, other, nullOnRight, test),
          location: expr.location,
          key: `${operand} ${operator}`,
        });
        return;
      }
      if (expr.kind === 'AEXPR_IN' && operator === '<>') {
        const list = as<{ items?: Node[] }>(expr.rexpr, 'List')?.items ?? (Array.isArray(expr.rexpr) ? (expr.rexpr as Node[]) : []);
        if (!list.some((item) => isNullConstant(item))) return;
        const span = source.span(expr.lexpr);
        const operand = span ? source.slice(span.start, span.end) : 'the expression';
        const values = list.filter((item) => constantOf(item)?.kind !== 'null').length;
        report({
          message: `\`${operand} NOT IN (...)\` has NULL in its list, so it is never true: remove the NULL${values ? '' : ' (and the condition)'}, and add \`OR ${operand} IS NULL\` if rows with NULL were meant.`,
          evidence: { expression: `${operand} NOT IN (..., NULL)`, operator: 'NOT IN' },
          fix: null,
          location: expr.location,
          key: `${operand} NOT IN`,
        });
      }
    },
  },
});

/** `x = NULL` → `x IS NULL`, `NULL <> x` → `x IS NOT NULL`, in the statement's own text. */
function rewrite(source: StatementSource, expr: A_Expr, other: Node | undefined, nullOnRight: boolean, test: string) {
  const whole = source.span({ A_Expr: expr });
  const otherSpan = source.span(other);
  if (!whole || !otherSpan) return null;
  const operand = source.slice(otherSpan.start, otherSpan.end);
  const sql = nullOnRight
    ? source.rewrite([{ start: otherSpan.end, end: whole.end, text: ` ${test}` }])
    : source.rewrite([{ start: whole.start, end: whole.end, text: `${isSimple(other) ? operand : `(${operand})`} ${test}` }]);
  return {
    sql,
    safeOnline: true,
    note: `The statement rewritten: \`${test}\` is what \`= NULL\` was meant to say; check that the rows it now matches are the ones wanted.`,
  };
}

/** An operand that needs no parentheses in front of IS NULL. */
function isSimple(node: Node | undefined): boolean {
  const type = node ? Object.keys(node)[0] : undefined;
  return type === 'ColumnRef' || type === 'A_Const' || type === 'ParamRef' || type === 'FuncCall' || type === 'TypeCast';
}
