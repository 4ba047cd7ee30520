import type { Fix, Severity } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import type { QueryFinding } from '../query-rule.js';
import { cmdLocation, columnConstraints, columnConstraintText, columnDefOf, constraintName, constraintOf, namedConstraintText, notValidThenValidate, statementLock, tableCmds } from './lib/alter-table.js';
import { blocks, lockEvidence, type LockMode } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { relationSql } from './lib/sql-text.js';
import { estimateClause, leafPartitions, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf, type Target } from './lib/tables.js';

/**
 * Adding a foreign key checks every existing row against the referenced table, holding a SHARE ROW
 * EXCLUSIVE lock on both tables meanwhile (writes to either wait). Added NOT VALID, the key is
 * enforced for new rows at once and checks nothing; VALIDATE CONSTRAINT then checks the old rows
 * under a lock that lets reads and writes go on.
 */
export default defineMigrationRule({
  meta: {
    id: 'add-foreign-key-validating',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A foreign key added to an existing table without NOT VALID, which checks every row while blocking writes to both tables.',
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
      const versionNum = schema?.snapshot.server.versionNum ?? null;
      for (const cmd of cmds) {
        if (cmd.subtype === 'AT_AddConstraint') {
          const constraint = constraintOf(cmd);
          if (constraint?.contype !== 'CONSTR_FOREIGN' || constraint.skip_validation) continue;
          const name = constraintName(stmt.relation!.relname ?? '', constraint);
          const referenced = constraint.pktable ? relationSql(constraint.pktable).replace(/"/g, '') : 'the referenced table';
          const perPartition = target.partitioned && versionNum !== null && versionNum < 180000;
          let fix: Fix | null;
          if (perPartition) {
            const text = namedConstraintText(source, constraint, name);
            const partitions = schema && target.table ? leafPartitions(schema, target.table) : [];
            fix =
              text && partitions.length
                ? {
                    sql: [
                      ...partitions.flatMap((p) => [
                        `ALTER TABLE ${qualifiedName(p.schema, p.name)} ADD ${text} NOT VALID;`,
                        `ALTER TABLE ${qualifiedName(p.schema, p.name)} VALIDATE CONSTRAINT ${quoteIdent(name)};`,
                      ]),
                      source.rewrite([]),
                    ].join('\n'),
                    safeOnline: true,
                    note: `Before PostgreSQL 18 a partitioned table refuses NOT VALID foreign keys: each partition gets the key NOT VALID and validates it, then the key added to ${target.label} adopts theirs without checking the rows again (a brief lock).`,
                  }
                : null;
          } else {
            const sql = notValidThenValidate(source, stmt.relation!, constraint, name);
            fix = sql
              ? {
                  sql,
                  safeOnline: true,
                  note: `NOT VALID enforces the key for new and updated rows at once; VALIDATE CONSTRAINT checks the existing rows under SHARE UPDATE EXCLUSIVE (reads and writes go on). Run them in separate transactions.${target.partitioned || target.table ? '' : ' Before PostgreSQL 18 a partitioned table refuses NOT VALID foreign keys: add the key NOT VALID to each partition and validate it, then add it to the parent (give --db for that script).'}`,
                }
              : null;
          }
          reportKey(report, target, lock, referenced, name, fix, cmdLocation(source, stmt.relation!, cmd), severityForSize(target.size, options), '');
        } else if (cmd.subtype === 'AT_AddColumn') {
          const column = columnDefOf(cmd);
          const constraint = column ? columnConstraints(column).find((c) => c.contype === 'CONSTR_FOREIGN' && !c.skip_validation) : undefined;
          if (!column || !constraint) continue;
          const name = constraint.conname ?? constraintName(stmt.relation!.relname ?? '', { ...constraint, fk_attrs: [{ String: { sval: column.colname ?? '' } }] });
          const referenced = constraint.pktable ? relationSql(constraint.pktable).replace(/"/g, '') : 'the referenced table';
          const clause = columnConstraintText(source, column, constraint, 'references');
          const relation = relationSql(stmt.relation!, true);
          const fix: Fix | null =
            clause && cmds.length === 1
              ? {
                  sql: [
                    source.rewrite([{ ...clause.cut, text: '' }]),
                    `ALTER TABLE ${relation} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${quoteIdent(column.colname ?? '')}) ${clause.text} NOT VALID;`,
                    `ALTER TABLE ${relation} VALIDATE CONSTRAINT ${quoteIdent(name)};`,
                  ].join('\n'),
                  safeOnline: true,
                  note: 'The column is added first (a brief lock), the key NOT VALID, then VALIDATE CONSTRAINT checks the rows under SHARE UPDATE EXCLUSIVE (reads and writes go on).',
                }
              : null;
          reportKey(report, target, lock, referenced, name, fix, column.location, severityForSize(target.size, options), ` with new column ${column.colname}`);
        }
      }
    },
  },
});

function reportKey(
  report: (finding: QueryFinding) => void,
  target: Target,
  lock: LockMode,
  referenced: string,
  name: string,
  fix: Fix | null,
  location: number | undefined,
  severity: Severity | undefined,
  withColumn: string,
): void {
  const both = lock === 'SHARE ROW EXCLUSIVE' ? `SHARE ROW EXCLUSIVE locks on ${target.label} and ${referenced}, which block ${blocks(lock)} on both` : `an ${lock} lock on ${target.label}, which blocks ${blocks(lock)}, and a SHARE ROW EXCLUSIVE lock on ${referenced}`;
  report({
    message: `Foreign key ${name}${withColumn} is checked against every existing row of ${target.label} as it is added${estimateClause(target, 'scan')}, holding ${both} until the check ends. Add it NOT VALID, then VALIDATE CONSTRAINT ${name}.`,
    evidence: { table: target.label, constraint: name, referencedTable: referenced, ...lockEvidence(lock), ...sizeEvidence(target, 'scan') },
    severity,
    fix,
    location,
    key: name,
    object: target.object,
  });
}
