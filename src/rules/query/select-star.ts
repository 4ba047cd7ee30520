import type { JoinExpr, Node, ResTarget, SelectStmt } from 'libpg-query';
import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import { quoteIdent } from '../../sql/quote.js';
import { defineQueryRule, type Ancestor, type StatementSource } from '../query-rule.js';
import { as, columnName, formatColumn, type ColumnName } from './lib/ast.js';
import { cteNamesOf, scopeOf, type ScopeItem } from './lib/scope.js';

/** Statements whose query's columns are the statement's output. */
const OUTPUT_OWNERS = new Set(['InsertStmt', 'ViewStmt', 'CreateTableAsStmt', 'ExplainStmt', 'DeclareCursorStmt']);

/**
 * `SELECT *` in a query's output fetches every column, needed or not (wide text and jsonb columns
 * travel over the network, index-only scans become impossible), and ties the result to the table's
 * current columns: adding, dropping or reordering one changes what the application receives, and a
 * view or `INSERT ... SELECT *` breaks or silently mis-assigns.
 */
export default defineQueryRule({
  meta: {
    id: 'select-star',
    category: 'query',
    defaultSeverity: 'info',
    description: 'A `SELECT *` (or `t.*`) in the output of a query, instead of the columns it needs.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, { statement, schema, ancestors, report }) {
      if (!isOutputQuery(ancestors)) return;
      for (const target of select.targetList ?? []) {
        const column = columnName(as<ResTarget>(target, 'ResTarget')?.val);
        if (!column || column.column !== '*') continue;
        const star = formatColumn(column);
        const scope = scopeOf({ type: 'SelectStmt', node: select }, schema, cteNamesOf([...ancestors.map((a) => a.node), select]));
        const expanded = schema ? expand(column, select, scope, schema) : null;
        report({
          message: `\`SELECT ${star}\` returns every column${column.qualifier.length ? ` of ${column.qualifier.join('.')}` : ''}, needed or not, and changes whenever the table does: name the columns the query needs.`,
          evidence: { star, columns: expanded },
          fix: expanded ? starFix(statement.source, column, expanded) : null,
          location: column.location,
          key: star,
        });
      }
    },
  },
});

/** A SELECT whose rows are the statement's result: the statement itself, a set operation's arm, or the query of an INSERT, a view, EXPLAIN. */
function isOutputQuery(ancestors: readonly Ancestor[]): boolean {
  for (let i = 0; i < ancestors.length; i++) {
    const type = ancestors[i]!.type;
    if (type === 'SelectStmt') continue;
    if (i === 0 && OUTPUT_OWNERS.has(type)) continue;
    return false;
  }
  return true;
}

/**
 * The columns `*` stands for now, from the schema: every column of every FROM item in order (each
 * qualified when there are several), or of the one item `t.*` names. Null when an item is not a
 * known table or a join merges columns (USING, NATURAL).
 */
function expand(column: ColumnName, select: SelectStmt, scope: readonly ScopeItem[], schema: SnapshotIndex): string[] | null {
  if ((select.fromClause ?? []).some(mergesColumns)) return null;
  const items = column.qualifier.length ? scope.filter((item) => item.name === column.qualifier[column.qualifier.length - 1]) : scope;
  if (items.length === 0 || items.some((item) => !item.table)) return null;
  const qualify = column.qualifier.length > 0 || scope.length > 1;
  return items.flatMap((item) =>
    schema.columnsOf(item.table!).map((c) => (qualify ? `${quoteIdent(item.name)}.${quoteIdent(c.name)}` : quoteIdent(c.name))),
  );
}

function mergesColumns(node: Node): boolean {
  const join = as<JoinExpr>(node, 'JoinExpr');
  if (!join) return false;
  return join.isNatural === true || (join.usingClause?.length ?? 0) > 0 || (join.larg !== undefined && mergesColumns(join.larg)) || (join.rarg !== undefined && mergesColumns(join.rarg));
}

function starFix(source: StatementSource, column: ColumnName, expanded: string[]) {
  const span = source.span({ ColumnRef: { fields: [], location: column.location } });
  if (!span) return null;
  // The star's own text: `*` or `t.*`, from its first token to the star.
  const tokens = source.tokens();
  const star = tokens.find((t) => t.start >= span.start && t.text === '*');
  if (!star) return null;
  return {
    sql: source.rewrite([{ start: span.start, end: star.end, text: expanded.join(', ') }]),
    safeOnline: true,
    note: 'The statement with the columns `*` stands for today; keep only those the query needs.',
  };
}
