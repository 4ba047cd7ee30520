import type { NodeMetrics } from '../../plan/analyse.js';
import { analyseCondition } from '../../plan/expressions.js';
import type { PlanNode } from '../../plan/types.js';
import { quoteIdent } from '../../sql/quote.js';
import { definePlanRule } from '../plan-rule.js';
import { ancestorsOf, castKeepsIndex, formatCount, formatFactor, inputsOf, nodeEvidence, relationNames, relationOf, tableName } from './lib/plan-facts.js';

/** Nodes whose conditions the planner estimates from a table's column statistics. */
const SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Bitmap Index Scan']);

/**
 * The planner chooses join methods, join order and memory from its row estimates; an estimate off by
 * ten times or more where it starts (not merely inherited from a misestimated input) is where plans go
 * wrong. On a scan that tests several columns of one table, the usual cause is that the columns are
 * correlated (city and zip code) while the planner multiplies their selectivities as if independent:
 * extended statistics teach it the dependency.
 */
export default definePlanRule({
  meta: {
    id: 'row-misestimate',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A node returned ten times more or fewer rows than the planner estimated, and its inputs were estimated well.',
    fixable: true,
    defaultOptions: {
      /** Larger over smaller of estimated and actual rows per loop. */
      minFactor: 10,
      /** Left alone when both the estimate and the actual rows (over all loops) are below this. */
      minRows: 1000,
    },
  },
  needs: ['analyze'],
  check({ nodes, analysis, relations, options, report }) {
    nodes.forEach((node, id) => {
      const m = analysis.nodes[id]!;
      if (!m.loops || m.misestimateFactor === null || m.misestimateFactor < options.minFactor || !m.misestimate) return;
      if (Math.max(m.estimatedRows ?? 0, m.actualRows ?? 0) < options.minRows) return;
      const inputs = inputsOf(id, nodes, analysis.nodes);
      if (inputs.some((c) => inherited(analysis.nodes[c]!, m, options.minFactor))) return;
      if (m.misestimate === 'over' && stopsEarly(id, nodes, analysis.nodes)) return;

      const estimated = node['Plan Rows'] ?? 0;
      const actual = node['Actual Rows'] ?? 0;
      const way = m.misestimate === 'under' ? 'under' : 'over';
      const summary = `${m.label} returned ${formatCount(actual)} rows${m.loops > 1 ? ' per loop' : ''} where the planner estimated ${formatCount(estimated)} (${way}estimated ${formatFactor(m.misestimateFactor)}×)`;
      const evidence = {
        ...nodeEvidence(id, m),
        estimatedRows: estimated,
        actualRows: actual,
        factor: m.misestimateFactor,
        direction: m.misestimate,
        conditions: conditionsOf(node),
      };
      if (!SCANS.has(node['Node Type']) || (!node['Relation Name'] && node['Node Type'] !== 'Bitmap Index Scan')) {
        report({
          node: id,
          message: `${summary}, although its inputs were estimated well: the ${joinOrGroup(node)} columns are correlated or skewed in a way the statistics do not capture. Plans above it are chosen for the wrong row count.`,
          evidence,
          fix: null,
        });
        return;
      }
      const scan = scanOf(id, nodes, analysis.nodes);
      const relation = relationOf(scan, relations);
      const casts = castColumns(scan, relation);
      if (casts.length > 0) {
        report({
          node: id,
          message: `${summary}: its condition casts ${casts.join(', ')} to another type, and the planner has no statistics for the cast value, so it falls back to a default guess. Compare the column with a value of its own type (see implicit-cast-defeats-index).`,
          evidence: { ...evidence, castColumns: casts },
          fix: null,
        });
        return;
      }
      const columns = conditionColumns(scan, relation);
      const table = tableName(scan, relation);
      if (columns.length >= 2) {
        const schema = scan.Schema ?? relation?.schema;
        const name = `${schema ? `${quoteIdent(schema)}.` : ''}${quoteIdent(`${scan['Relation Name']}_${columns.join('_')}_stats`.slice(0, 63))}`;
        report({
          node: id,
          message: `${summary}. Its conditions test ${columns.join(', ')} of ${scan['Relation Name']} together, and the planner multiplies their selectivities as if the columns were independent: extended statistics on (${columns.join(', ')}) let it see how they go together.`,
          evidence: { ...evidence, correlatedColumns: columns },
          fix: {
            sql: `CREATE STATISTICS ${name} (dependencies, ndistinct, mcv) ON ${columns.map(quoteIdent).join(', ')} FROM ${table};\nANALYZE ${table};`,
            safeOnline: true,
            note: 'CREATE STATISTICS and ANALYZE take a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes. Unverified: compare the estimate after ANALYZE. If it stays off, the values may be skewed beyond what 100 most common values capture: raise the columns\' statistics target (ALTER TABLE ... ALTER COLUMN ... SET STATISTICS 1000).',
          },
        });
        return;
      }
      report({
        node: id,
        message: `${summary}. Refresh the statistics of ${scan['Relation Name']}; if the estimate stays off, the values are skewed beyond what the statistics sample: raise the statistics target of ${columns.length ? columns.join(', ') : 'the tested columns'}.`,
        evidence,
        fix: {
          sql: `ANALYZE ${table};`,
          safeOnline: true,
          note: `ANALYZE takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes.${columns.length ? ` If the estimate stays off: ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(columns[0]!)} SET STATISTICS 1000; then ANALYZE again.` : ''}`,
        },
      });
    });
  },
});

