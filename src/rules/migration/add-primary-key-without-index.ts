import { defineMigrationRule } from './lib/migration-rule.js';
import { SIZE_OPTIONS } from './lib/tables.js';
import { checkUniqueConstraints } from './lib/unique-constraint.js';

/**
 * ADD PRIMARY KEY builds the key's unique index by reading the whole table while ALTER TABLE holds
 * ACCESS EXCLUSIVE (and sets its columns NOT NULL, which scans too unless proven). CREATE UNIQUE
 * INDEX CONCURRENTLY builds the index with writes going on; ADD CONSTRAINT ... PRIMARY KEY USING
 * INDEX then makes it the key in a moment.
 */
export default defineMigrationRule({
  meta: {
    id: 'add-primary-key-without-index',
    category: 'migrations',
    defaultSeverity: 'warning',
    description: 'A primary key added to an existing table without USING INDEX, which builds its index under an ACCESS EXCLUSIVE lock.',
    fixable: true,
    defaultOptions: { ...SIZE_OPTIONS },
  },
  visitors: {
    AlterTableStmt(stmt, context, file) {
      checkUniqueConstraints('primary key', stmt, context, file);
    },
  },
});
