import { defineQueryRule } from '../query-rule.js';

/**
 * A DELETE without WHERE deletes every row of the table. Sometimes that is the intent, far more
 * often a condition was lost (a line cut while editing, a variable that was empty); the statement
 * runs anyway and the data is gone.
 */
export default defineQueryRule({
  meta: {
    id: 'delete-without-where',
    category: 'query',
    defaultSeverity: 'error',
    description: 'A DELETE with no WHERE clause, which deletes every row of the table.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    DeleteStmt(del, { report }) {
      if (del.whereClause) return;
      const table = [del.relation?.schemaname, del.relation?.relname].filter(Boolean).join('.');
      report({
        message: `DELETE FROM ${table} has no WHERE clause: it deletes every row. Add the condition; if emptying the table is the intent, say so with TRUNCATE ${table} (faster, but it takes an ACCESS EXCLUSIVE lock) or a -- pgarchitect-ignore comment.`,
        evidence: { table, using: (del.usingClause?.length ?? 0) > 0, returning: del.returningClause !== undefined },
        fix: null,
        location: del.relation?.location,
        key: table,
      });
    },
  },
});
