import type { Fix } from '../../finding.js';
import { quoteIdent } from '../../sql/quote.js';
import { cmdLocation, columnConstraints, columnConstraintText, columnDefOf, constraintName, constraintOf, notValidThenValidate, statementLock, tableCmds } from './lib/alter-table.js';
import { blocks, lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { defaultName, relationSql } from './lib/sql-text.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * Adding a CHECK constraint checks every existing row while ALTER TABLE holds its ACCESS EXCLUSIVE
 * lock: no reads or writes of the table until the scan ends. Added NOT VALID, the constraint holds
 * for new rows at once; VALIDATE CONSTRAINT then checks the old ones with reads and writes going on.
 */
export default defineMigrationRule({
  meta: {
    id: 'add-check-validating',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A CHECK constraint added to an existing table without NOT VALID, which checks every row under an ACCESS EXCLUSIVE lock.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    AlterTableStmt(stmt, { statement, schema, options, report }, file) {
      const cmds = tableCmds(stmt);
      if (cmds.length === 0) return;
      const target = targetOf(stmt.relation!, schema, file);
      if (target.createdInFile) return;
      const lock = statementLock(stmt);
      const source = statement.source;
      const table = stmt.relation!.relname ?? '';
      for (const cmd of cmds) {
        let name: string;
        let fix: Fix | null = null;
        let location: number | undefined;
        let withColumn = '';
        if (cmd.subtype === 'AT_AddConstraint') {
          const constraint = constraintOf(cmd);
          if (constraint?.contype !== 'CONSTR_CHECK' || constraint.skip_validation) continue;
          name = constraintName(table, constraint);
          const sql = notValidThenValidate(source, stmt.relation!, constraint, name);
          if (sql) fix = { sql, safeOnline: true, note: NOTE };
          location = cmdLocation(source, stmt.relation!, cmd);
        } else if (cmd.subtype === 'AT_AddColumn') {
          const column = columnDefOf(cmd);
          const constraint = column ? columnConstraints(column).find((c) => c.contype === 'CONSTR_CHECK' && !c.skip_validation) : undefined;
          if (!column || !constraint) continue;
          name = constraint.conname ?? defaultName(table, [column.colname ?? ''], 'check');
          const clause = columnConstraintText(source, column, constraint, 'check');
          const relation = relationSql(stmt.relation!, true);
          if (clause && cmds.length === 1) {
            fix = {
              sql: [
                source.rewrite([{ ...clause.cut, text: '' }]),
                `ALTER TABLE ${relation} ADD CONSTRAINT ${quoteIdent(name)} ${clause.text} NOT VALID;`,
                `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${quoteIdent(name)};`,
              ].join('\n'),
              safeOnline: true,
              note: `The column is added first (a brief lock), then the constraint. ${NOTE}`,
            };
          }
          location = column.location;
          withColumn = ` on new column ${column.colname}`;
        } else continue;
        report({
          message: `CHECK constraint ${name}${withColumn} is checked against every existing row of ${target.label} as it is added${estimateClause(target, 'scan')}, under an ${lock} lock, which blocks ${blocks(lock)} until the check ends. Add it NOT VALID, then VALIDATE CONSTRAINT ${name}.`,
          evidence: { table: target.label, constraint: name, ...lockEvidence(lock), ...sizeEvidence(target, 'scan') },
          severity: severityForSize(target.size, options),
          fix,
          location,
          key: name,
          object: target.object,
        });
      }
    },
  },
});

const NOTE =
  'NOT VALID makes the constraint hold for new and updated rows at once; VALIDATE CONSTRAINT checks the existing rows under SHARE UPDATE EXCLUSIVE (reads and writes go on). Run them in separate transactions.';
