import { defineHealthRule } from '../health-rule.js';
import { duration, formatBytes, plural, roundSeconds } from './lib/words.js';

const MB = 1024 * 1024;

/**
 * A standby behind the primary serves stale reads, loses the lagging part in a failover, and keeps the
 * primary's WAL (through its slot) until it catches up. Lag in bytes says how much is missing, lag in
 * time how old the standby's view is.
 */
export default defineHealthRule({
  meta: {
    id: 'replication-lag',
    category: 'replication',
    defaultSeverity: 'warning',
    description: 'A standby replays WAL far behind the primary, in bytes or in time, or is not streaming.',
    fixable: false,
    defaultOptions: {
      /** Warn from this much WAL not yet replayed on the standby. */
      warnBytes: 256 * MB,
      /** ...or from this many seconds of replay lag. */
      warnSeconds: 60,
      /** An error from this much WAL. */
      errorBytes: 4096 * MB,
      /** ...or this many seconds. */
      errorSeconds: 900,
    },
  },
  needs: ['standbys'],
  examined(facts) {
    const standbys = facts.standbys!;
    return standbys.length ? `${plural(standbys.length, 'standby', 'standbys')} (${standbys.map((s) => `${s.name}: ${s.state ?? 'unknown'}, ${s.syncState ?? 'async'}`).join('; ')})` : 'no standby connected (pg_stat_replication is empty)';
  },
  check({ facts, options, report }) {
    for (const standby of facts.standbys!) {
      const bytes = standby.replayLagBytes ?? 0;
      const seconds = standby.replayLagSeconds ?? 0;
      const streaming = standby.state === 'streaming';
      if (streaming && bytes < options.warnBytes && seconds < options.warnSeconds) continue;
      const error = bytes >= options.errorBytes || seconds >= options.errorSeconds;
      const lag = `${formatBytes(bytes)} of WAL not replayed yet${standby.replayLagSeconds !== null ? `, ${duration(seconds)} behind` : ''}`;
      report({
        object: { type: 'standby', name: standby.name },
        message: streaming
          ? `Standby ${standby.name} lags: ${lag} (warning from ${formatBytes(options.warnBytes)} or ${duration(options.warnSeconds)}).`
          : `Standby ${standby.name} is ${standby.state ?? 'in an unknown state'}, not streaming: ${lag}.`,
        severity: error ? 'error' : 'warning',
        evidence: {
          state: standby.state,
          syncState: standby.syncState,
          clientAddress: standby.clientAddress,
          replayLagBytes: standby.replayLagBytes,
          sendLagBytes: standby.sendLagBytes,
          writeLagSeconds: roundSeconds(standby.writeLagSeconds),
          flushLagSeconds: roundSeconds(standby.flushLagSeconds),
          replayLagSeconds: roundSeconds(standby.replayLagSeconds),
          warnBytes: options.warnBytes,
          warnSeconds: options.warnSeconds,
        },
        fix: null,
      });
    }
  },
});
