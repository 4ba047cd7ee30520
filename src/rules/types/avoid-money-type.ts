import { defineRule } from '../rule.js';
import { alterColumnType, baseTypeOf, columnLabel, columnObject, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';

/**
 * `money` has a fixed number of decimals taken from `lc_monetary`: its text form changes with a
 * server setting, a dump restored under another locale misreads it, it holds one currency only and
 * division and rounding are awkward. `numeric` with an explicit scale has none of these traps.
 */
export default defineRule({
  meta: {
    id: 'avoid-money-type',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A column uses the money type.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const column of index.designColumns()) {
      const base = baseTypeOf(column);
      if (base.typeName !== 'money') continue;
      const blocker = typeChangeBlocker(index, column, 'numeric', base.domain);
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type}${base.domain ? ` (through domain ${base.domain})` : ''}, whose scale and text form depend on the lc_monetary setting.`,
        evidence: {
          type: column.type,
          domain: base.domain,
          ...(blocker ? { noFix: blocker } : {}),
        },
        fix: blocker
          ? null
          : {
              sql: alterColumnType(column, 'numeric(19,4)', (name) => (column.isArray ? `${name}::numeric[]` : `${name}::numeric`)),
              safeOnline: false,
              note:
                `${REWRITE_NOTE} numeric(19,4) holds every money value (15 integer digits, 4 decimals); ` +
                'narrow it if you know the currency. Keep the currency in its own column if there can be more than one.',
            },
      });
    }
  },
});
