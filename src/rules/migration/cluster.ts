import { blocks, lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * CLUSTER writes a new copy of the table in index order, holding ACCESS EXCLUSIVE throughout: no
 * reads or writes until it is done, and the order is not kept for rows written later. pg_repack
 * (--order-by) does the same online.
 */
export default defineMigrationRule({
  meta: {
    id: 'cluster',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'CLUSTER, which rewrites the table (or every clustered table) under an ACCESS EXCLUSIVE lock.',
    fixable: false,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    ClusterStmt(stmt, { statement, schema, options, report }, file) {
      if (!stmt.relation) {
        report({
          message: `CLUSTER without a table rewrites every table that was clustered before, each under an ACCESS EXCLUSIVE lock, which blocks ${blocks('ACCESS EXCLUSIVE')} of that table until its copy is written. Use pg_repack --order-by for the tables whose order matters.`,
          evidence: { tables: 'all clustered', ...lockEvidence('ACCESS EXCLUSIVE') },
          severity: 'error',
          fix: null,
          location: statement.source.start,
        });
        return;
      }
      const target = targetOf(stmt.relation, schema, file);
      if (target.createdInFile) return;
      report({
        message: `CLUSTER ${target.label} rewrites the table and its indexes in index order under an ACCESS EXCLUSIVE lock, which blocks ${blocks('ACCESS EXCLUSIVE')} until the copy is written${estimateClause(target, 'rewrite')}; rows written later are not kept in order. pg_repack --order-by does it online.`,
        evidence: { table: target.label, index: stmt.indexname ?? null, ...lockEvidence('ACCESS EXCLUSIVE'), rewrite: true, ...sizeEvidence(target, 'rewrite') },
        severity: severityForSize(target.size, options),
        fix: null,
        location: stmt.relation.location,
        key: target.label,
        object: target.object,
      });
    },
  },
});
