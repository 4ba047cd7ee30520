import { defineHealthRule } from '../health-rule.js';
import { duration, serverObject } from './lib/words.js';

const DAY = 86400;

/**
 * Usage counters (index scans, sequential scans, dead rows, cache hits, temporary files) count from the
 * last statistics reset. A few days of them miss the monthly job that needs an "unused" index and the
 * weekly report that spills to disk.
 */
export default defineHealthRule({
  meta: {
    id: 'statistics-recently-reset',
    category: 'observability',
    defaultSeverity: 'info',
    description: "The database's usage statistics were reset recently, so the counters cover too short a time to judge usage.",
    fixable: false,
    defaultOptions: {
      /** Statistics covering fewer days than this are too young. */
      minDays: 7,
    },
  },
  needs: [],
  examined(facts) {
    const s = facts.server;
    return s.statsReset ? `statistics of database ${s.database} reset ${duration(s.statsResetSeconds ?? 0)} ago (${s.statsReset.slice(0, 16)})` : `statistics of database ${s.database} never reset`;
  },
  check({ facts, options, report }) {
    const s = facts.server;
    if (s.statsResetSeconds === null || s.statsResetSeconds >= options.minDays * DAY) return;
    report({
      object: serverObject(facts),
      message: `Usage statistics of database ${s.database} were reset ${duration(s.statsResetSeconds)} ago: index scans, dead rows, cache hits and temporary files count only since then, under ${options.minDays} days; judge unused indexes and rare queries later.`,
      evidence: { statsReset: s.statsReset, days: Math.round((s.statsResetSeconds / DAY) * 10) / 10, minDays: options.minDays, checkpointStatsReset: facts.checkpoints?.statsReset ?? null },
      fix: null,
    });
  },
});
