import { lockEvidence, rangeVarOfNameList } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { nameToken } from './lib/sql-text.js';
import { estimateClause, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * Dropping a table loses its data, and the code still running while the migration deploys breaks
 * where it uses the table. The table must be out of the code, deployed, before it is dropped.
 */
export default defineMigrationRule({
  meta: {
    id: 'drop-table',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'An existing table is dropped, which loses its data and breaks the code still running that uses it.',
    fixable: false,
    defaultOptions: {},
  },
  visitors: {
    DropStmt(stmt, { statement, schema, report }, file) {
      if (stmt.removeType !== 'OBJECT_TABLE') return;
      const cascade = stmt.behavior === 'DROP_CASCADE';
      for (const object of stmt.objects ?? []) {
        const relation = rangeVarOfNameList(object);
        const target = targetOf(relation, schema, file);
        if (target.createdInFile) continue;
        report({
          message: `DROP TABLE ${target.label} deletes the table and its data${estimateClause(target, 'delete')} and breaks the code that is running while the migration deploys where it uses the table${cascade ? '; CASCADE also drops the views and foreign keys that depend on it' : ''}. Remove the table from the code and deploy that first, and keep a backup (or rename it away and drop it later). It takes an ACCESS EXCLUSIVE lock on the table${cascade ? ' and on the tables whose foreign keys point at it' : ''}.`,
          evidence: { table: target.label, cascade, ...lockEvidence('ACCESS EXCLUSIVE'), ...sizeEvidence(target, 'delete') },
          fix: null,
          location: nameToken(statement.source, relation.schemaname ?? relation.relname ?? '')?.start,
          key: target.label,
          object: target.object,
        });
      }
    },
  },
});
