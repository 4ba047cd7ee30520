import type { RangeVar } from 'libpg-query';
import { blocks, lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { estimateClause, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * TRUNCATE empties a table at once: the rows are gone (no WHERE, no undo after COMMIT), and it holds
 * ACCESS EXCLUSIVE until the transaction ends. CASCADE empties every table whose foreign keys point
 * at it as well.
 */
export default defineMigrationRule({
  meta: {
    id: 'truncate',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'TRUNCATE of an existing table, which deletes every row under an ACCESS EXCLUSIVE lock.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    TruncateStmt(stmt, { schema, report }, file) {
      const cascade = stmt.behavior === 'DROP_CASCADE';
      for (const item of stmt.relations ?? []) {
        const relation = (item as { RangeVar?: RangeVar }).RangeVar;
        if (!relation) continue;
        const target = targetOf(relation, schema, file);
        if (target.createdInFile) continue;
        report({
          message: `TRUNCATE ${target.label} deletes every row${estimateClause(target, 'delete')} under an ACCESS EXCLUSIVE lock, which blocks ${blocks('ACCESS EXCLUSIVE')} until the transaction ends${cascade ? '; CASCADE also empties every table whose foreign keys point at it' : ''}. If the data is meant to go, keep a backup first; to empty a busy table without the lock, DELETE in batches.`,
          evidence: { table: target.label, cascade, restartIdentity: stmt.restart_seqs === true, ...lockEvidence('ACCESS EXCLUSIVE'), ...sizeEvidence(target, 'delete') },
          fix: null,
          location: relation.location,
          key: target.label,
          object: target.object,
        });
      }
    },
  },
});
