import type { ResTarget } from 'libpg-query';
import { defineQueryRule } from '../query-rule.js';
import { as } from './lib/ast.js';

/**
 * An UPDATE without WHERE changes every row of the table, and rewrites each one (a new row version
 * per row: the table and its indexes can double in size until VACUUM). It is nearly always a lost
 * condition.
 */
export default defineQueryRule({
  meta: {
    id: 'update-without-where',
    category: 'query',
    defaultSeverity: 'error',
    description: 'An UPDATE with no WHERE clause, which changes every row of the table.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    UpdateStmt(update, { report }) {
      if (update.whereClause) return;
      const table = [update.relation?.schemaname, update.relation?.relname].filter(Boolean).join('.');
      const columns = (update.targetList ?? []).map((t) => as<ResTarget>(t, 'ResTarget')?.name).filter((n): n is string => Boolean(n));
      report({
        message: `UPDATE ${table} has no WHERE clause: it changes ${columns.length ? columns.join(', ') : 'the columns'} in every row. Add the condition; if every row is meant, mark it with a -- pgarchitect-ignore comment${update.fromClause?.length ? ' (with FROM and no WHERE, each row is updated from an arbitrary row of the FROM list)' : ''}.`,
        evidence: { table, columns, from: (update.fromClause?.length ?? 0) > 0 },
        fix: null,
        location: update.relation?.location,
        key: table,
      });
    },
  },
});
