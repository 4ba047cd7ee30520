import type { A_Expr, FuncCall, Node, ResTarget, SelectStmt, TypeCast } from 'libpg-query';
import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Column, Index, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { parseSync } from '../../sql/parser.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineQueryRule, type StatementSource } from '../query-rule.js';
import { as, COMPARISON_OPERATORS, columnName, columnRefsOf, constantOf, functionName, isInCondition, names, operatorOf, type ColumnName } from './lib/ast.js';
import { cteNamesOf, enclosingQuery, indexesLeadingWith, resolveColumn, scopeOf, type ScopeItem } from './lib/scope.js';

/** Date and time wrappers are non-sargable-date-expression's findings, with a range rewrite. */
const DATE_FUNCTIONS = new Set(['date_trunc', 'date_part', 'extract', 'date']);
const DATE_TYPES = new Set(['date', 'timestamp', 'timestamptz']);
/** Built-in functions that are IMMUTABLE, so an expression index on them can be created. */
const IMMUTABLE_FUNCTIONS = new Set([
  'lower', 'upper', 'btrim', 'ltrim', 'rtrim', 'md5', 'abs', 'length', 'char_length', 'character_length', 'octet_length',
  'substr', 'substring', 'left', 'right', 'replace', 'reverse', 'initcap', 'split_part', 'regexp_replace', 'floor', 'ceil',
  'ceiling', 'round', 'trunc', 'sign', 'unaccent_immutable',
]);
/** Types whose casts among each other are IMMUTABLE (no time zone, locale or DateStyle involved). */
const PLAIN_CAST_TYPES = new Set(['int2', 'int4', 'int8', 'numeric', 'text', 'varchar', 'bpchar', 'uuid', 'bool']);
/** Casts Postgres adds itself to match a function's argument type: `lower((email)::text)` for a varchar. */
const COERCION_TYPES = new Set(['text', 'varchar', 'bpchar']);

/**
 * An index on `email` stores the values of `email`; a condition on `lower(email)` asks about other
 * values, so the planner cannot use that index and checks the condition row by row. An expression
 * index on exactly `lower(email)` serves it.
 */
export default defineQueryRule({
  meta: {
    id: 'function-on-indexed-column',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'A condition wraps an indexed column in a function or cast, with no index on that expression.',
    fixable: true,
    requires: ['schema'],
    defaultOptions: {},
  },
  visitors: {
    A_Expr(expr, { statement, schema, ancestors, report }) {
      if (!schema || !isIndexableCondition(expr) || !isInCondition(ancestors)) return;
      const owner = enclosingQuery(ancestors);
      if (!owner) return;
      const sides = expr.kind === 'AEXPR_OP' ? [expr.lexpr, expr.rexpr] : [expr.lexpr];
      let scope: ScopeItem[] | undefined;
      for (const [i, side] of sides.entries()) {
        const wrapped = wrappedColumn(side);
        if (!wrapped) continue;
        scope ??= scopeOf(owner, schema, cteNamesOf(ancestors.map((a) => a.node)));
        const item = resolveColumn(wrapped.column, scope, schema);
        if (!item?.table) continue;
        const column = schema.columnOf(item.table, wrapped.column.column);
        if (!column || (wrapped.kind === 'function' && DATE_FUNCTIONS.has(wrapped.name)) || (wrapped.kind === 'cast' && DATE_TYPES.has(wrapped.name))) continue;
        // varchar to text and back changes nothing an index cares about.
        if (wrapped.kind === 'cast' && COERCION_TYPES.has(wrapped.name) && COERCION_TYPES.has(column.typeName)) continue;
        const other = sides[1 - i];
        if (other && columnRefsOf(other).some((c) => resolveColumn(c, scope!, schema) === item)) continue;
        const plainIndexes = indexesLeadingWith(schema, item.table, column.name);
        if (plainIndexes.length === 0) continue;
        const signature = signatureOf(side);
        if (signature === null || hasExpressionIndex(schema.indexesOf(item.table), signature)) continue;
        const expression = indexExpression(side, statement.source);
        const shown = statement.source.span(side);
        const text = shown ? statement.source.slice(shown.start, shown.end) : (expression ?? wrapped.name);
        const plain = plainIndexes.map((ix) => ix.name);
        report({
          message: `\`${text}\` wraps ${item.table.name}.${column.name} in ${wrapped.kind === 'function' ? `${wrapped.name}()` : `a cast to ${wrapped.name}`}, so ${plain.length === 1 ? `index ${plain[0]}` : `indexes ${plain.join(', ')}`} on ${column.name} cannot serve this condition. ${expression ? `Create an index on the expression ${expression}` : 'Index the expression'}, or compare the bare column.`,
          evidence: { expression: text, table: `${item.table.schema}.${item.table.name}`, column: column.name, columnIndexes: plain },
          fix: expression ? expressionIndexFix(item.table, column, wrapped, expression, schema) : null,
          location: firstLocationOf(side, expr.location),
          key: signature,
        });
      }
    },
  },
});

function isIndexableCondition(expr: A_Expr): boolean {
  switch (expr.kind) {
    case 'AEXPR_OP':
      return COMPARISON_OPERATORS.has(operatorOf(expr)) && operatorOf(expr) !== '<>' && operatorOf(expr) !== '!=';
    case 'AEXPR_IN':
      return operatorOf(expr) === '=';
    case 'AEXPR_LIKE':
    case 'AEXPR_BETWEEN':
      return true;
    default:
      return false;
  }
}

