import type { RangeVar } from 'libpg-query';
import { blocks, blocksWrites, lockEvidence, LOCK_MODES } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { listWords } from './lib/sql-text.js';
import { targetOf } from './lib/tables.js';

/**
 * LOCK TABLE holds its lock until the transaction ends: with the default ACCESS EXCLUSIVE mode no
 * one reads or writes the table meanwhile, and while it waits for the lock everyone queues behind it.
 */
export default defineMigrationRule({
  meta: {
    id: 'lock-table',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'LOCK TABLE on an existing table, which blocks other sessions until the transaction ends.',
    fixable: false,
    defaultOptions: {},
  },
  tracks: ['tables', 'transaction'],
  visitors: {
    LockStmt(stmt, { schema, report }, file) {
      const lock = LOCK_MODES[stmt.mode ?? 8] ?? 'ACCESS EXCLUSIVE';
      const targets = (stmt.relations ?? [])
        .map((r) => (r as { RangeVar?: RangeVar }).RangeVar)
        .filter((r): r is RangeVar => r !== undefined)
        .map((r) => targetOf(r, schema, file))
        .filter((t) => !t.createdInFile);
      if (targets.length === 0) return;
      const labels = targets.map((t) => t.label);
      report({
        message: `LOCK TABLE ${labels.join(', ')} IN ${lock} MODE blocks ${blocks(lock)} of ${listWords(labels)} until the transaction ends${file.inTransaction ? '' : ' (outside a transaction block LOCK TABLE fails)'}. Keep that transaction short, and set lock_timeout so that waiting for the lock does not queue every other session behind it.`,
        evidence: { tables: labels, ...lockEvidence(lock) },
        severity: blocksWrites(lock) ? undefined : 'info',
        fix: null,
        location: targets[0]!.relation.location,
        key: labels.join(','),
        object: targets[0]!.object,
      });
    },
  },
});
