import { defineHealthRule } from '../health-rule.js';
import { serverObject } from './lib/words.js';

/**
 * Without track_io_timing, EXPLAIN (ANALYZE, BUFFERS), pg_stat_statements and pg_stat_database count
 * blocks read but not the time spent reading them, so slow storage cannot be told from a slow plan.
 */
export default defineHealthRule({
  meta: {
    id: 'track-io-timing-off',
    category: 'observability',
    defaultSeverity: 'info',
    description: 'I/O timing is off (track_io_timing), so I/O time is missing from EXPLAIN, pg_stat_statements and pg_stat_database.',
    fixable: true,
    defaultOptions: {},
  },
  needs: [],
  examined(facts) {
    return `track_io_timing = ${facts.settings.track_io_timing?.setting ?? 'unknown'}`;
  },
  check({ facts, report }) {
    if (facts.settings.track_io_timing?.setting !== 'off') return;
    report({
      object: serverObject(facts),
      message: 'track_io_timing is off: block reads and writes are counted but not timed, so I/O time is missing from EXPLAIN (ANALYZE, BUFFERS), pg_stat_statements and pg_stat_database.',
      evidence: { trackIoTiming: 'off' },
      fix: {
        sql: 'ALTER SYSTEM SET track_io_timing = on;\nSELECT pg_reload_conf();',
        safeOnline: true,
        note: 'a reload is enough. It reads the clock twice per I/O: cheap on most systems; pg_test_timing shows the cost of the clock on this machine (under 100 ns per call is fine).',
      },
    });
  },
});
