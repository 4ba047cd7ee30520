import { definePlanRule } from '../plan-rule.js';
import { formatCount, formatMs, formatShare, nodeEvidence } from './lib/plan-facts.js';

/**
 * A correlated subquery (in the SELECT list, or a condition the planner could not turn into a join)
 * runs once per row of the query around it: a thousand rows, a thousand runs. A join, or a LATERAL
 * join with aggregation, computes the same in one pass.
 */
export default definePlanRule({
  meta: {
    id: 'repeated-subplan',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A correlated subquery ran once per row of the outer query, many times over: rewrite it as a join.',
    fixable: false,
    defaultOptions: {
      /** Runs of the subplan from which it is examined. */
      minLoops: 100,
      /** Share of the total time the subplan must take (when the plan has times). */
      minTimeShare: 0.1,
      /** Milliseconds the subplan must take in all (when the plan has times). */
      minTimeMs: 10,
    },
  },
  needs: ['analyze'],
  check({ nodes, analysis, options, report }) {
    nodes.forEach((node, id) => {
      if (node['Parent Relationship'] !== 'SubPlan') return;
      const m = analysis.nodes[id]!;
      if ((m.loops ?? 0) < options.minLoops) return;
      const share = analysis.totalTimeMs && m.inclusiveTimeMs !== null ? m.inclusiveTimeMs / analysis.totalTimeMs : null;
      if (share !== null && (share < options.minTimeShare || m.inclusiveTimeMs! < options.minTimeMs)) return;
      const owner = m.parent === null ? null : analysis.nodes[m.parent]!;
      const name = node['Subplan Name'] ?? 'SubPlan';
      report({
        node: id,
        message:
          `${name} (${m.label}) ran ${formatCount(m.loops!)} times, once per row of ${owner?.label ?? 'its parent'}` +
          (m.inclusiveTimeMs !== null && share !== null ? `, ${formatMs(m.inclusiveTimeMs)} in all (${formatShare(share)} of the query)` : '') +
          `: rewrite the correlated subquery as a join (a LEFT JOIN to a grouped subquery, or LATERAL), which computes all rows in one pass.`,
        evidence: { ...nodeEvidence(id, m), subplan: name, runs: m.loops, inclusiveTimeMs: m.inclusiveTimeMs, share: share === null ? null : Math.round(share * 10000) / 10000, owner: owner?.label ?? null },
        fix: null,
        key: name,
      });
    });
  },
});
