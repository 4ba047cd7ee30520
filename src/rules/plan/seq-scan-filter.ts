import { analyseCondition, type ColumnCondition } from '../../plan/expressions.js';
import { definePlanRule } from '../plan-rule.js';
import { castKeepsIndex, existingIndexOn, formatCount, formatShare, nodeEvidence, proposeIndex, relationNames, relationOf } from './lib/plan-facts.js';

/**
 * A sequential scan reads every row of its table; when its filter then throws nearly all of them
 * away, the time went into rows nobody wanted. An index on the filtered columns reads only the rows
 * that match. The proposal puts equality columns first and one range column last, the order in which a
 * btree can use them.
 */
export default definePlanRule({
  meta: {
    id: 'seq-scan-filter',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A sequential scan reads many rows and its filter discards most of them: an index candidate.',
    fixable: true,
    defaultOptions: {
      /** Rows read (over all loops) below which a scan is left alone. */
      minRowsRead: 10000,
      /** Share of the rows read that the filter must discard. */
      minRemovedShare: 0.9,
    },
  },
  needs: ['analyze'],
  check({ nodes, analysis, relations, options, report }) {
    nodes.forEach((node, id) => {
      const metrics = analysis.nodes[id]!;
      if (node['Node Type'] !== 'Seq Scan' || typeof node.Filter !== 'string' || !metrics.loops) return;
      const returned = metrics.actualRows ?? 0;
      const removed = metrics.rowsRemovedByFilter ?? 0;
      const read = returned + removed;
      if (read < options.minRowsRead || removed / read < options.minRemovedShare) return;

      const relation = relationOf(node, relations);
      const condition = analyseCondition(node.Filter, relationNames(node));
      const usable = (condition?.conditions ?? []).filter((c) => castKeepsIndex(c.column, c.castTo, relation));
      const keys = indexKeys(usable);
      const existing = existingIndexOn(relation, keys);
      const evidence = {
        ...nodeEvidence(id, metrics),
        relation: node.Schema ? `${node.Schema}.${node['Relation Name']}` : node['Relation Name'],
        filter: node.Filter,
        rowsRead: read,
        rowsReturned: returned,
        rowsRemovedByFilter: removed,
        removedShare: Math.round((removed / read) * 10000) / 10000,
        sharedHitBlocks: node['Shared Hit Blocks'] ?? null,
        sharedReadBlocks: node['Shared Read Blocks'] ?? null,
      };
      const summary = `${metrics.label} reads ${formatCount(read)} rows${metrics.loops > 1 ? ` over ${formatCount(metrics.loops)} loops` : ''} and its filter ${node.Filter} discards ${formatShare(removed / read)} of them`;
      if (keys.length === 0 || existing) {
        report({
          node: id,
          message: existing
            ? `${summary}, although index ${existing} leads with (${keys.join(', ')}): the planner expected the index to cost more (check the estimates and the cast of the compared values).`
            : (condition?.conditions ?? []).some((c) => !castKeepsIndex(c.column, c.castTo, relation))
              ? `${summary}; the filter casts the column it compares to another type, so no index on the column could serve it (see implicit-cast-defeats-index).`
              : `${summary}; no part of the filter is a plain column comparison an index could serve.`,
          evidence: { ...evidence, existingIndex: existing },
          fix: null,
        });
        return;
      }
      const { suggestion, sql } = proposeIndex(node, relation, keys.map((column) => ({ column })));
      report({
        node: id,
        message: `${summary}: an index on ${node['Relation Name']} (${keys.join(', ')}) would read only the matching rows.`,
        evidence,
        fix: {
          sql,
          safeOnline: true,
          note: 'CREATE INDEX CONCURRENTLY does not block reads or writes but must run outside a transaction block. An index costs space and slows writes: check the query is frequent enough to pay for it.',
        },
        suggestedIndex: suggestion,
      });
    });
  },
});

/** Equality columns first (each once), then the first range column: the order a btree serves them in. */
function indexKeys(usable: ColumnCondition[]): string[] {
  const keys = [...new Set(usable.filter((c) => c.kind === 'equality').map((c) => c.column))];
  const range = usable.find((c) => c.kind === 'range' && !keys.includes(c.column));
  if (range) keys.push(range.column);
  return keys;
}
