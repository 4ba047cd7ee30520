import { definePlanRule } from '../plan-rule.js';
import { formatCount, formatMs, formatShare, nodeEvidence } from './lib/plan-facts.js';

/**
 * JIT compiles the query's expressions to machine code when its estimated cost passes jit_above_cost.
 * For a query that runs in milliseconds the compilation can cost more than it saves: the estimate was
 * high, the work was not.
 */
export default definePlanRule({
  meta: {
    id: 'jit-dominates',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'JIT compilation took a large share of the execution time.',
    fixable: true,
    defaultOptions: {
      /** Share of the execution time spent compiling. */
      minShare: 0.3,
      /** Compilation time (ms) below which it is left alone. */
      minTimeMs: 10,
    },
  },
  needs: ['analyze'],
  check({ explain, analysis, options, report }) {
    const jit = analysis.jitTimeMs;
    const total = analysis.executionTimeMs;
    if (jit === null || !total || jit < options.minTimeMs || jit / total < options.minShare) return;
    const timing = explain.JIT?.Timing ?? {};
    const settings = explain.Settings ?? {};
    const cost = explain.Plan['Total Cost'] ?? 0;
    report({
      node: 0,
      message: `JIT compilation took ${formatMs(jit)} of the ${formatMs(total)} the query ran (${formatShare(jit / total)}), compiling ${formatCount(explain.JIT?.Functions ?? 0)} functions because the plan's estimated cost ${formatCount(cost)} passed jit_above_cost${settings.jit_above_cost ? ` (${settings.jit_above_cost})` : ''}.`,
      evidence: {
        ...nodeEvidence(0, analysis.nodes[0]!),
        jitTimeMs: jit,
        executionTimeMs: total,
        jitShare: Math.round((jit / total) * 10000) / 10000,
        functions: explain.JIT?.Functions ?? null,
        timing,
        options: explain.JIT?.Options ?? null,
        totalCost: cost,
      },
      fix: {
        sql: 'SET jit = off;',
        safeOnline: true,
        note: `For this query or the role that runs it. Server-wide, raise jit_above_cost (default 100000), jit_inline_above_cost and jit_optimize_above_cost (default 500000) above the cost of such queries instead of turning JIT off for the long analytical ones that gain from it.${cost > 1e6 ? ' The estimated cost is far above what the query did: check for misestimates.' : ''}`,
      },
    });
  },
});
