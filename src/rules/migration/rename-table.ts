import { lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { siblingSql } from './lib/sql-text.js';
import { targetOf } from './lib/tables.js';

/**
 * While a migration is deployed, the code already running still uses the old table name: from the
 * moment the rename commits its queries fail. A view with the old name over the renamed table
 * (simple views are updatable) keeps the old code working until it is gone.
 */
export default defineMigrationRule({
  meta: {
    id: 'rename-table',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'An existing table is renamed, which breaks the code still running that uses the old name.',
    fixable: true,
    defaultOptions: {},
  },
  visitors: {
    RenameStmt(stmt, { statement, schema, report }, file) {
      if (stmt.renameType !== 'OBJECT_TABLE' || !stmt.relation?.relname || !stmt.newname) return;
      const target = targetOf(stmt.relation, schema, file);
      if (target.createdInFile) return;
      const old = stmt.relation.relname;
      report({
        message: `RENAME TO ${stmt.newname} breaks the code that is running while the migration deploys: its queries on ${target.label} fail from the moment the rename commits. Create a view named ${old} over the renamed table in the same transaction (a simple view can be read and written like the table) and drop it once no code uses the old name. It also takes a brief ACCESS EXCLUSIVE lock.`,
        evidence: { table: target.label, newName: stmt.newname, ...lockEvidence('ACCESS EXCLUSIVE') },
        fix: {
          sql: `${statement.source.rewrite([])}\nCREATE VIEW ${siblingSql(stmt.relation, old)} AS SELECT * FROM ${siblingSql(stmt.relation, stmt.newname)};`,
          safeOnline: true,
          note: `Run both in one transaction. The view lists the columns the table has now: a column added later is not in it. Privileges granted on ${old} must be granted on the view too. Drop the view when no code uses ${old}.`,
        },
        location: stmt.relation.location,
        key: old,
        object: target.object,
      });
    },
  },
});