interface Wrapped {
  kind: 'function' | 'cast';
  /** The function's name or the cast's target type. */
  name: string;
  column: ColumnName;
}

/** A function call or cast whose only column argument is one column: `lower(email)`, `substr(code, 1, 3)`, `id::text`. */
function wrappedColumn(node: Node | undefined): Wrapped | null {
  const call = as<FuncCall>(node, 'FuncCall');
  if (call) {
    if (call.over || call.agg_star || call.agg_distinct || call.agg_filter || call.agg_order) return null;
    const columns = (call.args ?? []).map(columnName).filter((c): c is ColumnName => c !== null);
    const others = (call.args ?? []).filter((a) => !columnName(a));
    if (columns.length !== 1 || !others.every((a) => constantOf(a) !== null)) return null;
    return { kind: 'function', name: functionName(call).toLowerCase(), column: columns[0]! };
  }
  const cast = as<TypeCast>(node, 'TypeCast');
  const column = columnName(cast?.arg);
  if (cast && column) return { kind: 'cast', name: typeNameOf(cast), column };
  return null;
}

function typeNameOf(cast: TypeCast): string {
  const parts = names(cast.typeName?.names);
  return parts[parts.length - 1] ?? '';
}

/**
 * A comparable form of an expression, the same for the query's `lower(u.email)` and the index's
 * `lower((email)::text)`: qualifiers and the casts Postgres adds to match argument types dropped.
 */
function signatureOf(node: Node | undefined): string | null {
  const call = as<FuncCall>(node, 'FuncCall');
  if (call) {
    const args = (call.args ?? []).map(signatureOf);
    return args.every((a) => a !== null) ? `${functionName(call).toLowerCase()}(${args.join(',')})` : null;
  }
  const column = columnName(node);
  if (column) return `"${column.column}"`;
  const constant = constantOf(node);
  if (constant) return JSON.stringify(constant);
  const cast = as<TypeCast>(node, 'TypeCast');
  if (cast) {
    const inner = signatureOf(cast.arg);
    if (inner === null) return null;
    const type = typeNameOf(cast);
    return COERCION_TYPES.has(type) && !constantOf(cast.arg) ? inner : `cast(${inner} as ${type})`;
  }
  return null;
}

const indexSignatures = new Map<string, string | null>();

/** True when some valid index's first key is this expression. */
function hasExpressionIndex(indexes: readonly Index[], signature: string): boolean {
  return indexes.some((ix) => ix.valid && ix.keyColumns[0] === null && ix.keys[0] !== undefined && indexKeySignature(ix.keys[0]) === signature);
}

function indexKeySignature(expression: string): string | null {
  let signature = indexSignatures.get(expression);
  if (signature === undefined) {
    try {
      const select = as<SelectStmt>(parseSync(`SELECT ${expression}`).stmts?.[0]?.stmt, 'SelectStmt');
      signature = signatureOf(as<ResTarget>(select?.targetList?.[0], 'ResTarget')?.val);
    } catch {
      signature = null;
    }
    if (indexSignatures.size < 10_000) indexSignatures.set(expression, signature);
  }
  return signature;
}

/** The expression as an index key: the column unqualified, constants as written. */
function indexExpression(node: Node | undefined, source: StatementSource): string | null {
  const call = as<FuncCall>(node, 'FuncCall');
  if (call) {
    const args: string[] = [];
    for (const arg of call.args ?? []) {
      const column = columnName(arg);
      if (column) {
        args.push(quoteIdent(column.column));
        continue;
      }
      const span = source.span(arg);
      if (!span) return null;
      args.push(source.slice(span.start, span.end));
    }
    return `${names(call.funcname).map(quoteIdent).join('.')}(${args.join(', ')})`;
  }
  const cast = as<TypeCast>(node, 'TypeCast');
  const column = columnName(cast?.arg);
  if (cast && column) {
    const span = source.span({ typeName: cast.typeName });
    return span ? `(${quoteIdent(column.column)}::${source.slice(span.start, span.end)})` : null;
  }
  return null;
}

function expressionIndexFix(table: Table, column: Column, wrapped: Wrapped, expression: string, schema: SnapshotIndex): Fix | null {
  const immutable =
    wrapped.kind === 'function'
      ? IMMUTABLE_FUNCTIONS.has(wrapped.name) || schema.snapshot.functions.some((f) => f.name === wrapped.name && f.volatility === 'immutable')
      : PLAIN_CAST_TYPES.has(column.typeName) && PLAIN_CAST_TYPES.has(wrapped.name);
  if (!immutable) return null;
  return {
    sql: `CREATE INDEX CONCURRENTLY ON ${qualifiedName(table.schema, table.name)} (${expression});`,
    safeOnline: true,
    note: 'The condition must use the expression exactly as indexed. If the plain index is only there for this condition, drop it once the new one is used.',
  };
}

function firstLocationOf(node: Node | undefined, fallback: number | undefined): number | undefined {
  const call = as<FuncCall>(node, 'FuncCall');
  if (call?.location !== undefined) return call.location;
  const cast = as<TypeCast>(node, 'TypeCast');
  return columnName(cast?.arg)?.location ?? fallback;
}
