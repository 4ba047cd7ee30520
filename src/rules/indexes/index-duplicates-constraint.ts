import { defineRule } from '../rule.js';
import { backsKeyConstraint, dropIndexFix, designIndexesByTable, duplicatesKeyConstraint, uniqueDropNote } from './lib/index-shape.js';

/**
 * A PRIMARY KEY or UNIQUE constraint already builds its own index. A second, plain index on the same
 * keys (often created "for the lookups" next to the constraint) is pure overhead on every write.
 */
export default defineRule({
  meta: {
    id: 'index-duplicates-constraint',
    category: 'indexes',
    defaultSeverity: 'warning',
    description: 'A plain index has the same keys as the index of a PRIMARY KEY or UNIQUE constraint.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const tableIndexes of designIndexesByTable(index).values()) {
      const keyIndexes = tableIndexes.filter(backsKeyConstraint);
      if (keyIndexes.length === 0) continue;
      for (const plain of tableIndexes) {
        const keyIndex = keyIndexes.find((k) => duplicatesKeyConstraint(plain, k));
        if (!keyIndex) continue;
        const kind = keyIndex.primary ? 'primary key' : 'unique constraint';
        report({
          object: { type: 'index', schema: plain.schema, table: plain.table, name: plain.name },
          message: `Index ${plain.schema}.${plain.table}.${plain.name} duplicates the index of ${kind} ${keyIndex.constraint}.`,
          evidence: {
            constraint: keyIndex.constraint,
            constraintIndex: keyIndex.name,
            definition: plain.definition,
            constraintIndexDefinition: keyIndex.definition,
            bytes: plain.bytes,
          },
          fix: dropIndexFix(plain, uniqueDropNote(plain, keyIndex.constraint ?? keyIndex.name)),
        });
      }
    }
  },
});
