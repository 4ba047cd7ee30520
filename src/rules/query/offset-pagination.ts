import type { SelectStmt, SortBy } from 'libpg-query';
import { defineQueryRule } from '../query-rule.js';
import { as, constantOf, integerOf } from './lib/ast.js';

/**
 * `OFFSET n` does not skip rows: it computes them and throws them away. Page 1,000 of 50 rows reads
 * 50,050 rows, and the deeper the page the slower the query. Pages also shift when rows are inserted
 * or deleted between requests. Keyset pagination remembers where the previous page ended and reads
 * only the next rows through an index.
 */
export default defineQueryRule({
  meta: {
    id: 'offset-pagination',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'A large constant OFFSET, which reads and discards every skipped row.',
    fixable: false,
    defaultOptions: { minOffset: 1000 },
  },
  visitors: {
    SelectStmt(select, { statement, options, report }) {
      if (select.limitOffset === undefined) return;
      const offset = integerOf(select.limitOffset);
      if (offset === null || offset < options.minOffset) return;
      const source = statement.source;
      const sorts = (select.sortClause ?? []).map((item) => as<SortBy>(item, 'SortBy'));
      const orderBy = sorts.map((sort) => {
        const span = source.span(sort?.node);
        const text = span ? source.slice(span.start, span.end) : '?';
        return sort?.sortby_dir === 'SORTBY_DESC' ? `${text} DESC` : text;
      });
      const descending = sorts.map((sort) => sort?.sortby_dir === 'SORTBY_DESC');
      const limit = integerOf(select.limitCount);
      // ORDER BY 1 (a position in the select list) names no column to compare.
      const byPosition = sorts.some((sort) => constantOf(sort?.node) !== null);
      const keyset = keysetTemplate(
        byPosition ? [] : orderBy.map((text) => text.replace(/ DESC$/, '')),
        descending,
        orderBy.join(', '),
        limit,
      );
      report({
        message: `OFFSET ${offset} reads and discards ${offset.toLocaleString('en')} rows before returning any${orderBy.length ? '' : ', and without ORDER BY the pages are not even stable'}. Use keyset pagination: ${keyset} with the values of the previous page's last row (the ORDER BY must end in a unique key, and an index on the ORDER BY keys serves it).`,
        evidence: { offset, limit, orderBy, minOffset: options.minOffset, suggestion: keyset },
        fix: null,
        location: firstLocationOf(select),
      });
    },
  },
});

function firstLocationOf(select: SelectStmt): number | undefined {
  const offset = select.limitOffset as Record<string, { location?: number }> | undefined;
  return offset ? Object.values(offset)[0]?.location : undefined;
}

/** `WHERE (a, b) > ($1, $2) ORDER BY a, b LIMIT n`; one direction only, else the condition per key. */
function keysetTemplate(keys: string[], descending: boolean[], orderBy: string, limit: number | null): string {
  const tail = `LIMIT ${limit ?? 'n'}`;
  if (keys.length === 0) return `\`WHERE <sort key> > $last ORDER BY <sort key> ${tail}\``;
  const mixed = descending.some((d) => d !== descending[0]);
  if (mixed) return `\`WHERE <each key compared with the last row's value, in ORDER BY order> ORDER BY ${orderBy} ${tail}\``;
  const op = descending[0] ? '<' : '>';
  const row = keys.length > 1 ? `(${keys.join(', ')})` : keys[0]!;
  const last = keys.length > 1 ? `(${keys.map((_, i) => `$last${i + 1}`).join(', ')})` : '$last';
  return `\`WHERE ${row} ${op} ${last} ORDER BY ${orderBy} ${tail}\``;
}
