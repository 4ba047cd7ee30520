import { definePlanRule } from '../plan-rule.js';
import { currentWorkMem, formatCount, inputsOf, nodeEvidence, workMemFor } from './lib/plan-facts.js';

/**
 * A hash join's hash table, or a hash aggregate's groups, that do not fit in hash_mem (work_mem ×
 * hash_mem_multiplier) are split into batches written to temporary files and read back. More batches
 * than planned also means the planner underestimated the input.
 */
export default definePlanRule({
  meta: {
    id: 'hash-batches',
    category: 'plan',
    defaultSeverity: 'warning',
    description: 'A hash (join or aggregate) was split into batches on disk because it did not fit in memory.',
    fixable: true,
    defaultOptions: {},
  },
  needs: ['analyze'],
  check({ explain, nodes, analysis, serverVersionNum, report }) {
    const multiplier = Number(explain.Settings?.hash_mem_multiplier ?? (serverVersionNum !== null && serverVersionNum < 150000 ? 1 : 2));
    nodes.forEach((node, id) => {
      const metrics = analysis.nodes[id]!;
      const hashJoin = node['Node Type'] === 'Hash' && (node['Hash Batches'] ?? 1) > 1;
      const hashAgg = node['Node Type'] === 'Aggregate' && (node['HashAgg Batches'] ?? 1) > 1;
      if (!hashJoin && !hashAgg) return;
      const batches = (hashJoin ? node['Hash Batches'] : node['HashAgg Batches'])!;
      const peakKb = node['Peak Memory Usage'] ?? 0;
      // The whole table is about one batch's peak times the batches (a hash join), or what stayed in
      // memory plus what went to disk (an aggregate); a quarter more for the overhead of holding it.
      const neededKb = (hashJoin ? peakKb * batches : peakKb + (node['Disk Usage'] ?? 0)) * 1.25;
      const proposed = workMemFor(neededKb / multiplier);
      const original = node['Original Hash Batches'];
      const input = inputsOf(id, nodes, analysis.nodes)[0];
      const inputRows = input === undefined ? null : analysis.nodes[input]!.actualRows;
      const workMem = currentWorkMem(explain.Settings);
      const grew = hashJoin && typeof original === 'number' && original < batches;
      report({
        node: id,
        message:
          `${metrics.label} was split into ${formatCount(batches)} batches${grew ? ` (the planner expected ${original})` : ''}: ` +
          `${inputRows !== null ? `${formatCount(inputRows)} rows ` : ''}did not fit in memory (work_mem${workMem ? ` ${workMem}` : ''} × hash_mem_multiplier ${multiplier}) and went through temporary files; ` +
          `with work_mem = '${proposed}' it would fit.`,
        evidence: {
          ...nodeEvidence(id, metrics),
          batches,
          originalBatches: hashJoin ? (original ?? null) : null,
          peakMemoryKb: peakKb,
          diskUsageKb: node['Disk Usage'] ?? null,
          tempReadBlocks: node['Temp Read Blocks'] ?? null,
          tempWrittenBlocks: node['Temp Written Blocks'] ?? null,
          inputRows,
          workMem,
          hashMemMultiplier: multiplier,
          proposedWorkMem: proposed,
        },
        fix: {
          sql: `SET work_mem = '${proposed}';`,
          safeOnline: true,
          note: `Set it for this query only (SET LOCAL work_mem inside its transaction) or for the role that runs it, not server-wide: every hash of every connection may use work_mem × hash_mem_multiplier.${grew ? ' The batches grew during execution: the input was larger than estimated, so check its estimate (ANALYZE) too.' : ''}`,
        },
      });
    });
  },
});