/** The input carries a misestimate of the same direction and size: the node only inherits it. */
function inherited(input: NodeMetrics, node: NodeMetrics, minFactor: number): boolean {
  return input.misestimate === node.misestimate && (input.misestimateFactor ?? 1) >= minFactor / 2;
}

/**
 * Fewer rows than estimated is expected under a node that stops reading early: a LIMIT, the inner side
 * of a semi or anti join, a merge join, an EXISTS subquery.
 */
function stopsEarly(id: number, nodes: readonly PlanNode[], metrics: readonly NodeMetrics[]): boolean {
  let child = id;
  for (const ancestor of ancestorsOf(id, metrics)) {
    const node = nodes[ancestor]!;
    const childRelationship = nodes[child]!['Parent Relationship'];
    if (node['Node Type'] === 'Limit' || node['Node Type'] === 'Merge Join') return true;
    if (['Semi', 'Anti'].includes(String(node['Join Type'])) && childRelationship === 'Inner') return true;
    if (childRelationship === 'SubPlan' || childRelationship === 'InitPlan') return true;
    child = ancestor;
  }
  return false;
}

/** For a Bitmap Index Scan, the Bitmap Heap Scan above it names the table. */
function scanOf(id: number, nodes: readonly PlanNode[], metrics: readonly NodeMetrics[]): PlanNode {
  const node = nodes[id]!;
  if (node['Node Type'] !== 'Bitmap Index Scan') return node;
  for (const ancestor of ancestorsOf(id, metrics)) if (nodes[ancestor]!['Node Type'] === 'Bitmap Heap Scan') return nodes[ancestor]!;
  return node;
}

/** Columns of the table that the scan's conditions compare with values, each once. */
function conditionColumns(scan: PlanNode, relation: ReturnType<typeof relationOf>): string[] {
  const columns: string[] = [];
  for (const text of conditionsOf(scan)) {
    for (const c of analyseCondition(text, relationNames(scan))?.conditions ?? []) {
      if (c.kind !== 'other' && castKeepsIndex(c.column, c.castTo, relation) && !columns.includes(c.column)) columns.push(c.column);
    }
  }
  return columns;
}

/** Columns the scan's conditions cast to another type (no statistics exist for the cast value). */
function castColumns(scan: PlanNode, relation: ReturnType<typeof relationOf>): string[] {
  const columns = conditionsOf(scan).flatMap((text) => analyseCondition(text, relationNames(scan))?.conditions ?? []);
  return [...new Set(columns.filter((c) => !castKeepsIndex(c.column, c.castTo, relation)).map((c) => c.column))];
}

function conditionsOf(node: PlanNode): string[] {
  return (['Index Cond', 'Recheck Cond', 'Filter', 'Hash Cond', 'Merge Cond', 'Join Filter'] as const)
    .map((key) => node[key])
    .filter((v): v is string => typeof v === 'string');
}

function joinOrGroup(node: PlanNode): string {
  if (node['Join Type'] || /Join|Nested Loop/.test(node['Node Type'])) return 'join';
  if (node['Node Type'] === 'Aggregate' || node['Node Type'] === 'Group' || node['Node Type'] === 'Unique') return 'grouping';
  return 'tested';
}
