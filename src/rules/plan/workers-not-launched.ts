import { definePlanRule } from '../plan-rule.js';
import { formatCount, nodeEvidence } from './lib/plan-facts.js';

/**
 * The planner chose a parallel plan for the workers it planned; when fewer start (every slot of
 * max_parallel_workers or max_worker_processes is taken by other queries) the leader does the work
 * alone or with fewer helpers, and the query takes longer than the plan was costed for.
 */
export default definePlanRule({
  meta: {
    id: 'workers-not-launched',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A Gather launched fewer parallel workers than planned, so the query ran with less parallelism than it was planned for.',
    fixable: false,
    defaultOptions: {},
  },
  needs: ['analyze'],
  check({ explain, nodes, analysis, report }) {
    nodes.forEach((node, id) => {
      if (node['Node Type'] !== 'Gather' && node['Node Type'] !== 'Gather Merge') return;
      const planned = node['Workers Planned'];
      const launched = node['Workers Launched'];
      if (typeof planned !== 'number' || typeof launched !== 'number' || launched >= planned || !analysis.nodes[id]!.loops) return;
      const settings = explain.Settings ?? {};
      report({
        node: id,
        message: `${analysis.nodes[id]!.label} launched ${formatCount(launched)} of the ${formatCount(planned)} parallel workers planned: no free worker slots were left (max_parallel_workers${settings.max_parallel_workers ? ` = ${settings.max_parallel_workers}` : ''}, max_worker_processes), so ${launched === 0 ? 'the leader did all the work alone' : 'fewer processes did the work'}.`,
        evidence: {
          ...nodeEvidence(id, analysis.nodes[id]!),
          workersPlanned: planned,
          workersLaunched: launched,
          maxParallelWorkers: settings.max_parallel_workers ?? null,
          maxWorkerProcesses: settings.max_worker_processes ?? null,
        },
        fix: null,
      });
    });
  },
});
