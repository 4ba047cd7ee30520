import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's prefer-timestamptz, on the columns a migration declares: `timestamp without time
 * zone` stores a wall-clock reading with no zone, so the instant it means depends on who wrote it;
 * timestamptz stores an instant.
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-timestamp-without-time-zone',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A migration declares a timestamp without time zone column instead of timestamptz (the review\'s prefer-timestamptz).',
    fixable: true,
    defaultOptions: {},
  },
  check(column) {
    if (column.typeName !== 'timestamp') return null;
    const precision = column.type.modifiers.length ? `(${column.type.modifiers[0]})` : '';
    return {
      message: `Column ${column.label} is declared ${column.typeText}: its values carry no time zone, so the instant they mean depends on who wrote them. Declare it timestamptz${precision}.`,
      evidence: {},
      type: `timestamptz${precision}`,
      note: 'timestamptz stores an instant and shows it in the session\'s time zone; code that writes local wall-clock times should say which zone they are in.',
    };
  },
});
