import { equalityColumns } from '../../plan/expressions.js';
import { definePlanRule } from '../plan-rule.js';
import { existingIndexOn, formatCount, formatMs, formatShare, inputsOf, nodeEvidence, proposeIndex, relationNames, relationOf } from './lib/plan-facts.js';

/**
 * A nested loop runs its inner side once per outer row. That is the best plan for a few outer rows
 * and an indexed inner lookup, and the worst for thousands of outer rows and an inner scan: usually
 * the planner chose it because it expected few outer rows, or because no index serves the inner side.
 */
export default definePlanRule({
  meta: {
    id: 'nested-loop-many-loops',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A nested loop ran its inner side thousands of times and that took a large share of the time.',
    fixable: true,
    defaultOptions: {
      /** Loops of the inner side from which the loop is examined. */
      minLoops: 1000,
      /** Share of the total time the inner side must take (when the plan has times). */
      minTimeShare: 0.2,
      /** Milliseconds the inner side must take in all (when the plan has times). */
      minTimeMs: 10,
    },
  },
  needs: ['analyze'],
  check({ explain, nodes, analysis, relations, options, report }) {
    nodes.forEach((node, id) => {
      if (node['Node Type'] !== 'Nested Loop') return;
      const [outerId, innerId] = inputsOf(id, nodes, analysis.nodes);
      if (outerId === undefined || innerId === undefined) return;
      const inner = analysis.nodes[innerId]!;
      const outer = analysis.nodes[outerId]!;
      if ((inner.loops ?? 0) < options.minLoops) return;
      // The loop's time beyond its outer side: the inner side's own figure rounds to nothing when
      // each of many loops takes under a microsecond, as Postgres prints per-loop times.
      const loopTime = nodeTime(analysis.nodes[id]!.inclusiveTimeMs, outer.inclusiveTimeMs);
      const innerShare = analysis.totalTimeMs && loopTime !== null ? loopTime / analysis.totalTimeMs : null;
      if (innerShare !== null && (innerShare < options.minTimeShare || loopTime! < options.minTimeMs)) return;

      const disabled = ['enable_hashjoin', 'enable_mergejoin'].filter((name) => explain.Settings?.[name] === 'off');
      const outerUnderestimated = outer.misestimate === 'under' && (outer.misestimateFactor ?? 1) >= 10;
      const evidence = {
        ...nodeEvidence(id, analysis.nodes[id]!),
        inner: inner.label,
        innerLoops: inner.loops,
        innerTimeMs: loopTime,
        innerTimeShare: innerShare === null ? null : Math.round(innerShare * 10000) / 10000,
        outer: outer.label,
        outerRowsEstimated: outer.estimatedRows,
        outerRows: outer.actualRows,
        disabledJoinMethods: disabled,
      };
      const summary =
        `${analysis.nodes[id]!.label} ran ${inner.label} ${formatCount(inner.loops!)} times, once per row of ${outer.label}` +
        (loopTime !== null && innerShare !== null ? ` (${formatMs(loopTime)} in all, ${formatShare(innerShare)} of the query)` : '');
      const cause = disabled.length
        ? ` ${disabled.join(' and ')} ${disabled.length > 1 ? 'are' : 'is'} off for this query, which leaves the planner little else.`
        : outerUnderestimated
          ? ` The planner expected ${formatCount(outer.estimatedRows ?? 0)} outer rows: with the right estimate it would likely have chosen a hash join, so fix that estimate first (see row-misestimate).`
          : '';

      const innerNode = nodes[innerId]!;
      const joinText = [innerNode.Filter, node['Join Filter']].filter((t): t is string => typeof t === 'string').join(' AND ');
      const lookupColumns = innerNode['Node Type'] === 'Seq Scan' && joinText ? [...new Set(equalityColumns(joinText, relationNames(innerNode)))] : [];
      const relation = relationOf(innerNode, relations);
      if (lookupColumns.length > 0 && !existingIndexOn(relation, lookupColumns)) {
        const { suggestion, sql } = proposeIndex(innerNode, relation, lookupColumns.map((column) => ({ column })));
        report({
          node: id,
          message: `${summary}, scanning the whole table each time.${cause} An index on ${innerNode['Relation Name']} (${lookupColumns.join(', ')}) turns each loop into a lookup.`,
          evidence,
          fix: { sql, safeOnline: true, note: 'CREATE INDEX CONCURRENTLY does not block reads or writes but must run outside a transaction block.' },
          suggestedIndex: suggestion,
        });
        return;
      }
      report({
        node: id,
        message: `${summary}.${cause || ' A hash join would read the inner side once: check the outer row estimate, and that work_mem lets a hash of the inner side fit.'}`,
        evidence,
        fix: null,
      });
    });
  },
});

function nodeTime(loop: number | null, outer: number | null): number | null {
  return loop === null || outer === null ? null : Math.round(Math.max(0, loop - outer) * 1000) / 1000;
}
