import { lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { nameToken } from './lib/sql-text.js';
import { targetOf } from './lib/tables.js';

/**
 * While a migration is deployed, the code already running still names the old column: from the
 * moment the rename commits, its queries fail until the new code is everywhere. A rename is safe in
 * steps (add, write both, backfill, switch reads, drop), or after code that names neither is out.
 */
export default defineMigrationRule({
  meta: {
    id: 'rename-column',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A column of an existing table is renamed, which breaks the code still running that names it.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    RenameStmt(stmt, { statement, schema, report }, file) {
      if (stmt.renameType !== 'OBJECT_COLUMN' || stmt.relationType !== 'OBJECT_TABLE' || !stmt.relation || !stmt.subname) return;
      const target = targetOf(stmt.relation, schema, file);
      if (target.createdInFile) return;
      const column = stmt.subname;
      report({
        message: `RENAME COLUMN ${column} TO ${stmt.newname} on ${target.label} breaks the code that is running while the migration deploys: its queries that name ${column} fail from the moment the rename commits. Rename in steps (add ${stmt.newname}, write both, backfill, move the reads, then drop ${column}), or first deploy code that does not need either name. It also takes a brief ACCESS EXCLUSIVE lock.`,
        evidence: { table: target.label, column, newName: stmt.newname, ...lockEvidence('ACCESS EXCLUSIVE') },
        fix: null,
        location: nameToken(statement.source, column, (stmt.relation.location ?? 0) + 1)?.start ?? stmt.relation.location,
        key: column,
        object: { type: 'column', ...(target.object.schema ? { schema: target.object.schema } : {}), table: target.object.name, name: column, column },
      });
    },
  },
});
