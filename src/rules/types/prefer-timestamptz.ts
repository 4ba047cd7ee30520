import type { Column } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { quoteLiteral } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { alterColumnType, baseTypeOf, columnLabel, columnObject, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';

/**
 * `timestamp without time zone` stores a wall-clock reading with no zone: the same value means
 * different instants to writers in different zones, and arithmetic across daylight-saving changes is
 * wrong. `timestamptz` stores an instant (in UTC) and converts on the way in and out.
 */
export default defineRule({
  meta: {
    id: 'prefer-timestamptz',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A column is timestamp without time zone instead of timestamptz.',
    fixable: true,
    defaultOptions: {
      /** The zone the stored values were written in; the fix converts them from this zone. */
      sourceTimeZone: 'UTC',
    },
  },
  check({ index, options, report }) {
    for (const column of index.designColumns()) {
      const base = baseTypeOf(column);
      if (base.typeName !== 'timestamp') continue;
      const blocker =
        typeChangeBlocker(index, column, 'timestamptz', base.domain) ??
        (column.isArray ? 'an array column cannot be converted with AT TIME ZONE; convert it with the session time zone set to the zone of the values' : null);
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type}${base.domain ? ` (through domain ${base.domain})` : ''}: its values carry no time zone, so the instant they mean depends on who wrote them.`,
        evidence: {
          type: column.type,
          domain: base.domain,
          default: column.default,
          ...(blocker ? { noFix: blocker } : {}),
        },
        fix: blocker ? null : fixFor(column, options.sourceTimeZone),
      });
    }
  },
});

function fixFor(column: Column, zone: string): Fix {
  return {
    sql: alterColumnType(column, 'timestamptz', (name) => `${name} AT TIME ZONE ${quoteLiteral(zone)}`),
    safeOnline: false,
    note:
      `${REWRITE_NOTE} The USING clause reads the stored values as ${zone} time: ` +
      'it must be the zone the values were written in (rule option sourceTimeZone). ' +
      "When the values are UTC, running SET timezone = 'UTC' and the ALTER without USING skips the table rewrite (the column's indexes are still rebuilt).",
  };
}
