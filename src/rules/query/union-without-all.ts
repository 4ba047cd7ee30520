import type { SelectStmt } from 'libpg-query';
import { defineQueryRule } from '../query-rule.js';
import { lastLocation } from './lib/ast.js';

/**
 * UNION removes duplicate rows from the combined result, which means sorting or hashing all of it.
 * When the arms cannot return the same row (they read different tables, or filter on different
 * values of one column) or duplicates do not matter, that work is wasted: UNION ALL appends the
 * arms as they come. Which one is right depends on the data, so this is a question, not a rewrite.
 */
export default defineQueryRule({
  meta: {
    id: 'union-without-all',
    category: 'query',
    defaultSeverity: 'info',
    description: 'UNION (which removes duplicates, sorting or hashing the whole result) where UNION ALL may be meant.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, { statement, report }) {
      if (select.op !== 'SETOP_UNION' || select.all) return;
      const source = statement.source;
      // The UNION keyword is not in the tree: it is the first one after the left arm's text.
      const leftEnd = lastLocation(select.larg);
      const tokens = source.tokens();
      const keyword = tokens.find((t) => t.start > leftEnd && t.keyword === 'union');
      const ordinal = keyword ? tokens.filter((t) => t.keyword === 'union' && t.start <= keyword.start).length : 0;
      report({
        message: 'UNION removes duplicate rows, sorting or hashing the whole combined result; if the arms cannot return the same row, or duplicates are fine, UNION ALL skips that work.',
        evidence: { arms: countArms(select) },
        fix: null,
        location: keyword?.start,
        key: String(ordinal),
      });
    },
  },
});

function countArms(select: SelectStmt): number {
  if (select.op !== 'SETOP_UNION' || select.all) return 1;
  return (select.larg ? countArms(select.larg) : 1) + (select.rarg ? countArms(select.rarg) : 1);
}
