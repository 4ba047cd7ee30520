import { definePlanRule } from '../plan-rule.js';
import { currentWorkMem, formatCount, nodeEvidence, workMemFor } from './lib/plan-facts.js';

/** Bytes of work_mem a bitmap needs per heap page it remembers exactly (entry plus hash overhead). */
const BYTES_PER_EXACT_PAGE = 100;

/**
 * A bitmap that outgrows work_mem stops remembering which rows of a page matched and keeps only the
 * page ("lossy"); every row of those pages must then be read and checked again against the condition.
 */
export default definePlanRule({
  meta: {
    id: 'lossy-bitmap',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A bitmap heap scan went lossy (work_mem too small for the bitmap) and rechecked every row of those pages.',
    fixable: true,
    defaultOptions: {
      /** Lossy pages below which the scan is left alone. */
      minLossyBlocks: 100,
    },
  },
  needs: ['analyze'],
  check({ explain, nodes, analysis, options, report }) {
    nodes.forEach((node, id) => {
      if (node['Node Type'] !== 'Bitmap Heap Scan') return;
      const lossy = node['Lossy Heap Blocks'] ?? 0;
      if (lossy < options.minLossyBlocks) return;
      const m = analysis.nodes[id]!;
      const exact = node['Exact Heap Blocks'] ?? 0;
      const rechecked = (node['Rows Removed by Index Recheck'] ?? 0) * (m.loops ?? 1);
      const proposed = workMemFor(((exact + lossy) * BYTES_PER_EXACT_PAGE) / 1024);
      const workMem = currentWorkMem(explain.Settings);
      report({
        node: id,
        message: `${m.label} kept ${formatCount(lossy)} of ${formatCount(exact + lossy)} pages lossy because its bitmap did not fit in work_mem${workMem ? ` (${workMem})` : ''}, and rechecked every row on them, discarding ${formatCount(rechecked)}; with work_mem = '${proposed}' the bitmap would stay exact.`,
        evidence: {
          ...nodeEvidence(id, m),
          exactHeapBlocks: exact,
          lossyHeapBlocks: lossy,
          rowsRemovedByIndexRecheck: rechecked,
          recheckCond: node['Recheck Cond'] ?? null,
          workMem,
          proposedWorkMem: proposed,
        },
        fix: {
          sql: `SET work_mem = '${proposed}';`,
          safeOnline: true,
          note: 'Set it for this query only (SET LOCAL work_mem inside its transaction) or for the role that runs it, not server-wide. A more selective index condition makes the bitmap smaller too.',
        },
      });
    });
  },
});
