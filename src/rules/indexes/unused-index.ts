import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Index } from '../../catalog/types.js';
import { defineRule } from '../rule.js';
import { dropIndexFix } from './lib/index-shape.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An index nobody scans still costs on every write, in WAL, in vacuum and in cache. The server's own
 * usage counters say which indexes have not been scanned since statistics started counting.
 */
export default defineRule({
  meta: {
    id: 'unused-index',
    category: 'indexes',
    defaultSeverity: 'warning',
    description: 'An index has not been scanned once since statistics were reset.',
    fixable: true,
    requires: ['live-server', 'table-statistics'],
    defaultOptions: { minBytes: 1024 * 1024, minStatsAgeDays: 7 },
  },
  check({ snapshot, index, options, now, report }) {
    const since = snapshot.server.statsReset ?? snapshot.server.startedAt;
    const sinceWhat = snapshot.server.statsReset ? 'statistics were reset' : 'the server started';
    const ageDays = since ? Math.floor((now.getTime() - Date.parse(since)) / DAY_MS) : null;
    const tooYoung = ageDays === null || ageDays < options.minStatsAgeDays;
    const period = ageDays === null ? 'since statistics started (an unknown time ago)' : `in the ${ageDays} days since ${sinceWhat}`;

    for (const ix of index.designIndexes()) {
      // A unique index or a constraint's index works by existing, not by being scanned.
      if (ix.unique || ix.constraint !== null || !ix.valid) continue;
      const usage = ix.partitioned ? partitionUsage(ix, index) : ix.stats ? { scans: ix.stats.scans, bytes: ix.bytes } : null;
      if (!usage || usage.scans !== 0 || usage.bytes === null || usage.bytes < options.minBytes) continue;
      const name = `${ix.schema}.${ix.table}.${ix.name}`;
      const caution = tooYoung
        ? `; statistics cover only ${ageDays === null ? 'an unknown time' : `${ageDays} days`}, too short to be sure (no fix until they cover ${options.minStatsAgeDays})`
        : '';
      report({
        object: { type: 'index', schema: ix.schema, table: ix.table, name: ix.name },
        message: `Index ${name} has not been scanned ${period}${caution}.`,
        evidence: {
          scans: usage.scans,
          bytes: usage.bytes,
          statisticsSince: since,
          statisticsAgeDays: ageDays,
          lastScan: ix.stats?.lastScan ?? null,
          definition: ix.definition,
          partitioned: ix.partitioned,
        },
        fix: tooYoung
          ? null
          : dropIndexFix(
              ix,
              'counters are per server: check that replicas do not use it either, and that no monthly or yearly job needs it; an expression index also gives the planner statistics on its expression',
            ),
      });
    }
  },
});

/**
 * Scans and size of a partitioned index: the sums over the partitions' indexes attached to it, down to
 * the leaves. Unknown (null) when any leaf has no statistics.
 */
function partitionUsage(parent: Index, lookups: SnapshotIndex): { scans: number; bytes: number | null } | null {
  let scans = 0;
  let bytes: number | null = 0;
  for (const partition of lookups.partitions({ schema: parent.schema, name: parent.table })) {
    const child = lookups.indexesOf(partition).find((i) => i.parentIndex === parent.name);
    if (!child) continue;
    const usage = child.partitioned ? partitionUsage(child, lookups) : child.stats ? { scans: child.stats.scans, bytes: child.bytes } : null;
    if (!usage) return null;
    scans += usage.scans;
    bytes = bytes === null || usage.bytes === null ? null : bytes + usage.bytes;
  }
  return { scans, bytes };
}
