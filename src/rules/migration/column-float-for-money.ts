import { isFloat, MONEY_NUMERIC, MONEY_WORDS, moneyWord } from '../types/lib/type-checks.js';
import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's float-for-money, on the columns a migration declares: real and double precision are
 * binary fractions (0.1 + 0.2 is not 0.3), so amounts of money drift and equality tests fail.
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-float-for-money',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A migration declares a real or double precision column whose name says it holds money (the review\'s float-for-money).',
    fixable: true,
    defaultOptions: {
      /** Words (whole parts of a snake_case or camelCase name, singular or plural) that mean money. */
      words: [...MONEY_WORDS],
    },
  },
  check(column, options) {
    if (!isFloat(column.typeName)) return null;
    const word = moneyWord(column.name, new Set(options.words.map((w) => w.toLowerCase())));
    if (!word) return null;
    return {
      message: `Column ${column.label} is declared ${column.typeText} but its name says it holds money ("${word}"): binary floating point cannot store most decimal amounts exactly. Declare it ${MONEY_NUMERIC}.`,
      evidence: { matchedWord: word },
      type: MONEY_NUMERIC,
      note: `${MONEY_NUMERIC} keeps 15 integer digits and 4 decimals; narrow it (numeric(12,2)) if amounts are whole cents.`,
    };
  },
});
