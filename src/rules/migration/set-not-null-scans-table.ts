import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { quoteIdent } from '../../sql/quote.js';
import { cmdLocation, constraintName, constraintOf, notValidThenValidate, statementLock, tableCmds, type AlterTableCmd } from './lib/alter-table.js';
import { blocks, lockEvidence } from './lib/locks.js';
import { defineMigrationRule, notNullColumnOf } from './lib/migration-rule.js';
import { defaultName, relationSql } from './lib/sql-text.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * SET NOT NULL reads every row to prove the column has no NULL, holding ACCESS EXCLUSIVE all the
 * while. Since PostgreSQL 12 it skips the scan when a validated CHECK (column IS NOT NULL) already
 * proves it, and such a CHECK can be added NOT VALID and validated without blocking anyone.
 */
export default defineMigrationRule({
  meta: {
    id: 'set-not-null-scans-table',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'SET NOT NULL on an existing column with nothing that proves it, which scans the table under an ACCESS EXCLUSIVE lock.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  tracks: ['tables', 'not-null'],
  visitors: {
    AlterTableStmt(stmt, { statement, schema, options, report }, file) {
      const cmds = tableCmds(stmt);
      if (cmds.length === 0) return;
      const target = targetOf(stmt.relation!, schema, file);
      if (target.createdInFile) return;
      const table = stmt.relation!.relname ?? '';
      const lock = statementLock(stmt);
      const relation = relationSql(stmt.relation!, true);
      const onlyNotNull = cmds.every((cmd) => cmd.subtype === 'AT_SetNotNull');
      const pg18 = (schema?.snapshot.server.versionNum ?? 0) >= 180000;
      for (const cmd of cmds) {
        const column = cmd.subtype === 'AT_SetNotNull' ? cmd.name : addedNotNull(cmd);
        if (!column) continue;
        if (file.notNullShown.has(`${table}\u0000${column}`)) continue;
        if (schema && target.table && provenNotNull(schema, target.table, column)) continue;
        const check = defaultName(table, [column], 'not_null_check');
        const name = quoteIdent(column);
        let fix: Fix | null = null;
        if (cmd.subtype === 'AT_SetNotNull' && onlyNotNull) {
          fix = pg18
            ? {
                sql: [
                  `ALTER TABLE ${relation} ADD CONSTRAINT ${quoteIdent(defaultName(table, [column], 'not_null'))} NOT NULL ${name} NOT VALID;`,
                  `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${quoteIdent(defaultName(table, [column], 'not_null'))};`,
                ].join('\n'),
                safeOnline: true,
                note: 'PostgreSQL 18 adds a NOT NULL constraint NOT VALID (new rows are checked at once) and validates it under SHARE UPDATE EXCLUSIVE (reads and writes go on). Run the two in separate transactions.',
              }
            : {
                sql: [
                  `ALTER TABLE ${relation} ADD CONSTRAINT ${quoteIdent(check)} CHECK (${name} IS NOT NULL) NOT VALID;`,
                  `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${quoteIdent(check)};`,
                  `ALTER TABLE ${relation} ALTER COLUMN ${name} SET NOT NULL;`,
                  `ALTER TABLE ${relation} DROP CONSTRAINT ${quoteIdent(check)};`,
                ].join('\n'),
                safeOnline: true,
                note: 'The CHECK is added NOT VALID (new rows are checked at once) and validated under SHARE UPDATE EXCLUSIVE (reads and writes go on); SET NOT NULL then trusts it and skips the scan (PostgreSQL 12 and later), its ACCESS EXCLUSIVE lock held only for a moment; the CHECK is then redundant. Run each in its own transaction. On PostgreSQL 18, ADD CONSTRAINT … NOT NULL column NOT VALID and VALIDATE do it in two steps.',
              };
        }
        if (cmd.subtype === 'AT_AddConstraint') {
          const sql = notValidThenValidate(statement.source, stmt.relation!, constraintOf(cmd)!, constraintName(table, constraintOf(cmd)!, column));
          if (sql) fix = { sql, safeOnline: true, note: 'NOT VALID checks new rows at once; VALIDATE CONSTRAINT checks the existing ones under SHARE UPDATE EXCLUSIVE (reads and writes go on). Run them in separate transactions.' };
        }
        report({
          message: `${cmd.subtype === 'AT_SetNotNull' ? `SET NOT NULL on ${target.label}.${column}` : `NOT NULL constraint on ${target.label}.${column}`} reads every row to prove there is no NULL${estimateClause(target, 'scan')}, under an ${lock} lock, which blocks ${blocks(lock)} until the scan ends. Prove it first with a CHECK (${column} IS NOT NULL) added NOT VALID and validated: SET NOT NULL then skips the scan.`,
          evidence: { table: target.label, column, ...lockEvidence(lock), ...sizeEvidence(target, 'scan') },
          severity: severityForSize(target.size, options),
          fix,
          location: cmdLocation(statement.source, stmt.relation!, cmd),
          key: column,
          object: { type: 'column', ...(target.object.schema ? { schema: target.object.schema } : {}), table: target.object.name, name: column, column },
        });
      }
    },
  },
});

/** The column of a PostgreSQL 18 `ADD CONSTRAINT … NOT NULL column` that is validated as it is added. */
function addedNotNull(cmd: AlterTableCmd): string | null {
  const constraint = constraintOf(cmd);
  if (cmd.subtype !== 'AT_AddConstraint' || constraint?.contype !== 'CONSTR_NOTNULL' || constraint.skip_validation) return null;
  return notNullColumnOf(constraint);
}

/** True when the schema shows the column NOT NULL already, or a validated CHECK (column IS NOT NULL) proves it. */
function provenNotNull(schema: SnapshotIndex, table: Table, column: string): boolean {
  if (schema.columnOf(table, column)?.notNull) return true;
  const quoted = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^CHECK \\(\\(?"?${quoted}"? IS NOT NULL\\)?\\)$`, 'i');
  return schema.constraintsOf(table).some((c) => c.kind === 'check' && c.validated && pattern.test(c.definition));
}
