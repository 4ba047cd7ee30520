import { definePlanRule } from '../plan-rule.js';
import { currentWorkMem, formatCount, nodeEvidence, workMemFor } from './lib/plan-facts.js';

/**
 * A sort that does not fit in work_mem writes runs to temporary files and merges them: disk I/O that
 * an in-memory quicksort avoids. The sort needs somewhat more memory than the space it used on disk
 * (tuples in memory carry headers), so the proposed work_mem is twice the disk space, rounded up.
 */
export default definePlanRule({
  meta: {
    id: 'sort-spill',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A sort spilled to disk because it did not fit in work_mem.',
    fixable: true,
    defaultOptions: {
      /** Spills smaller than this (kB) are left alone. */
      minDiskKb: 1024,
    },
  },
  needs: ['analyze'],
  check({ explain, nodes, analysis, options, report }) {
    nodes.forEach((node, id) => {
      if (node['Node Type'] !== 'Sort' && node['Node Type'] !== 'Incremental Sort') return;
      const diskKb = Math.max(diskOf(node), ...(node.Workers ?? []).map(diskOf));
      if (diskKb === 0 || diskKb < options.minDiskKb) return;
      const metrics = analysis.nodes[id]!;
      const workMem = currentWorkMem(explain.Settings);
      const proposed = workMemFor(diskKb * 2);
      report({
        node: id,
        message: `${metrics.label} spilled to disk (${node['Sort Method']}, ${formatCount(diskKb)} kB in temporary files${node.Workers?.length ? ' in the largest process' : ''}) because the rows did not fit in work_mem${workMem ? ` (${workMem})` : ''}; with work_mem = '${proposed}' it would sort in memory.`,
        evidence: {
          ...nodeEvidence(id, metrics),
          sortMethod: node['Sort Method'] ?? null,
          sortKey: node['Sort Key'] ?? [],
          diskKb,
          tempReadBlocks: node['Temp Read Blocks'] ?? null,
          tempWrittenBlocks: node['Temp Written Blocks'] ?? null,
          workMem,
          proposedWorkMem: proposed,
        },
        fix: {
          sql: `SET work_mem = '${proposed}';`,
          safeOnline: true,
          note: `Set it for this query only (SET LOCAL work_mem inside its transaction) or for the role that runs it (ALTER ROLE ... SET work_mem), not server-wide: every sort and hash of every connection may use that much. An index that returns the rows in the ORDER BY order avoids the sort altogether.`,
        },
      });
    });
  },
});

/** kB a sort (or one worker's share of it) wrote to disk. */
function diskOf(node: Record<string, unknown>): number {
  if (node['Sort Space Type'] === 'Disk' && typeof node['Sort Space Used'] === 'number') return node['Sort Space Used'];
  return 0;
}
