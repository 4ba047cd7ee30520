import { defineHealthRule } from '../health-rule.js';
import { clientSessions, describeSession, duration, sessionEvidence, sessionObject, sessionsExamined } from './lib/words.js';

/**
 * A query running for many minutes holds its snapshot (VACUUM cannot clean behind it), its locks and
 * often a worker's worth of CPU and I/O; on a transactional server it is usually a runaway query, a
 * missing index or a report that belongs on a replica.
 */
export default defineHealthRule({
  meta: {
    id: 'long-running-query',
    category: 'connections',
    defaultSeverity: 'warning',
    description: 'A query has been running for a long time.',
    fixable: true,
    defaultOptions: {
      /** Report queries running for at least this many seconds. */
      minSeconds: 300,
      /** An error from this many seconds. */
      errorSeconds: 3600,
    },
  },
  needs: ['activity'],
  examined(facts) {
    const active = clientSessions(facts).visible.filter((s) => s.state === 'active').length;
    return `${sessionsExamined(facts)}, ${active} running a query`;
  },
  check({ facts, options, report }) {
    for (const session of clientSessions(facts).visible) {
      if (session.state !== 'active') continue;
      const seconds = session.querySeconds ?? 0;
      if (seconds < options.minSeconds) continue;
      report({
        object: sessionObject(session),
        message: `Session ${describeSession(session)} has been running its query for ${duration(seconds)}${session.waitEventType ? ` (now waiting: ${session.waitEventType} ${session.waitEvent ?? ''})` : ''}.`,
        severity: seconds >= options.errorSeconds ? 'error' : 'warning',
        evidence: { ...sessionEvidence(session), minSeconds: options.minSeconds },
        fix: {
          sql: `SELECT pg_cancel_backend(${session.pid});`,
          safeOnline: true,
          note: 'cancels the query (the session stays; its transaction is aborted). Before that, see with pgarchitect explain why it is slow; a statement_timeout for the role bounds such queries.',
        },
      });
    }
  },
});
