import { matchesPattern } from '../../catalog/object-key.js';
import type { Fix } from '../../finding.js';
import { parseRetention, retentionCutoff } from '../../partition/retention.js';
import { qualifiedName } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { partitionedTables, rangeLayout, type RangePartition } from './lib/ranges.js';

/**
 * A retention policy that is not applied keeps data longer than promised (a privacy or contract
 * problem) and makes every partition-wide cost grow: VACUUM, backups, planning. Partitions entirely
 * older than the retention should have been detached; when they are still attached, the job that
 * applies retention (pgarchitect partition maintain, pg_partman) is not running.
 */
export default defineRule({
  meta: {
    id: 'partition-retention-overdue',
    category: 'partitioning',
    defaultSeverity: 'warning',
    description: 'A range-partitioned table with a retention period still has partitions entirely older than it.',
    fixable: true,
    defaultOptions: {
      /** Retention per table: `{"public.events": "12 months", "audit.*": "90 days"}` (patterns as in `ignore`). */
      retention: {} as Record<string, string>,
      /** Partitions past the retention by less than this are not reported yet (the job may run tonight). */
      graceDays: 1,
    },
  },
  check({ snapshot, index, options, now, report }) {
    const policies = Object.entries(options.retention ?? {});
    if (policies.length === 0) return;
    for (const table of partitionedTables(index)) {
      const policy = policies.find(([pattern]) => matchesPattern(pattern, `${table.schema}.${table.name}`));
      if (!policy) continue;
      const retention = parseRetention(String(policy[1]));
      const layout = rangeLayout(index, table);
      if (!retention || !layout || layout.kind === 'integer') continue;
      const cutoff = retentionCutoff(now.getTime() - Math.max(0, options.graceDays) * 86_400_000, retention, layout.kind);
      const overdue = layout.ranges.filter((r) => Number.isFinite(Number(r.to.at)) && (r.to.at as number) <= cutoff.at);
      if (overdue.length === 0) continue;
      const concurrently = snapshot.server.versionNum >= 140000 && !layout.defaultPartition;
      report({
        object: { type: 'partitioned table', schema: table.schema, name: table.name },
        message:
          `Partitioned table ${table.schema}.${table.name} keeps ${overdue.length} partition${overdue.length === 1 ? '' : 's'} entirely older than its retention of ${retention.text} ` +
          `(oldest: ${overdue[0]!.partition.name}, up to ${overdue[0]!.to.literal}): the retention job is not running.`,
        evidence: {
          retention: retention.text,
          cutoff: cutoff.literal,
          graceDays: options.graceDays,
          overdue: overdue.map((r) => ({ partition: r.partition.name, to: r.to.literal, bytes: r.partition.totalBytes })),
        },
        fix: retentionFix(table.schema, table.name, overdue, concurrently),
      });
    }
  },
});

function retentionFix(schema: string, name: string, overdue: RangePartition[], concurrently: boolean): Fix {
  const parent = qualifiedName(schema, name);
  const sql = overdue.flatMap((r) => {
    const partition = qualifiedName(r.partition.schema, r.partition.name);
    return [`ALTER TABLE ${parent} DETACH PARTITION ${partition}${concurrently ? ' CONCURRENTLY' : ''};`, `DROP TABLE ${partition};`];
  });
  return {
    sql: sql.join('\n'),
    safeOnline: concurrently,
    note:
      'DROP TABLE deletes the rows: archive them first if they must be kept (pgarchitect partition maintain can pg_dump each one before dropping it). ' +
      (concurrently ? 'DETACH … CONCURRENTLY must run outside a transaction block.' : 'Without CONCURRENTLY (PostgreSQL 13 or older, or a default partition exists) DETACH takes an ACCESS EXCLUSIVE lock on the table: set a short lock_timeout.'),
  };
}
