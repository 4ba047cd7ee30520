import { analyseCondition } from '../../plan/expressions.js';
import { definePlanRule } from '../plan-rule.js';
import { castKeepsIndex, displayTypeName, relationNames, relationOf, nodeEvidence } from './lib/plan-facts.js';

/** Scan nodes whose Filter tests rows one by one. */
const SCANS = new Set(['Seq Scan', 'Bitmap Heap Scan', 'Index Scan', 'Index Only Scan']);

/**
 * Compared with a value of another type, a column is cast to that type in every row
 * (`(id)::numeric = 42.0`), and an index on the column, which holds its values in the column's own
 * type, cannot serve the comparison. The query reads the whole table instead of one index entry.
 */
export default definePlanRule({
  meta: {
    id: 'implicit-cast-defeats-index',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A filter casts an indexed column to the type of the value it is compared with, so the index cannot be used.',
    fixable: false,
    defaultOptions: {},
  },
  needs: ['relations'],
  check({ nodes, analysis, relations, report }) {
    nodes.forEach((node, id) => {
      if (!SCANS.has(node['Node Type']) || typeof node.Filter !== 'string') return;
      const relation = relationOf(node, relations);
      if (!relation) return;
      for (const condition of analyseCondition(node.Filter, relationNames(node))?.conditions ?? []) {
        if (castKeepsIndex(condition.column, condition.castTo, relation)) continue;
        const index = relation.indexes.find((i) => i.columns[0] === condition.column && !i.partial && i.method === 'btree');
        if (!index) continue;
        const columnType = relation.columns.find((c) => c.name === condition.column)?.type ?? 'unknown';
        const castType = displayTypeName(condition.castTo!);
        report({
          node: id,
          message: `${analysis.nodes[id]!.label} compares ${relation.name}.${condition.column} (${columnType}) as ${castType} (${node.Filter}): the column is cast in every row, so index ${index.name} on (${index.columns.join(', ')}) cannot be used. Compare it with a value of type ${columnType} instead: write the literal in the column's type, cast the value rather than the column, or bind the parameter with the column's type.`,
          evidence: { ...nodeEvidence(id, analysis.nodes[id]!), column: `${relation.schema}.${relation.name}.${condition.column}`, columnType, castTo: castType, filter: node.Filter, index: index.name },
          fix: null,
          key: condition.column,
        });
      }
    });
  },
});
