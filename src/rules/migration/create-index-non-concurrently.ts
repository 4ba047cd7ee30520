import { blocks, lockEvidence } from './lib/locks.js';
import { CONCURRENTLY_NOTE, indexColumnNames, perPartitionIndexSql } from './lib/indexes.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { defaultName, keywordToken, relationEnd } from './lib/sql-text.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * CREATE INDEX holds a SHARE lock on the table until the index is built: reads go on, every INSERT,
 * UPDATE and DELETE waits, for minutes on a large table. CREATE INDEX CONCURRENTLY builds it in
 * several passes with a lock that lets writes go on. A partitioned table refuses CONCURRENTLY: its
 * index is built per partition, then attached.
 */
export default defineMigrationRule({
  meta: {
    id: 'create-index-non-concurrently',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'CREATE INDEX on an existing table without CONCURRENTLY, which blocks writes until the index is built.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    IndexStmt(stmt, { statement, schema, options, report }, file) {
      if (!stmt.relation) return;
      const target = targetOf(stmt.relation, schema, file);
      if (target.createdInFile) return;
      const onlyParent = stmt.relation.inh !== true;
      const unique = stmt.unique === true;
      const columns = indexColumnNames(stmt);
      const name = stmt.idxname ?? defaultName(stmt.relation.relname ?? '', columns, unique ? 'key' : 'idx');
      const evidence = { table: target.label, ...lockEvidence('SHARE'), partitioned: target.partitioned, ...sizeEvidence(target, 'build') };

      if (target.partitioned && target.table && schema) {
        // ON ONLY is the first step of the per-partition way: it reads no rows.
        if (onlyParent || schema.partitions(target.table).length === 0) return;
        const end = relationEnd(statement.source, stmt.relation);
        const definition = end === null ? null : statement.source.slice(end, statement.source.end).trim();
        report({
          message: stmt.concurrent
            ? `CREATE INDEX CONCURRENTLY fails on ${target.label}: it is a partitioned table, which refuses CONCURRENTLY. Create the index ON ONLY the parent, build each partition's index CONCURRENTLY, then attach them.`
            : `CREATE INDEX on partitioned table ${target.label} builds the index on every partition under SHARE locks, which block ${blocks('SHARE')} on the whole table until the last is built${estimateClause(target, 'build')}. CONCURRENTLY is refused on a partitioned table: create the index ON ONLY the parent, build each partition's index CONCURRENTLY, then attach them.`,
          evidence,
          severity: stmt.concurrent ? 'error' : severityForSize(target.size, options),
          fix: definition
            ? {
                sql: perPartitionIndexSql(schema, target.table, name, definition, unique, columns).join('\n'),
                safeOnline: true,
                note: `The index ON ONLY the parent is invalid (unused) until every partition's index is attached. ${CONCURRENTLY_NOTE}`,
              }
            : null,
          location: stmt.relation.location,
          object: target.object,
        });
        return;
      }

      if (stmt.concurrent || (onlyParent && !target.table)) return;
      const indexKeyword = keywordToken(statement.source, 'index');
      report({
        message: `CREATE INDEX on ${target.label} takes a SHARE lock, which blocks ${blocks('SHARE')} until the index is built${estimateClause(target, 'build')}. Build it with CREATE INDEX CONCURRENTLY.`,
        evidence,
        severity: severityForSize(target.size, options),
        fix: indexKeyword
          ? {
              sql: statement.source.rewrite([{ start: indexKeyword.end, end: indexKeyword.end, text: ' CONCURRENTLY' }]),
              safeOnline: true,
              note: `${CONCURRENTLY_NOTE}${target.table ? '' : ' On a partitioned table CONCURRENTLY is refused: create the index ON ONLY the parent, each partition\'s CONCURRENTLY, then ALTER INDEX … ATTACH PARTITION each (give --db for that script).'}`,
            }
          : null,
        location: stmt.relation.location,
        object: target.object,
      });
    },
  },
});
