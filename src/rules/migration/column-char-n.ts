import { defineColumnTypeRule } from './lib/column-type-rule.js';

/**
 * The review's avoid-char-n, on the columns a migration declares: `character(n)` pads every value
 * with blanks to n characters, and which operations see the padding varies; it is not faster or
 * smaller than varchar or text. Declared in the migration, the column can start as varchar(n).
 */
export default defineColumnTypeRule({
  meta: {
    id: 'column-char-n',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A migration declares a character(n) column, which blank-pads its values (the review\'s avoid-char-n).',
    fixable: true,
    defaultOptions: {},
  },
  check(column) {
    if (column.typeName !== 'bpchar') return null;
    const length = column.length ?? 1;
    return {
      message: `Column ${column.label} is declared ${column.typeText}: values are blank-padded to ${length} character${length === 1 ? '' : 's'}, with no speed or size benefit over varchar or text. Declare it varchar(${length}) (or text).`,
      evidence: { length },
      type: `varchar(${length})`,
      note: `varchar(${length}) keeps the length limit without the padding; widening it later, or changing it to text, needs no rewrite.`,
    };
  },
});
