import { MONEY_NUMERIC } from '../types/lib/type-checks.js';
import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's avoid-money-type, on the columns a migration declares: `money` takes its scale and
 * text form from the lc_monetary setting, holds one currency and rounds awkwardly; numeric with an
 * explicit scale has none of these traps.
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-money',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A migration declares a money column (the review\'s avoid-money-type).',
    fixable: true,
    defaultOptions: {},
  },
  check(column) {
    if (column.typeName !== 'money') return null;
    return {
      message: `Column ${column.label} is declared money, whose scale and text form depend on the lc_monetary setting. Declare it ${MONEY_NUMERIC}.`,
      evidence: {},
      type: MONEY_NUMERIC,
      note: `${MONEY_NUMERIC} holds every money value (15 integer digits, 4 decimals); narrow it if you know the currency, and keep the currency in its own column if there can be more than one.`,
    };
  },
});
