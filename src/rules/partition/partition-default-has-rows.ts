import { defineRule } from '../rule.js';
import { partitionedTables } from './lib/ranges.js';

/**
 * A DEFAULT partition catches the rows no other partition takes. Rows there are not pruned by the key,
 * and every partition created or attached later must scan the default partition under lock, and fails
 * outright while it holds rows of the new range: the table cannot get the partitions it is missing.
 * pg_partman users know this as the most common way partition maintenance stops.
 */
export default defineRule({
  meta: {
    id: 'partition-default-has-rows',
    category: 'partitioning',
    defaultSeverity: 'warning',
    description: 'The default partition of a partitioned table holds rows, which block creating the partitions they belong in.',
    fixable: false,
    requires: ['live-server'],
    defaultOptions: {
      /** Rows the default partition may hold before it is reported. */
      minRows: 1,
    },
  },
  check({ index, options, report }) {
    for (const table of partitionedTables(index)) {
      const visit = (parent: typeof table): void => {
        for (const partition of index.partitions(parent)) {
          if (partition.kind === 'partitioned table') visit(partition);
          if (!partition.isDefaultPartition) continue;
          const live = partition.stats?.liveTuples ?? null;
          const rows = Math.max(live ?? 0, partition.rowEstimate ?? 0);
          if (rows < Math.max(1, options.minRows)) continue;
          report({
            object: { type: 'table', schema: partition.schema, name: partition.name },
            message:
              `The default partition ${partition.schema}.${partition.name} of ${parent.schema}.${parent.name} holds about ${rows.toLocaleString('en-US')} rows: ` +
              'they are never pruned by the key, and creating a partition for their range fails until they are moved out (`pgarchitect partition maintain` moves them).',
            evidence: {
              parent: `${parent.schema}.${parent.name}`,
              partitionKey: parent.partitionKey,
              liveRows: live,
              rowEstimate: partition.rowEstimate,
              tableBytes: partition.tableBytes,
              minRows: options.minRows,
            },
            fix: null,
          });
        }
      };
      visit(table);
    }
  },
});
