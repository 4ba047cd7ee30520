import { definePlanRule } from '../plan-rule.js';
import { formatCount, formatShare, nodeEvidence, relationOf, tableName } from './lib/plan-facts.js';

/**
 * An index-only scan skips the table only for pages the visibility map marks all-visible; every other
 * row is fetched from the table after all. Only VACUUM sets those bits, so a table that was loaded or
 * changed and not vacuumed since makes its index-only scans plain index scans.
 */
export default definePlanRule({
  meta: {
    id: 'index-only-heap-fetches',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'An index-only scan fetched many rows from the table because the visibility map is stale: VACUUM.',
    fixable: true,
    defaultOptions: {
      /** Heap fetches below which the scan is left alone. */
      minHeapFetches: 1000,
      /** Share of the rows returned that had to be fetched from the table. */
      minFetchShare: 0.1,
    },
  },
  needs: ['analyze'],
  check({ nodes, analysis, relations, options, report }) {
    nodes.forEach((node, id) => {
      if (node['Node Type'] !== 'Index Only Scan' || typeof node['Heap Fetches'] !== 'number') return;
      const m = analysis.nodes[id]!;
      // Heap Fetches is a total over all loops (unlike the per-loop row counts).
      const fetches = node['Heap Fetches'];
      const rows = Math.max(1, m.actualRows ?? 0);
      if (fetches < options.minHeapFetches || fetches / rows < options.minFetchShare) return;
      const table = tableName(node, relationOf(node, relations));
      report({
        node: id,
        message: `${m.label} fetched ${formatCount(fetches)} of its ${formatCount(m.actualRows ?? 0)} rows from the table (${formatShare(Math.min(1, fetches / rows))}): the visibility map of ${node['Relation Name']} is out of date, so the index-only scan reads the table anyway. VACUUM sets it.`,
        evidence: { ...nodeEvidence(id, m), heapFetches: fetches, rows: m.actualRows, indexName: node['Index Name'] ?? null },
        fix: {
          sql: `VACUUM (ANALYZE) ${table};`,
          safeOnline: true,
          note: 'VACUUM takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes, and must run outside a transaction block. If the table is mostly inserted into, let autovacuum visit it sooner: ALTER TABLE ... SET (autovacuum_vacuum_insert_scale_factor = 0.05).',
        },
      });
    });
  },
});
