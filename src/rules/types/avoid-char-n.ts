import { defineRule } from '../rule.js';
import { alterColumnType, columnLabel, columnObject, REWRITE_NOTE, typeChangeBlocker } from './lib/columns.js';

/**
 * `character(n)` pads every value with blanks to n characters, and which operations see or ignore the
 * padding varies (comparison ignores it, concatenation to text drops it, LIKE and clients see it).
 * It is not faster or smaller than varchar or text in PostgreSQL; it only adds these surprises.
 */
export default defineRule({
  meta: {
    id: 'avoid-char-n',
    category: 'types',
    defaultSeverity: 'warning',
    description: 'A column is character(n), which blank-pads its values.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const column of index.designColumns()) {
      // typeName 'char' is the internal one-byte "char" type, not character(n).
      if (column.typeName !== 'bpchar' || column.typeKind !== 'b') continue;
      const length = column.type.match(/^character\((\d+)\)(\[\])?$/)?.[1];
      if (length === undefined) continue;
      const blocker = typeChangeBlocker(index, column, `varchar(${length})`);
      report({
        object: columnObject(column),
        message: `Column ${columnLabel(column)} is ${column.type}: values are blank-padded to ${length} characters, with no speed or size benefit over varchar or text.`,
        evidence: { type: column.type, length: Number(length), ...(blocker ? { noFix: blocker } : {}) },
        fix: blocker
          ? null
          : {
              sql: alterColumnType(column, `varchar(${length})`),
              safeOnline: false,
              note:
                `${REWRITE_NOTE} (character to varchar is a conversion, not a relabelling.) ` +
                `varchar(${length}) keeps the length limit; widening it later, or changing it to text, needs no rewrite. ` +
                'Trailing blanks are stripped by the conversion; afterwards they are significant in comparisons, so check code that pads or compares with padded literals.',
            },
      });
    }
  },
});
