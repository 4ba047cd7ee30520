import { defineHealthRule } from '../health-rule.js';
import { duration, roundSeconds, serverObject } from './lib/words.js';

/**
 * A standby whose WAL receiver is not streaming falls further behind with every write on the primary:
 * it may be replaying from an archive (restore_command), waiting to reconnect, or cut off. Seen from the
 * primary it simply drops out of pg_stat_replication, so only the standby can say it.
 */
export default defineHealthRule({
  meta: {
    id: 'standby-not-streaming',
    category: 'replication',
    defaultSeverity: 'error',
    description: 'This standby is not streaming WAL from a primary: no WAL receiver runs, or it is not in the streaming state.',
    fixable: false,
    defaultOptions: {},
  },
  needs: ['recovery'],
  examined(facts) {
    const recovery = facts.recovery!;
    return `the WAL receiver of this standby (${recovery.receiverStatus ?? 'not running'}${recovery.sender ? `, from ${recovery.sender}` : ''})`;
  },
  check({ facts, report }) {
    const recovery = facts.recovery!;
    if (recovery.receiverStatus === 'streaming') return;
    const state = recovery.receiverStatus === null ? 'no WAL receiver is running' : `the WAL receiver is ${recovery.receiverStatus}`;
    report({
      object: serverObject(facts),
      message: `This standby is not streaming: ${state}${recovery.lastMessageSeconds !== null ? `, last message from the primary ${duration(recovery.lastMessageSeconds)} ago` : ''}. It only catches up from the WAL archive, if restore_command is set, and falls behind with every write on the primary.`,
      evidence: {
        receiverStatus: recovery.receiverStatus,
        sender: recovery.sender,
        slotName: recovery.slotName,
        lastMessageSeconds: roundSeconds(recovery.lastMessageSeconds),
        receiveLsn: recovery.receiveLsn,
        replayLsn: recovery.replayLsn,
      },
      fix: null,
    });
  },
});
