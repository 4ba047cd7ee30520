import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * `ADD CONSTRAINT ... NOT VALID` is the online way to add a foreign key or CHECK, but only half of it:
 * new rows are checked, the existing ones never were. Until `VALIDATE CONSTRAINT` runs, the table may
 * hold rows that break the rule, and the planner cannot rely on it (a NOT VALID CHECK is not used for
 * constraint exclusion). Usually the second step of a migration was forgotten.
 */
export default defineRule({
  meta: {
    id: 'constraint-not-validated',
    category: 'integrity',
    defaultSeverity: 'warning',
    description: 'A foreign key or CHECK constraint was added NOT VALID and never validated.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      for (const constraint of index.constraintsOf(table)) {
        if (constraint.kind !== 'foreign key' && constraint.kind !== 'check') continue;
        // NOT ENFORCED (PostgreSQL 18) is never valid by design: a deliberate choice, not a forgotten step.
        if (constraint.validated || constraint.inherited || /\bNOT ENFORCED\b/.test(constraint.definition)) continue;
        const name = `${table.schema}.${table.name}.${constraint.name}`;
        const what = constraint.kind === 'foreign key' ? 'foreign key' : 'CHECK constraint';
        report({
          object: { type: 'constraint', schema: table.schema, table: table.name, name: constraint.name },
          message: `The ${what} ${name} was added NOT VALID and never validated: rows that existed before it were never checked.`,
          evidence: { constraint: constraint.name, kind: constraint.kind, definition: constraint.definition },
          fix: {
            sql: `ALTER TABLE ${qualifiedName(table.schema, table.name)} VALIDATE CONSTRAINT ${quoteIdent(constraint.name)};`,
            safeOnline: true,
            note:
              'VALIDATE scans the table under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes go on; ' +
              'it fails if an existing row violates the constraint: correct or delete those rows first',
          },
        });
      }
    }
  },
});
