import { defineMigrationRule } from './lib/migration-rule.js';
import { SIZE_OPTIONS } from './lib/tables.js';
import { checkUniqueConstraints } from './lib/unique-constraint.js';

/**
 * ADD CONSTRAINT ... UNIQUE builds the constraint's unique index by reading the whole table while
 * ALTER TABLE holds ACCESS EXCLUSIVE: no reads or writes until it is built. CREATE UNIQUE INDEX
 * CONCURRENTLY builds the same index with writes going on; ADD CONSTRAINT ... UNIQUE USING INDEX
 * then turns it into the constraint in a moment.
 */
export default defineMigrationRule({
  meta: {
    id: 'add-unique-without-index',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A UNIQUE constraint added to an existing table without USING INDEX, which builds its index under an ACCESS EXCLUSIVE lock.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    AlterTableStmt(stmt, context, file) {
      checkUniqueConstraints('unique', stmt, context, file);
    },
  },
});
