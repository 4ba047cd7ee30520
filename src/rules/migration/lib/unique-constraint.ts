/**
 * Adding a UNIQUE or PRIMARY KEY constraint builds its unique index by reading the whole table
 * while ALTER TABLE holds ACCESS EXCLUSIVE. The online way: build the index with CREATE UNIQUE INDEX
 * CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX, which only takes a brief lock. On a partitioned
 * table (which refuses both CONCURRENTLY and USING INDEX), each partition gets its index and
 * constraint that way, and the constraint added to the parent then adopts them.
 */
import type { AlterTableStmt, Constraint, RangeVar } from 'libpg-query';
import type { Fix } from '../../../finding.js';
import { columnList, qualifiedName, quoteIdent } from '../../../sql/quote.js';
import type { QueryRuleContext } from '../../query-rule.js';
import { cmdLocation, columnConstraints, columnDefOf, constraintOf, statementLock, stringList, tableCmds } from './alter-table.js';
import { CONCURRENTLY_NOTE } from './indexes.js';
import { blocks, lockEvidence } from './locks.js';
import type { FileState } from './migration-rule.js';
import { defaultName, relationSql } from './sql-text.js';
import { estimateClause, leafPartitions, severityForSize, sizeEvidence, targetOf, type SizeOptions, type Target } from './tables.js';

type Kind = 'unique' | 'primary key';

/** Reports each UNIQUE (or PRIMARY KEY) the statement adds with an index built under ACCESS EXCLUSIVE. */
export function checkUniqueConstraints(kind: Kind, stmt: AlterTableStmt, context: QueryRuleContext<SizeOptions>, file: FileState): void {
  const { statement, schema, options, report } = context;
  const cmds = tableCmds(stmt);
  if (cmds.length === 0) return;
  const relation = stmt.relation!;
  const target = targetOf(relation, schema, file);
  if (target.createdInFile) return;
  const lock = statementLock(stmt);
  const contype = kind === 'unique' ? 'CONSTR_UNIQUE' : 'CONSTR_PRIMARY';
  const keyword = kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY';
  const table = relation.relname ?? '';
  for (const cmd of cmds) {
    let constraint = constraintOf(cmd);
    let columns: string[];
    let location: number | undefined;
    if (cmd.subtype === 'AT_AddConstraint' && constraint?.contype === contype && !constraint.indexname) {
      columns = stringList(constraint.keys);
      location = cmdLocation(statement.source, relation, cmd);
    } else if (cmd.subtype === 'AT_AddColumn') {
      const column = columnDefOf(cmd);
      constraint = column ? columnConstraints(column).find((c) => c.contype === contype) : undefined;
      if (!column || !constraint) continue;
      columns = [column.colname ?? ''];
      location = constraint.location ?? column.location;
    } else continue;
    const name = constraint.conname ?? (kind === 'unique' ? defaultName(table, columns, 'key') : defaultName(table, [], 'pkey'));
    const onNewColumn = cmd.subtype === 'AT_AddColumn';
    const fix = onNewColumn || cmds.length > 1 ? null : usingIndexFix(kind, context, relation, constraint, name, columns, target);
    report({
      message:
        `ADD ${keyword} (${columns.join(', ')}) on ${target.label} builds its unique index by reading every row${estimateClause(target, 'build')} under an ${lock} lock, which blocks ${blocks(lock)} until the index is built. ` +
        (onNewColumn
          ? `Add the column first, then CREATE UNIQUE INDEX CONCURRENTLY on it and ADD CONSTRAINT … ${keyword} USING INDEX.`
          : `Build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ${name} ${keyword} USING INDEX (a brief lock).`),
      evidence: { table: target.label, constraint: name, columns, ...lockEvidence(lock), ...sizeEvidence(target, 'build') },
      severity: severityForSize(target.size, options),
      fix,
      location,
      key: name,
      object: target.object,
    });
  }
}

function usingIndexFix(kind: Kind, context: QueryRuleContext<SizeOptions>, relation: RangeVar, constraint: Constraint, name: string, columns: string[], target: Target): Fix | null {
  const { statement, schema } = context;
  // Storage options and tablespaces of the constraint's index are left to the user.
  if (constraint.options?.length || constraint.indexspace) return null;
  const keyword = kind === 'unique' ? 'UNIQUE' : 'PRIMARY KEY';
  const include = constraint.including?.length ? ` INCLUDE ${columnList(stringList(constraint.including))}` : '';
  const nulls = constraint.nulls_not_distinct ? ' NULLS NOT DISTINCT' : '';
  const deferrable = constraint.deferrable ? ` DEFERRABLE${constraint.initdeferred ? ' INITIALLY DEFERRED' : ''}` : '';
  const definition = `${columnList(columns)}${include}${nulls}`;
  const nullable = kind === 'primary key' && schema && target.table ? columns.filter((c) => !schema.columnOf(target.table!, c)?.notNull) : [];
  const notNullNote =
    kind === 'primary key'
      ? nullable.length
        ? ` ${nullable.join(', ')} ${nullable.length === 1 ? 'is' : 'are'} nullable: ADD PRIMARY KEY USING INDEX then sets NOT NULL, which scans the table under ACCESS EXCLUSIVE unless a validated CHECK (column IS NOT NULL) proves it (see set-not-null-scans-table).`
        : schema && target.table
          ? ''
          : ' The key columns must be NOT NULL already, or ADD PRIMARY KEY USING INDEX scans the table to set it (see set-not-null-scans-table).'
      : '';
  if (target.partitioned && schema && target.table) {
    const partitions = leafPartitions(schema, target.table);
    if (partitions.length === 0) return null;
    const steps = partitions.flatMap((p) => {
      const index = defaultName(p.name, kind === 'unique' ? columns : [], kind === 'unique' ? 'key' : 'pkey');
      const table = qualifiedName(p.schema, p.name);
      return [
        `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(index)} ON ${table} ${definition};`,
        `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(index)} ${keyword} USING INDEX ${quoteIdent(index)}${deferrable};`,
      ];
    });
    return {
      sql: [...steps, statement.source.rewrite([])].join('\n'),
      safeOnline: true,
      note: `A partitioned table refuses CONCURRENTLY and USING INDEX: each partition gets its index built CONCURRENTLY and its constraint from it, then the constraint added to ${target.label} adopts them without building anything. ${CONCURRENTLY_NOTE}${notNullNote}`,
    };
  }
  const table = relationSql(relation);
  return {
    sql: [
      `CREATE UNIQUE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${table} ${definition};`,
      `ALTER TABLE ${relationSql(relation, true)} ADD CONSTRAINT ${quoteIdent(name)} ${keyword} USING INDEX ${quoteIdent(name)}${deferrable};`,
    ].join('\n'),
    safeOnline: true,
    note: `${CONCURRENTLY_NOTE} ADD CONSTRAINT … USING INDEX takes ACCESS EXCLUSIVE only for a moment.${notNullNote}${target.table ? '' : ' On a partitioned table, build each partition\'s index and constraint this way, then add the constraint to the parent (give --db for that script).'}`,
  };
}
