import { defineHealthRule } from '../health-rule.js';
import { clientSessions, describeSession, duration, sessionEvidence, sessionObject, sessionsExamined } from './lib/words.js';

/**
 * A session idle inside an open transaction holds its locks (an ALTER TABLE then waits behind it, and
 * everything behind the ALTER) and its snapshot, which keeps VACUUM from removing any row that died
 * after it began, in every table of the database. Usually an application that forgot to commit.
 */
export default defineHealthRule({
  meta: {
    id: 'idle-in-transaction',
    category: 'connections',
    defaultSeverity: 'warning',
    description: 'A session has been idle inside an open transaction for a long time, holding its locks and snapshot.',
    fixable: true,
    defaultOptions: {
      /** Report sessions idle in transaction for at least this many seconds. */
      minSeconds: 60,
      /** An error from this many seconds. */
      errorSeconds: 1800,
    },
  },
  needs: ['activity'],
  examined(facts) {
    const idle = clientSessions(facts).visible.filter((s) => s.state?.startsWith('idle in transaction')).length;
    return `${sessionsExamined(facts)}, ${idle} idle in a transaction`;
  },
  check({ facts, options, report }) {
    const timeout = facts.settings.idle_in_transaction_session_timeout?.setting;
    for (const session of clientSessions(facts).visible) {
      if (!session.state?.startsWith('idle in transaction')) continue;
      const idle = session.stateSeconds ?? 0;
      if (idle < options.minSeconds) continue;
      const aborted = session.state.endsWith('(aborted)');
      report({
        object: sessionObject(session),
        message:
          `Session ${describeSession(session)} has been idle in ${aborted ? 'an aborted' : 'a'} transaction for ${duration(idle)} ` +
          `(transaction open for ${duration(session.transactionSeconds ?? idle)})${session.xminAge ? `, holding back VACUUM by ${session.xminAge.toLocaleString('en-US')} transactions` : ''}.`,
        severity: idle >= options.errorSeconds ? 'error' : 'warning',
        evidence: { ...sessionEvidence(session), minSeconds: options.minSeconds, idleInTransactionSessionTimeout: timeout ?? null },
        fix: {
          sql: `SELECT pg_terminate_backend(${session.pid});`,
          safeOnline: true,
          note:
            'ends the session and rolls its transaction back: the application sees its connection drop. ' +
            (timeout === '0' || timeout === undefined
              ? "To end such sessions automatically: ALTER ROLE <app role> SET idle_in_transaction_session_timeout = '5min' (or for the database). "
              : '') +
            'Then find in the application where the transaction is left open.',
        },
      });
    }
  },
});
