import { defineRule } from '../rule.js';
import { coversIndex, designIndexesByTable, dropIndexFix } from './lib/index-shape.js';

/**
 * A btree index on (a) can answer nothing that an index on (a, b) cannot: the wider one serves the same
 * searches and orderings through its leading column. The narrow one only adds write cost and cache use.
 */
export default defineRule({
  meta: {
    id: 'redundant-index',
    category: 'indexes',
    defaultSeverity: 'warning',
    description: 'A btree index whose keys are a leading prefix of another btree index on the same table.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const designIndexes of designIndexesByTable(index).values()) {
      if (designIndexes.length < 2) continue;
      const tableIndexes = designIndexes.filter((i) => i.method === 'btree' && i.valid);
      if (tableIndexes.length < 2) continue;
      for (const narrow of tableIndexes) {
        // A unique index enforces something its wider twin does not; a constraint's index cannot go.
        if (narrow.unique || narrow.constraint !== null) continue;
        const wide = tableIndexes.find((w) => coversIndex(w, narrow));
        if (!wide) continue;
        report({
          object: { type: 'index', schema: narrow.schema, table: narrow.table, name: narrow.name },
          message: `Index ${narrow.schema}.${narrow.table}.${narrow.name} is redundant: its keys lead ${wide.name}, which serves the same searches.`,
          evidence: {
            coveringIndex: wide.name,
            definition: narrow.definition,
            coveringDefinition: wide.definition,
            bytes: narrow.bytes,
            coveringBytes: wide.bytes,
            scans: narrow.stats?.scans ?? null,
          },
          fix: dropIndexFix(narrow),
        });
      }
    }
  },
});
