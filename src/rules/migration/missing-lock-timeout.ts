import type { QueryRuleContext } from '../query-rule.js';
import { blocks, blocksWrites, lockEvidence, statementLocks, type TableLock } from './lib/locks.js';
import { createdInFile, defineMigrationRule, settingOf, type FileState, type MigrationVisitors } from './lib/migration-rule.js';
import { relationSql } from './lib/sql-text.js';

/** What a statement is called in the message. */
const VERBS: Readonly<Record<string, string>> = {
  AlterTableStmt: 'ALTER TABLE',
  IndexStmt: 'CREATE INDEX',
  DropStmt: 'DROP',
  RenameStmt: 'ALTER … RENAME',
  TruncateStmt: 'TRUNCATE',
  VacuumStmt: 'VACUUM FULL',
  ClusterStmt: 'CLUSTER',
  LockStmt: 'LOCK TABLE',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  ReindexStmt: 'REINDEX',
  CreateTrigStmt: 'CREATE TRIGGER',
  CreateStmt: 'CREATE TABLE … REFERENCES',
};

/**
 * A statement that needs a lock waits for every transaction holding a conflicting one, and while it
 * waits, every later query that conflicts with the lock it wants queues behind it: one slow report
 * query plus a quick ALTER TABLE stops all traffic to the table. lock_timeout makes the migration
 * give up instead (to be retried), so the queue never forms.
 */
export default defineMigrationRule({
  meta: {
    id: 'missing-lock-timeout',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A migration takes a lock that blocks reads or writes of an existing table with no lock_timeout set before it.',
    fixable: true,
    defaultOptions: {
      /** The lock_timeout the fix sets. */
      lockTimeout: '5s',
    },
  },
  tracks: ['tables', 'settings'],
  visitors: Object.fromEntries(Object.keys(VERBS).map((type) => [type, (node: unknown, context: QueryRuleContext<{ lockTimeout: string }>, file: FileState) => check(type, node, context, file)])) as MigrationVisitors<{ lockTimeout: string }>,
});

function check(type: string, node: unknown, { statement, ancestors, options, report }: QueryRuleContext<{ lockTimeout: string }>, file: FileState): void {
  if (file.reported || ancestors.length > 0 || hasLockTimeout(file)) return;
  const lock = statementLocks(type, node).find((l: TableLock) => blocksWrites(l.lock) && !(l.table && createdInFile(file, l.table)));
  if (!lock) return;
  file.reported = true;
  const table = lock.table ? relationSql(lock.table).replace(/"/g, '') : 'every table';
  const timeout = `'${options.lockTimeout.replace(/'/g, "''")}'`;
  report({
    message: `${VERBS[type]} takes an ${lock.lock} lock on ${table} and nothing earlier in this file sets lock_timeout: if a long transaction holds a conflicting lock, the statement waits, and every query on ${table} that conflicts with it (${blocks(lock.lock)}) queues behind it for as long as that transaction runs. Start the migration with SET lock_timeout = ${timeout}, and retry it when it times out.`,
    evidence: { table, statement: VERBS[type], ...lockEvidence(lock.lock) },
    fix: {
      sql: `SET lock_timeout = ${timeout};\n${statement.source.rewrite([])}`,
      safeOnline: true,
      note: 'Set it once at the top of the migration (SET LOCAL inside its transaction, if it has one). A migration that times out has changed nothing and can be run again; pgarchitect migrate sets lock_timeout itself and retries.',
    },
    location: lock.table?.location,
    key: table,
  });
}

/** True when a lock_timeout other than 0 is in force. */
function hasLockTimeout(file: FileState): boolean {
  const value = settingOf(file, 'lock_timeout');
  return value !== undefined && !/^0+(\.0+)?\s*(ms|s|min|h|d)?$/i.test(value.trim());
}
