import { defineRule } from '../rule.js';
import { alterColumnType, baseTypeOf, columnLabel, columnObject } from './lib/columns.js';

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
      const fixable = !base.domain && !column.generated;
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type}${base.domain ? ` (through domain ${base.domain})` : ''}, which is re-parsed on every access and cannot be compared or GIN-indexed; jsonb can.`,
        evidence: {
          type: column.type,
          domain: base.domain,
          ...(fixable ? {} : { noFix: base.domain ? `the type comes from domain ${base.domain}: move the columns to a domain over jsonb` : 'a generated column: change the types in its expression instead' }),
        },
        fix: fixable
          ? {
              sql: alterColumnType(column, 'jsonb', (name) => (column.isArray ? `${name}::jsonb[]` : `${name}::jsonb`)),
              safeOnline: false,
              note:
                'rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock. jsonb does not keep key order, whitespace or duplicate keys (the last one wins): ' +
                'keep json if clients depend on the exact text. Queries that call json_* functions on the column need the jsonb_* ones.',
            }
          : null,
      });
    }
  },
});
