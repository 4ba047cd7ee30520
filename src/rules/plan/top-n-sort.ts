import { analyseCondition, analyseSortKeys, type SortColumn } from '../../plan/expressions.js';
import { definePlanRule } from '../plan-rule.js';
import { castKeepsIndex, existingIndexOn, formatCount, inputsOf, nodeEvidence, proposeIndex, relationNames, relationOf } from './lib/plan-facts.js';

/** Scans whose rows a Sort can be replaced with an index scan of the same table. */
const SCANS = new Set(['Seq Scan', 'Bitmap Heap Scan', 'Index Scan', 'Index Only Scan']);

/**
 * `ORDER BY ... LIMIT n` over a sort reads and sorts every matching row to return the first n. A btree
 * index whose keys are the filter's equality columns followed by the ORDER BY columns returns the rows
 * already in order, so the scan stops after n of them.
 */
export default definePlanRule({
  meta: {
    id: 'top-n-sort',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A LIMIT over a sort of a large set: an index on the ORDER BY columns would return the first rows directly.',
    fixable: true,
    defaultOptions: {
      /** Rows sorted (actual, or estimated without ANALYZE) below which the sort is left alone. */
      minRowsSorted: 10000,
    },
  },
  check({ nodes, analysis, relations, options, report }) {
    nodes.forEach((limit, id) => {
      if (limit['Node Type'] !== 'Limit') return;
      let sortId = inputsOf(id, nodes, analysis.nodes)[0];
      if (sortId !== undefined && nodes[sortId]!['Node Type'] === 'Gather Merge') sortId = inputsOf(sortId, nodes, analysis.nodes)[0];
      if (sortId === undefined || nodes[sortId]!['Node Type'] !== 'Sort') return;
      const sort = nodes[sortId]!;
      const inputId = inputsOf(sortId, nodes, analysis.nodes)[0];
      if (inputId === undefined) return;
      const input = nodes[inputId]!;
      const inputMetrics = analysis.nodes[inputId]!;
      const sorted = analysis.analyzed ? inputMetrics.actualRows : inputMetrics.estimatedRows;
      if (sorted === null || sorted < options.minRowsSorted) return;

      const limitRows = analysis.analyzed ? (analysis.nodes[id]!.actualRows ?? 0) : (limit['Plan Rows'] ?? 0);
      const evidence = {
        ...nodeEvidence(sortId, analysis.nodes[sortId]!),
        limitRows,
        rowsSorted: sorted,
        sortKey: sort['Sort Key'] ?? [],
        sortMethod: sort['Sort Method'] ?? null,
        input: inputMetrics.label,
      };
      const summary = `${analysis.nodes[sortId]!.label} of ${formatCount(sorted)} rows under a LIMIT of ${formatCount(limitRows)}${sort['Sort Method'] ? ` (${sort['Sort Method']})` : ''}: every matching row is read and sorted to return the first ${formatCount(limitRows)}`;
      const names = relationNames(input);
      const sortColumns = SCANS.has(input['Node Type']) ? analyseSortKeys(sort['Sort Key'] ?? [], names) : null;
      if (!sortColumns) {
        report({ node: sortId, message: `${summary}; the sort keys are not plain columns of one scanned table, so no index is proposed.`, evidence, fix: null });
        return;
      }
      const relation = relationOf(input, relations);
      const filter = typeof input.Filter === 'string' ? analyseCondition(input.Filter, names) : null;
      const equality = [...new Set((filter?.conditions ?? []).filter((c) => c.kind === 'equality' && castKeepsIndex(c.column, c.castTo, relation)).map((c) => c.column))].filter(
        (c) => !sortColumns.some((s) => s.column === c),
      );
      const keys = [...equality.map((column) => ({ column })), ...sortColumns.map((s) => ({ column: s.column, suffix: keySuffix(s, sortColumns) }))];
      const existing = existingIndexOn(relation, keys.map((k) => k.column));
      if (existing) {
        report({
          node: sortId,
          message: `${summary}, although index ${existing} has these keys: the planner expected the index scan to cost more (check the estimates, and that the directions of the ORDER BY match the index).`,
          evidence: { ...evidence, existingIndex: existing },
          fix: null,
        });
        return;
      }
      const { suggestion, sql } = proposeIndex(input, relation, keys);
      report({
        node: sortId,
        message: `${summary}; an index on ${input['Relation Name']} (${suggestion.keys.join(', ')}) returns them in order and stops after ${formatCount(limitRows)}.`,
        evidence,
        fix: {
          sql,
          safeOnline: true,
          note: 'CREATE INDEX CONCURRENTLY does not block reads or writes but must run outside a transaction block. A btree serves its order backwards too, so one index covers ORDER BY x and ORDER BY x DESC.',
        },
        suggestedIndex: suggestion,
      });
    });
  },
});

/**
 * DESC / NULLS only where a btree needs them: when every key has the same direction the index can
 * be read backwards, so plain ascending keys serve both ORDER BY x, y and ORDER BY x DESC, y DESC.
 */
function keySuffix(key: SortColumn, all: SortColumn[]): string | undefined {
  const uniform = all.every((k) => k.descending === all[0]!.descending && k.nullsFirst === null);
  if (uniform) return undefined;
  const parts: string[] = [];
  if (key.descending) parts.push('DESC');
  if (key.nullsFirst === true && !key.descending) parts.push('NULLS FIRST');
  if (key.nullsFirst === false && key.descending) parts.push('NULLS LAST');
  return parts.join(' ') || undefined;
}
