import type { Column } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { defineRule } from '../rule.js';
import { alterColumnType, baseTypeOf, columnLabel, columnObject, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';
import { isFloat, MONEY_NUMERIC, MONEY_WORDS, moneyWord } from './lib/type-checks.js';

const MONEY_TYPE = MONEY_NUMERIC;

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
      words: [...MONEY_WORDS],
    },
  },
  check({ index, options, report }) {
    const words = new Set(options.words.map((w) => w.toLowerCase()));
    for (const column of index.designColumns()) {
      const base = baseTypeOf(column);
      if (!isFloat(base.typeName)) continue;
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
