import { formatBytes } from '../../report/format-bytes.js';
import { defineRule } from '../rule.js';
import { leafPartitions, partitionedTables } from './lib/ranges.js';

/**
 * Every partition costs planning time for a query the planner cannot prune (no key in the WHERE
 * clause, a generic plan, a join), memory for its relcache entry and a lock per partition touched in
 * each transaction, which overflows the fast-path lock slots and then contends on the shared lock
 * manager. Thousands of small partitions cost more than they save.
 */
export default defineRule({
  meta: {
    id: 'partition-too-many',
    category: 'partitioning',
    defaultSeverity: 'warning',
    description: 'A partitioned table has more partitions than the configured maximum, which slows planning and locking.',
    fixable: false,
    defaultOptions: {
      /** Leaf partitions (sub-partitions counted) above which a table is reported. */
      maxPartitions: 500,
    },
  },
  check({ index, options, report }) {
    for (const table of partitionedTables(index)) {
      const leaves = leafPartitions(index, table);
      if (leaves.length <= options.maxPartitions) continue;
      const sized = leaves.filter((p) => p.totalBytes !== null);
      const total = sized.reduce((sum, p) => sum + p.totalBytes!, 0);
      const average = sized.length ? Math.round(total / sized.length) : null;
      report({
        object: { type: 'partitioned table', schema: table.schema, name: table.name },
        message:
          `Partitioned table ${table.schema}.${table.name} has ${leaves.length.toLocaleString('en-US')} partitions, more than ${options.maxPartitions}` +
          `${average !== null ? ` (${formatBytes(average)} each on average)` : ''}: queries that cannot prune plan and lock every one of them. ` +
          'Use a coarser interval, or detach partitions past their retention.',
        evidence: {
          partitionKey: table.partitionKey,
          partitions: leaves.length,
          maxPartitions: options.maxPartitions,
          averagePartitionBytes: average,
          totalBytes: sized.length ? total : null,
        },
        fix: null,
      });
    }
  },
});
