import { defineRule } from '../rule.js';

/**
 * A table with very many columns usually holds several entities or a pivot of one (a column per
 * month, per option, per attribute). Every UPDATE writes a new version of the whole wide row, reading a
 * late column means walking all earlier ones, and most rows carry long runs of NULLs.
 */
export default defineRule({
  meta: {
    id: 'wide-table',
    category: 'modelling',
    defaultSeverity: 'info',
    description: 'A table has more columns than the configured maximum.',
    fixable: false,
    defaultOptions: {
      /** Report tables with more columns than this. */
      maxColumns: 50,
    },
  },
  check({ index, options, report }) {
    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      if (columns.length <= options.maxColumns) continue;
      report({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        message: `Table ${table.schema}.${table.name} has ${columns.length} columns (more than ${options.maxColumns}).`,
        evidence: {
          columns: columns.length,
          maxColumns: options.maxColumns,
          nullableColumns: columns.filter((c) => !c.notNull).length,
          rowEstimate: table.rowEstimate,
        },
        fix: null,
      });
    }
  },
});
