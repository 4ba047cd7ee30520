import type { A_Expr, Node } from 'libpg-query';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineQueryRule } from '../query-rule.js';
import { as, columnName, constantOf, formatColumn, isInCondition, operatorOf } from './lib/ast.js';
import { cteNamesOf, enclosingQuery, resolveColumn, scopeOf, type ScopeItem } from './lib/scope.js';

const LIKE_OPERATORS: Record<string, string> = { '~~': 'LIKE', '!~~': 'NOT LIKE', '~~*': 'ILIKE', '!~~*': 'NOT ILIKE' };
const TRIGRAM_OPCLASSES = new Set(['gin_trgm_ops', 'gist_trgm_ops']);

/**
 * A B-tree index serves `LIKE 'abc%'` (a range of keys) but not `LIKE '%abc'`: with a wildcard first,
 * any key may match and Postgres reads the whole table. A trigram index (extension pg_trgm) indexes
 * the three-letter pieces of each value and serves LIKE and ILIKE with the wildcard anywhere.
 */
export default defineQueryRule({
  meta: {
    id: 'leading-wildcard-like',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'A LIKE or ILIKE pattern that starts with a wildcard, which no B-tree index can serve.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    A_Expr(expr, { schema, ancestors, report }) {
      if (expr.kind !== 'AEXPR_LIKE' && expr.kind !== 'AEXPR_ILIKE') return;
      const pattern = leadingPattern(expr.rexpr);
      if (pattern === null || !/^[%_]/.test(pattern)) return;
      const column = columnName(expr.lexpr);
      if (!column || !isInCondition(ancestors)) return;
      const owner = enclosingQuery(ancestors);
      const scope = owner ? scopeOf(owner, schema, cteNamesOf(ancestors.map((a) => a.node))) : [];
      const item = resolveColumn(column, scope, schema);
      if (schema && item?.table && hasTrigramIndex(schema.indexesOf(item.table), column.column)) return;
      const operator = LIKE_OPERATORS[operatorOf(expr)] ?? 'LIKE';
      const name = formatColumn(column);
      const target = indexTarget(item);
      report({
        message: `\`${name} ${operator} '${pattern}'\` starts with a wildcard, so no B-tree index on ${column.column} can serve it and the whole table is read. A trigram index (pg_trgm, GIN) serves LIKE and ILIKE with wildcards anywhere.`,
        evidence: { column: name, pattern, operator, table: target },
        fix: target
          ? {
              sql: `CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY ON ${target} USING gin (${quoteIdent(column.column)} gin_trgm_ops);`,
              safeOnline: true,
              note: 'CREATE EXTENSION needs the privilege to create it in the database (or pg_trgm already installed). Patterns of fewer than three characters between wildcards gain little.',
            }
          : null,
        location: expr.location,
        key: `${column.column} ${operator} ${pattern}`,
      });
    },
  },
});

/** The pattern's text when it is a string constant, or a concatenation starting with one (`'%' || $1`). */
function leadingPattern(node: Node | undefined): string | null {
  const constant = constantOf(node);
  if (constant) return constant.kind === 'string' ? constant.value : null;
  const concat = as<A_Expr>(node, 'A_Expr');
  if (concat?.kind === 'AEXPR_OP' && operatorOf(concat) === '||') {
    const left = leadingPattern(concat.lexpr);
    return left === null ? null : `${left}…`;
  }
  return null;
}

function hasTrigramIndex(indexes: readonly { valid: boolean; keyColumns: (string | null)[]; keyOpclasses: (string | null)[]; method: string }[], column: string): boolean {
  return indexes.some((ix) => ix.valid && (ix.method === 'gin' || ix.method === 'gist') && ix.keyColumns.some((c, i) => c === column && TRIGRAM_OPCLASSES.has(ix.keyOpclasses[i] ?? '')));
}

/** The table to index, qualified as the schema knows it, or as the statement names it. */
function indexTarget(item: ScopeItem | null): string | null {
  if (item?.table) return qualifiedName(item.table.schema, item.table.name);
  if (!item?.relation) return null;
  return item.relation.schema ? qualifiedName(item.relation.schema, item.relation.name) : quoteIdent(item.relation.name);
}
