import { defineRule } from '../rule.js';
import { alterColumnType, baseTypeOf, columnLabel, columnObject, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';

/**
 * `json` keeps the input text and re-parses it on every access; it has no equality operator (no
 * DISTINCT, GROUP BY or UNIQUE) and no GIN operator class. `jsonb` is parsed once, indexable and
 * comparable. `json` is only the right choice when the exact text (key order, duplicates) matters.
 */
export default defineRule({
  meta: {
    id: 'prefer-jsonb',
    category: 'types',
    defaultSeverity: 'info',
    description: 'A column is json instead of jsonb.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const column of index.designColumns()) {
      const base = baseTypeOf(column);
      if (base.typeName !== 'json') continue;
      const blocker = typeChangeBlocker(index, column, 'jsonb', base.domain);
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type}${base.domain ? ` (through domain ${base.domain})` : ''}, which is re-parsed on every access and cannot be compared or GIN-indexed; jsonb can.`,
        evidence: {
          type: column.type,
          domain: base.domain,
          ...(blocker ? { noFix: blocker } : {}),
        },
        fix: blocker
          ? null
          : {
              sql: alterColumnType(column, 'jsonb', (name) => (column.isArray ? `${name}::jsonb[]` : `${name}::jsonb`)),
              safeOnline: false,
              note:
                `${REWRITE_NOTE} jsonb does not keep key order, whitespace or duplicate keys (the last one wins): ` +
                'keep json if clients depend on the exact text. Queries that call json_* functions on the column need the jsonb_* ones.',
            },
      });
    }
  },
});
