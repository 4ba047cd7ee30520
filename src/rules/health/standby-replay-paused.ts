import { defineHealthRule } from '../health-rule.js';
import { formatBytes } from '../../report/format-bytes.js';
import { duration, roundSeconds, serverObject } from './lib/words.js';

/**
 * A standby whose replay is paused keeps receiving WAL but applies none of it: its reads grow staler by
 * the second, a failover to it must first replay everything, and with hot_standby_feedback or a slot the
 * primary keeps the WAL and dead rows for it.
 */
export default defineHealthRule({
  meta: {
    id: 'standby-replay-paused',
    category: 'replication',
    defaultSeverity: 'warning',
    description: 'WAL replay is paused on this standby (pg_wal_replay_pause or a recovery target): it receives WAL but applies none.',
    fixable: true,
    defaultOptions: {},
  },
  needs: ['recovery'],
  examined(facts) {
    return `replay on this standby: ${facts.recovery!.replayPaused ? 'paused' : 'running'}`;
  },
  check({ facts, report }) {
    const recovery = facts.recovery!;
    if (!recovery.replayPaused) return;
    const pending = recovery.receivedNotReplayedBytes;
    report({
      object: serverObject(facts),
      message: `WAL replay is paused on this standby${pending !== null ? `: ${formatBytes(pending)} received and not applied` : ''}${recovery.lastReplaySeconds !== null ? `, last transaction replayed ${duration(recovery.lastReplaySeconds)} ago` : ''}. Its reads are stale and a failover to it waits for the replay.`,
      evidence: {
        replayPaused: true,
        receivedNotReplayedBytes: pending,
        lastReplaySeconds: roundSeconds(recovery.lastReplaySeconds),
        receiveLsn: recovery.receiveLsn,
        replayLsn: recovery.replayLsn,
      },
      fix: {
        sql: 'SELECT pg_wal_replay_resume();',
        safeOnline: true,
        note: 'run on the standby. If a recovery target paused it (recovery_target_action = pause), check that target first: resuming ends recovery there.',
      },
    });
  },
});
