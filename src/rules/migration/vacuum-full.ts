import type { RangeVar } from 'libpg-query';
import { blocks, hasOption, lockEvidence } from './lib/locks.js';
import { defineMigrationRule } from './lib/migration-rule.js';
import { relationSql } from './lib/sql-text.js';
import { estimateClause, severityForSize, SIZE_OPTIONS, sizeEvidence, targetOf } from './lib/tables.js';

/**
 * VACUUM FULL writes a new copy of the table and its indexes, holding ACCESS EXCLUSIVE throughout:
 * no reads or writes until it is done. Plain VACUUM makes dead space reusable with reads and writes
 * going on; pg_repack or pg_squeeze give space back to the operating system online.
 */
export default defineMigrationRule({
  meta: {
    id: 'vacuum-full',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'VACUUM FULL, which rewrites each table it names (or every table) under an ACCESS EXCLUSIVE lock.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    VacuumStmt(stmt, { schema, options, report }, file) {
      if (!stmt.is_vacuumcmd || !hasOption(stmt.options, 'full')) return;
      const relations = (stmt.rels ?? []).map((r) => (r as { VacuumRelation?: { relation?: RangeVar } }).VacuumRelation?.relation).filter((r): r is RangeVar => r !== undefined);
      const fullLocation = stmt.options?.map((o) => (o as { DefElem?: { defname?: string; location?: number } }).DefElem).find((d) => d?.defname === 'full')?.location;
      if (relations.length === 0) {
        report({
          message: `VACUUM FULL without a table rewrites every table of the database, one after another, each under an ACCESS EXCLUSIVE lock, which blocks ${blocks('ACCESS EXCLUSIVE')} of that table until its copy is written. Run plain VACUUM, and pg_repack or pg_squeeze for the tables that need their space back.`,
          evidence: { tables: 'all', ...lockEvidence('ACCESS EXCLUSIVE') },
          severity: 'error',
          fix: { sql: 'VACUUM;', safeOnline: true, note: 'Plain VACUUM makes dead space reusable but does not give it back to the operating system.' },
          location: fullLocation,
        });
        return;
      }
      for (const relation of relations) {
        const target = targetOf(relation, schema, file);
        if (target.createdInFile) continue;
        report({
          message: `VACUUM FULL ${target.label} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, which blocks ${blocks('ACCESS EXCLUSIVE')} until the copy is written${estimateClause(target, 'rewrite')}. Plain VACUUM makes dead space reusable with reads and writes going on; pg_repack or pg_squeeze give space back online.`,
          evidence: { table: target.label, ...lockEvidence('ACCESS EXCLUSIVE'), rewrite: true, ...sizeEvidence(target, 'rewrite') },
          severity: severityForSize(target.size, options),
          fix: { sql: `VACUUM ${relationSql(relation)};`, safeOnline: true, note: 'Plain VACUUM makes dead space reusable but does not shrink the file; pg_repack or pg_squeeze do, without a long lock.' },
          location: relation.location,
          key: target.label,
          object: target.object,
        });
      }
    },
  },
});
