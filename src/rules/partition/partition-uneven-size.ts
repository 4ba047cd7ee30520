import { formatBytes } from '../../report/format-bytes.js';
import { defineRule } from '../rule.js';
import { partitionedTables, rangeLayout, type RangeLayout } from './lib/ranges.js';

/**
 * Partitions are meant to be alike: similar size, so that pruning, VACUUM, retention and planning
 * costs are predictable. One partition many times the size of the others is a hot tenant in a list or
 * hash scheme, a range interval too coarse for the current data rate, or a backfill into one range;
 * it carries most of the table's maintenance cost and none of partitioning's benefits.
 */
export default defineRule({
  meta: {
    id: 'partition-uneven-size',
    category: 'partitioning',
    defaultSeverity: 'info',
    description: 'A partition is many times larger than the median partition of its table.',
    fixable: false,
    requires: ['live-server'],
    defaultOptions: {
      /** A partition this many times the median size is reported. */
      ratio: 10,
      /** Partitions smaller than this are never reported (bytes; default 100 MB). */
      minBytes: 100 * 1024 * 1024,
      /** Tables with fewer partitions (the default partition and current or future ranges left out) are not examined. */
      minPartitions: 3,
    },
  },
  check({ index, options, now, report }) {
    for (const table of partitionedTables(index)) {
      const layout = rangeLayout(index, table);
      const candidates = comparablePartitions(index.partitions(table), layout, now.getTime()).filter((p) => p.totalBytes !== null);
      if (candidates.length < Math.max(3, options.minPartitions)) continue;
      const sizes = candidates.map((p) => p.totalBytes!).sort((a, b) => a - b);
      const median = sizes.length % 2 ? sizes[(sizes.length - 1) / 2]! : (sizes[sizes.length / 2 - 1]! + sizes[sizes.length / 2]!) / 2;
      const large = candidates
        .filter((p) => p.totalBytes! >= options.minBytes && p.totalBytes! > options.ratio * Math.max(median, 8192))
        .sort((a, b) => b.totalBytes! - a.totalBytes!);
      if (large.length === 0) continue;
      const largest = large[0]!;
      report({
        object: { type: 'partitioned table', schema: table.schema, name: table.name },
        message:
          `Partition ${largest.schema}.${largest.name} of ${table.schema}.${table.name} is ${formatBytes(largest.totalBytes!)}, ` +
          `${Math.round(largest.totalBytes! / Math.max(median, 1))} times the median partition (${formatBytes(median)})` +
          `${large.length > 1 ? `; ${large.length - 1} more over ${options.ratio} times` : ''}: ` +
          (table.partitionStrategy === 'range' ? 'a finer interval (or sub-partitions) for that range keeps partitions alike.' : 'a hot key value; give it a partition of its own or sub-partition it.'),
        evidence: {
          partitionKey: table.partitionKey,
          largest: large.map((p) => ({ partition: p.name, bytes: p.totalBytes })),
          medianBytes: median,
          partitionsCompared: candidates.length,
          ratio: options.ratio,
          minBytes: options.minBytes,
        },
        fix: null,
      });
    }
  },
});

/** Partitions comparable by size: not the default one, and for time ranges not those still filling (holding now) or in the future. */
function comparablePartitions(partitions: readonly import('../../catalog/types.js').Table[], layout: RangeLayout | null, nowMs: number) {
  const filling = new Set<string>();
  if (layout && layout.kind !== 'integer') {
    for (const r of layout.ranges) if ((r.to.at as number) > nowMs) filling.add(r.partition.name);
  }
  return partitions.filter((p) => !p.isDefaultPartition && !filling.has(p.name));
}
