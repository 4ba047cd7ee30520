import type { Column } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { defineRule } from '../rule.js';
import { alterColumnType, baseTypeOf, columnLabel, columnObject, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';

const MONEY_TYPE = 'numeric(19,4)';

/**
 * real and double precision are binary fractions: 0.1 + 0.2 is not 0.3, sums drift by fractions of a
 * cent and equality tests fail. Amounts of money need exact decimal arithmetic: numeric.
 */
export default defineRule({
  meta: {
    id: 'float-for-money',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A real or double precision column holds amounts of money, judging by its name.',
    fixable: true,
    defaultOptions: {
      /** Words (whole parts of a snake_case or camelCase name, singular or plural) that mean money. */
      words: ['price', 'amount', 'cost', 'total', 'balance', 'fee', 'tax', 'salary', 'payment', 'subtotal', 'discount', 'revenue'],
    },
  },
  check({ index, options, report }) {
    const words = new Set(options.words.map((w) => w.toLowerCase()));
    for (const column of index.designColumns()) {
      const base = baseTypeOf(column);
      if (base.typeName !== 'float4' && base.typeName !== 'float8') continue;
      const word = moneyWord(column.name, words);
      if (!word) continue;
      const blocker = typeChangeBlocker(index, column, 'numeric', base.domain);
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type}${base.domain ? ` (through domain ${base.domain})` : ''} but its name says it holds money ("${word}"): binary floating point cannot store most decimal amounts exactly.`,
        evidence: {
          type: column.type,
          domain: base.domain,
          matchedWord: word,
          ...(blocker ? { noFix: blocker } : {}),
        },
        fix: blocker ? null : fixFor(column),
      });
    }
  },
});

/** The money word a column name contains as a whole part (`unit_price`, `totalAmount`, `fees`). */
function moneyWord(name: string, words: ReadonlySet<string>): string | null {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  for (const part of parts) {
    if (words.has(part)) return part;
    const singular = part.endsWith('es') && words.has(part.slice(0, -2)) ? part.slice(0, -2) : part.endsWith('s') ? part.slice(0, -1) : null;
    if (singular && words.has(singular)) return singular;
  }
  return null;
}

function fixFor(column: Column): Fix {
  return {
    sql: alterColumnType(column, MONEY_TYPE, (name) => `${name}::${MONEY_TYPE}${column.isArray ? '[]' : ''}`),
    safeOnline: false,
    note:
      `${REWRITE_NOTE} ${MONEY_TYPE} keeps 15 integer digits and 4 decimals (sub-cent prices, rates); ` +
      'each value is rounded to 4 decimals, which removes binary noise such as 0.30000000000000004. Narrow it (numeric(12,2)) if amounts are whole cents; ' +
      'values of 10^15 or more make the statement fail without changing anything.',
  };
}
