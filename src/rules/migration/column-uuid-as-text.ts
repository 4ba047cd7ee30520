import { uuidSignal } from '../types/lib/type-checks.js';
import { columnConstraints } from './lib/alter-table.js';
import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's uuid-as-text, on the columns a migration declares: a UUID kept as text takes 37 bytes
 * instead of 16, compares as a string under a collation, and accepts any string; the uuid type is
 * smaller, faster and validates its input.
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-uuid-as-text',
    category: 'types',
    defaultSeverity: 'warning',
    description: "A migration declares a text, varchar or char column that holds UUIDs, judging by its name, length or default (the review's uuid-as-text).",
    fixable: true,
    defaultOptions: {},
  },
  check(column) {
    const signal = uuidSignal(column);
    if (!signal) return null;
    const references = columnConstraints(column.definition).some((c) => c.contype === 'CONSTR_FOREIGN');
    const castDefault = column.default?.includes('::') ?? false;
    return {
      message: `Column ${column.label} is declared ${column.typeText} but holds UUIDs (${signal}): the uuid type takes 16 bytes instead of 37 and rejects malformed values. Declare it uuid.`,
      evidence: { signal },
      type: 'uuid',
      noFix: references
        ? 'it references another column: declare both uuid'
        : castDefault
          ? 'its default casts to text: write the default for a uuid column (drop the cast)'
          : undefined,
      note: 'Code that compares the column with text parameters may need a cast.',
    };
  },
});
