import type { FuncCall, SortBy } from 'libpg-query';
import { defineQueryRule } from '../query-rule.js';
import { as, functionName, names } from './lib/ast.js';

/**
 * `ORDER BY random() LIMIT n` gives every row a random number and sorts them all to keep n: the
 * whole table is read and sorted on every call, however few rows are wanted.
 */
export default defineQueryRule({
  meta: {
    id: 'order-by-random',
    category: 'query',
    defaultSeverity: 'warning',
    description: 'An `ORDER BY random()`, which reads and sorts every row to pick a few.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    SelectStmt(select, { report }) {
      for (const item of select.sortClause ?? []) {
        const call = as<FuncCall>(as<SortBy>(item, 'SortBy')?.node, 'FuncCall');
        if (!call || functionName(call) !== 'random' || (call.args?.length ?? 0) > 0) continue;
        const schema = names(call.funcname).slice(0, -1);
        if (schema.length && schema[0] !== 'pg_catalog') continue;
        const limited = select.limitCount !== undefined;
        report({
          message: `\`ORDER BY random()\` reads and sorts every row${limited ? ' to return a few' : ''}. For a sample use \`TABLESAMPLE SYSTEM (p)\` or \`BERNOULLI (p)\`; for a few random rows, pick random keys (\`WHERE id >= <random value> ORDER BY id LIMIT n\`).`,
          evidence: { limit: limited },
          fix: null,
          location: call.location,
        });
      }
    },
  },
});
