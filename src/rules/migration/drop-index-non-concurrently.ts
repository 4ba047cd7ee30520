import type { Severity } from '../../finding.js';
import { blocks, lockEvidence, rangeVarOfNameList } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { listWords, nameToken, siblingSql } from './lib/sql-text.js';
import { findIndex, findTable, targetOf } from './lib/tables.js';

/**
 * DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table. The drop itself is quick, but the
 * lock must wait for every transaction using the table, and while it waits every new query on the
 * table queues behind it. DROP INDEX CONCURRENTLY waits without blocking anyone.
 */
export default defineMigrationRule({
  meta: {
    id: 'drop-index-non-concurrently',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: "DROP INDEX without CONCURRENTLY, which takes an ACCESS EXCLUSIVE lock on the index's table.",
    fixable: true,
    defaultOptions: {},
  },
  tracks: ['tables', 'indexes'],
  visitors: {
    DropStmt(stmt, { statement, schema, report }, file) {
      if (stmt.removeType !== 'OBJECT_INDEX' || stmt.concurrent) return;
      const dropped = (stmt.objects ?? []).map(rangeVarOfNameList).filter((index) => !file.createdIndexes.has(index.relname ?? ''));
      if (dropped.length === 0) return;
      const known = dropped.map((index) => (schema ? findIndex(schema, index) : undefined));
      const tables = known.map((index) => (index && schema ? findTable(schema, { schemaname: index.schema, relname: index.table }) : undefined));
      // An index on a table created earlier in this file is new too.
      if (tables.every((table) => table && targetOf({ schemaname: table.schema, relname: table.name }, schema, file).createdInFile)) return;
      const names = dropped.map((index) => (index.schemaname ? `${index.schemaname}.${index.relname}` : index.relname!));
      const onTables = [...new Set(tables.filter((t) => t !== undefined).map((t) => `${t.schema}.${t.name}`))];
      const partitioned = known.filter((index) => index?.partitioned).map((index) => index!.name);
      const cascade = stmt.behavior === 'DROP_CASCADE';
      const subject = `DROP INDEX ${names.join(', ')}${onTables.length ? ` (on ${listWords(onTables)})` : ''}`;
      let message = `${subject} takes an ACCESS EXCLUSIVE lock on the index's table, which blocks ${blocks('ACCESS EXCLUSIVE')}: the drop is quick, but while it waits for transactions using the table every new query on it queues behind it.`;
      let severity: Severity | undefined;
      if (partitioned.length > 0) {
        message += ` ${listWords(partitioned)} ${partitioned.length === 1 ? 'is a partitioned index' : 'are partitioned indexes'}, which DROP INDEX CONCURRENTLY refuses: set a short lock_timeout before the drop and retry it when it times out.`;
        severity = 'info';
      } else message += ` Use DROP INDEX CONCURRENTLY${dropped.length > 1 ? ', one index per statement' : ''}${cascade ? ', without CASCADE (it refuses it): drop what depends on the index first' : ''}.`;
      report({
        message,
        evidence: { indexes: names, tables: onTables, ...lockEvidence('ACCESS EXCLUSIVE'), ...(partitioned.length ? { partitioned } : {}), ...(cascade ? { cascade } : {}) },
        severity,
        fix:
          partitioned.length === 0 && !cascade
            ? {
                sql: dropped.map((index) => `DROP INDEX CONCURRENTLY ${stmt.missing_ok ? 'IF EXISTS ' : ''}${siblingSql(index, index.relname ?? '')};`).join('\n'),
                safeOnline: true,
                note: 'DROP INDEX CONCURRENTLY cannot run inside a transaction block, drops one index per statement and refuses CASCADE. If it fails, the index is left INVALID: run it again.',
              }
            : null,
        location: nameToken(statement.source, dropped[0]!.relname ?? '')?.start,
        key: names.join(','),
        ...(tables[0] ? { object: { type: 'index' as const, schema: tables[0].schema, table: tables[0].name, name: known[0]!.name } } : {}),
      });
    },
  },
});
