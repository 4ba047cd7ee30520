import { defineRule } from '../rule.js';
import { designIndexesByTable } from './lib/index-shape.js';

/**
 * Every INSERT writes one entry into every index of the table, and an UPDATE that changes any indexed
 * column cannot be a HOT update, so it too writes into every index. Past a handful of indexes, writes,
 * WAL volume, vacuum time and cache pressure grow with each one added.
 */
export default defineRule({
  meta: {
    id: 'too-many-indexes',
    category: 'indexes',
    defaultSeverity: 'info',
    description: 'A table has more indexes than the configured maximum.',
    fixable: false,
    defaultOptions: { maxIndexes: 10 },
  },
  check({ index, options, report }) {
    const byTable = designIndexesByTable(index);
    for (const table of index.designTables()) {
      const indexes = byTable.get(table) ?? [];
      if (indexes.length <= options.maxIndexes) continue;
      const sizes = indexes.map((i) => i.bytes);
      report({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        message: `Table ${table.schema}.${table.name} has ${indexes.length} indexes (more than ${options.maxIndexes}): every insert, and every update of an indexed column, writes into all of them.`,
        evidence: {
          indexCount: indexes.length,
          maxIndexes: options.maxIndexes,
          indexes: indexes.map((i) => i.name),
          constraintIndexes: indexes.filter((i) => i.constraint !== null).map((i) => i.name),
          indexBytes: sizes.every((b) => b !== null) ? sizes.reduce<number>((sum, b) => sum + (b ?? 0), 0) : null,
          tableBytes: table.tableBytes,
        },
        fix: null,
      });
    }
  },
});
