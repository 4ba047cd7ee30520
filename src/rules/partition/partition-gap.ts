import type { Fix } from '../../finding.js';
import { inferInterval, partitionName } from '../../partition/key-grid.js';
import { qualifiedName, quoteLiteral } from '../../sql/quote.js';
import { RelationNames } from '../keys/lib/names.js';
import { defineRule } from '../rule.js';
import { partitionedTables, rangeLayout } from './lib/ranges.js';

/**
 * A hole between two range partitions: rows whose key falls there have no partition. Inserts of them
 * fail, or land in the default partition, which then blocks creating the missing partition. Holes come
 * from a partition dropped in the middle, a maintenance job that skipped a run, or bounds typed by hand.
 */
export default defineRule({
  meta: {
    id: 'partition-gap',
    category: 'partitioning',
    defaultSeverity: 'warning',
    description: 'Two range partitions of a table leave a hole between their bounds that no partition covers.',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, index, report }) {
    const names = new RelationNames(snapshot);
    for (const table of partitionedTables(index)) {
      const layout = rangeLayout(index, table);
      if (!layout) continue;
      const { ranges, defaultPartition, kind } = layout;
      for (let i = 1; i < ranges.length; i++) {
        const before = ranges[i - 1]!;
        const after = ranges[i]!;
        if (!(before.to.at < after.from.at)) continue;
        const where = defaultPartition ? `rows of that range land in the default partition ${defaultPartition.schema}.${defaultPartition.name}` : 'inserts of rows in that range fail';
        const interval = inferInterval(before.from, before.to, kind) ?? inferInterval(after.from, after.to, kind);
        const schema = before.partition.schema;
        const wanted = interval ? partitionName(table.name, before.to, interval) : `${table.name}_gap`;
        const name = names.has(schema, wanted) ? names.choose(schema, wanted, 'gap') : (names.reserve(schema, wanted), wanted);
        const fix: Fix = {
          sql: `CREATE TABLE ${qualifiedName(schema, name)} PARTITION OF ${qualifiedName(table.schema, table.name)} FOR VALUES FROM (${quoteLiteral(before.to.literal)}) TO (${quoteLiteral(after.from.literal)});`,
          safeOnline: !defaultPartition,
          note: defaultPartition
            ? `the CREATE scans the default partition ${defaultPartition.name} under an ACCESS EXCLUSIVE lock and fails while it holds rows of the range: move them first (pgarchitect partition maintain does)`
            : 'takes a brief ACCESS EXCLUSIVE lock on the parent (the new partition is empty)',
        };
        report({
          object: { type: 'partitioned table', schema: table.schema, name: table.name },
          message: `Partitioned table ${table.schema}.${table.name} has no partition from ${before.to.literal} to ${after.from.literal}, between ${before.partition.name} and ${after.partition.name}: ${where}.`,
          evidence: {
            partitionKey: table.partitionKey,
            gapFrom: before.to.literal,
            gapTo: after.from.literal,
            partitionBefore: before.partition.name,
            partitionAfter: after.partition.name,
            defaultPartition: defaultPartition?.name ?? null,
          },
          key: `${before.to.literal}..${after.from.literal}`,
          fix,
        });
      }
    }
  },
});
