import type { Constraint } from '../../catalog/types.js';
import { defineRule } from '../rule.js';

/**
 * When every column but the key accepts NULL, nobody decided which facts a row must have: rows with
 * nothing but an id get in, every query has to guard against NULL, and the planner and readers learn
 * nothing from the schema. Usually a sign the table was generated or its constraints never designed.
 */
export default defineRule({
  meta: {
    id: 'all-columns-nullable',
    category: 'modelling',
    defaultSeverity: 'warning',
    description: 'Every column of a table outside its primary key is nullable.',
    fixable: false,
    defaultOptions: {
      /** Report only tables with at least this many columns outside the primary key. */
      minColumns: 2,
    },
  },
  check({ index, options, report }) {
    for (const table of index.designTables()) {
      const constraints = index.constraintsOf(table);
      const key = new Set(constraints.find((c) => c.kind === 'primary key')?.columns ?? []);
      const checkedNotNull = notNullByCheck(constraints);
      // Identity and generated columns are filled by the database, so they say nothing about design.
      const candidates = index
        .columnsOf(table)
        .filter((c) => !key.has(c.name) && c.identity === null && c.generated === null);
      if (candidates.length < options.minColumns) continue;
      if (candidates.some((c) => c.notNull || checkedNotNull.has(c.name))) continue;
      report({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        message: `Every column of ${table.schema}.${table.name}${key.size ? ' outside its primary key' : ''} is nullable (${candidates.length} columns).`,
        evidence: {
          nullableColumns: candidates.map((c) => c.name),
          primaryKey: key.size ? [...key] : null,
          advice: 'declare NOT NULL on the columns every row must have (add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL)',
        },
        fix: null,
      });
    }
  },
});

/** Columns held non-null by a one-column `CHECK (col IS NOT NULL)` (the online way to add NOT NULL). */
function notNullByCheck(constraints: readonly Constraint[]): Set<string> {
  return new Set(
    constraints
      .filter((c) => c.kind === 'check' && c.columns.length === 1 && /IS NOT NULL/i.test(c.definition))
      .map((c) => c.columns[0]!),
  );
}
