import type { QueryRuleContext } from '../query-rule.js';
import { hasOption, lockEvidence, type LockMode } from './lib/locks.js';
import { defineMigrationRule, type FileState } from './lib/migration-rule.js';

interface Options {
  /** Treat every file as run inside a transaction block (migration tools that wrap each file in one). */
  assumeInTransaction: boolean;
}

/**
 * CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION
 * CONCURRENTLY refuse to run inside a transaction block: after a BEGIN they fail, and the migration
 * with them. (REFRESH MATERIALIZED VIEW CONCURRENTLY is allowed.)
 */
export default defineMigrationRule({
  meta: {
    id: 'concurrently-in-transaction',
    category: 'migrations',
    defaultSeverity: 'error',
    description: 'A CONCURRENTLY statement inside a transaction block (after BEGIN, before COMMIT), where PostgreSQL refuses it.',
    fixable: false,
    defaultOptions: { assumeInTransaction: false } as Options,
  },
  tracks: ['transaction'],
  visitors: {
    IndexStmt(stmt, context, file) {
      if (stmt.concurrent) check('CREATE INDEX CONCURRENTLY', 'SHARE UPDATE EXCLUSIVE', stmt.relation?.location, context, file);
    },
    DropStmt(stmt, context, file) {
      if (stmt.concurrent) check('DROP INDEX CONCURRENTLY', 'SHARE UPDATE EXCLUSIVE', undefined, context, file);
    },
    ReindexStmt(stmt, context, file) {
      if (hasOption(stmt.params, 'concurrently')) check('REINDEX CONCURRENTLY', 'SHARE UPDATE EXCLUSIVE', stmt.relation?.location, context, file);
    },
    AlterTableStmt(stmt, context, file) {
      for (const item of stmt.cmds ?? []) {
        const cmd = (item as { AlterTableCmd?: { subtype?: string; def?: { PartitionCmd?: { concurrent?: boolean; name?: { location?: number } } } } }).AlterTableCmd;
        const partition = cmd?.def?.PartitionCmd;
        if (cmd?.subtype === 'AT_DetachPartition' && partition?.concurrent) check('ALTER TABLE … DETACH PARTITION … CONCURRENTLY', 'SHARE UPDATE EXCLUSIVE', partition.name?.location, context, file);
      }
    },
  },
});

function check(what: string, lock: LockMode, location: number | undefined, { report, options }: QueryRuleContext<Options>, file: FileState): void {
  if (!file.inTransaction && !options.assumeInTransaction) return;
  const why = file.inTransaction ? 'it comes after a BEGIN with no COMMIT before it' : 'the rule option assumeInTransaction says the migration tool runs each file in one';
  report({
    message: `${what} cannot run inside a transaction block, and ${why}: it fails with "cannot run inside a transaction block", and the migration with it. Run it outside the transaction: after the COMMIT, or in a migration of its own that the tool runs without a transaction.`,
    evidence: { statement: what, inTransaction: file.inTransaction, assumed: !file.inTransaction, ...lockEvidence(lock) },
    fix: null,
    location,
    key: what,
  });
}
