import { definePlanRule, type PlanRelation } from '../plan-rule.js';
import { formatCount, formatShare, tableName } from './lib/plan-facts.js';

/**
 * The planner estimates from statistics taken by the last ANALYZE. A table that changed a lot since
 * (bulk loads, mass deletes, autovacuum behind or off for it) is planned for the data it used to hold.
 */
export default definePlanRule({
  meta: {
    id: 'stale-statistics',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A table in the plan changed a lot (or was never analyzed) since its statistics were taken.',
    fixable: true,
    defaultOptions: {
      /** Rows changed since the last ANALYZE below which a table is left alone. */
      minChangedRows: 1000,
      /** Share of the table's rows that must have changed since the last ANALYZE. */
      minChangedShare: 0.2,
    },
  },
  needs: ['relations'],
  check({ nodes, relations, options, report }) {
    for (const relation of relations ?? []) {
      if (!relation.statsVisible) continue;
      const id = nodes.findIndex((n) => n['Relation Name'] === relation.name && (n.Schema === undefined || n.Schema === relation.schema));
      if (id < 0) continue;
      const node = nodes[id]!;
      const live = relation.liveTuples ?? 0;
      const changed = relation.modsSinceAnalyze ?? 0;
      const never = relation.lastAnalyzed === null && relation.rowEstimate === null;
      const stale = changed >= options.minChangedRows && changed >= options.minChangedShare * Math.max(live, relation.rowEstimate ?? 0, 1);
      if (!(never ? Math.max(live, changed) >= options.minChangedRows : stale)) continue;
      report({
        node: id,
        message: never
          ? `Table ${relation.schema}.${relation.name} (about ${formatCount(Math.max(live, changed))} rows) has never been analyzed: the planner guesses its row counts and value distributions.`
          : `Table ${relation.schema}.${relation.name} had ${formatCount(changed)} rows inserted, updated or deleted since it was last analyzed (${formatShare(changed / Math.max(live, 1))} of its ${formatCount(live)} rows): the planner's estimates for it are stale.`,
        evidence: evidenceOf(relation),
        fix: {
          sql: `ANALYZE ${tableName(node, relation)};`,
          safeOnline: true,
          note: 'ANALYZE takes a SHARE UPDATE EXCLUSIVE lock, which does not block reads or writes. If autovacuum does not keep up with this table, lower its autovacuum_analyze_scale_factor (ALTER TABLE ... SET (autovacuum_analyze_scale_factor = 0.02)).',
        },
        key: `${relation.schema}.${relation.name}`,
      });
    }
  },
});

function evidenceOf(relation: PlanRelation): Record<string, unknown> {
  return {
    table: `${relation.schema}.${relation.name}`,
    liveTuples: relation.liveTuples,
    modsSinceAnalyze: relation.modsSinceAnalyze,
    rowEstimate: relation.rowEstimate,
    lastAnalyzed: relation.lastAnalyzed,
  };
}
