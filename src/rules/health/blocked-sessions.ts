import type { Session } from '../../health/facts.js';
import { defineHealthRule } from '../health-rule.js';
import { describeSession, duration, plural, roundSeconds, sessionObject, sessionsExamined } from './lib/words.js';

/** A session in the blocking tree: who it is, what it does, and the sessions waiting for it. */
export interface BlockingNode {
  pid: number;
  user: string | null;
  application: string | null;
  state: string | null;
  /** Seconds it has waited for its lock (null for the root, which waits for nothing). */
  lockWaitSeconds: number | null;
  transactionSeconds: number | null;
  query: string | null;
  blocks: BlockingNode[];
}

/**
 * One session holding a lock can stall a whole queue: the sessions waiting for it, then those waiting
 * for them (an ALTER TABLE waiting behind a long transaction blocks every reader of the table). The
 * root of the tree is the session to deal with.
 */
export default defineHealthRule({
  meta: {
    id: 'blocked-sessions',
    category: 'connections',
    defaultSeverity: 'warning',
    description: 'Sessions wait for a lock another session holds; the finding names the root of the blocking tree.',
    fixable: true,
    defaultOptions: {
      /** Report a tree when one of its sessions has waited at least this many seconds. */
      minWaitSeconds: 5,
      /** An error from this many seconds. */
      errorWaitSeconds: 60,
    },
  },
  needs: ['activity'],
  examined(facts) {
    const waiting = (facts.activity ?? []).filter((s) => s.blockedBy.length > 0).length;
    return `${sessionsExamined(facts)}, ${plural(waiting, 'session')} waiting for a lock`;
  },
  check({ facts, options, report }) {
    const sessions = facts.activity!;
    const byPid = new Map(sessions.map((s) => [s.pid, s]));
    const waitersOf = new Map<number, Session[]>();
    for (const s of sessions) for (const blocker of s.blockedBy) waitersOf.set(blocker, [...(waitersOf.get(blocker) ?? []), s]);
    // Roots: blockers that wait for no lock themselves (a cycle is a deadlock, which the server breaks in a second).
    const roots = [...waitersOf.keys()].filter((pid) => (byPid.get(pid)?.blockedBy.length ?? 0) === 0).sort((a, b) => a - b);
    for (const pid of roots) {
      const seen = new Set<number>([pid]);
      const tree = node(pid, byPid, waitersOf, seen);
      const waiting = [...seen].filter((p) => p !== pid).map((p) => byPid.get(p)!);
      const longest = Math.max(...waiting.map((s) => s.lockWaitSeconds ?? 0));
      if (longest < options.minWaitSeconds) continue;
      const root = byPid.get(pid);
      const rootSession: Session = root ?? { pid, hidden: true, blockedBy: [] } as unknown as Session;
      const doing = !root || root.hidden ? 'its state is hidden from this role' : root.state === 'active' ? `it is running a query for ${duration(root.querySeconds ?? 0)}` : `it is ${root.state ?? 'a background process'}${root.stateSeconds !== null ? ` for ${duration(root.stateSeconds)}` : ''}`;
      const cancel = root?.state === 'active';
      report({
        object: sessionObject(rootSession),
        message: `Session ${describeSession(rootSession)} blocks ${plural(waiting.length, 'session')}, the longest waiting for ${duration(longest)}; ${doing}.`,
        severity: longest >= options.errorWaitSeconds ? 'error' : 'warning',
        evidence: {
          blockedSessions: waiting.length,
          longestWaitSeconds: roundSeconds(longest),
          minWaitSeconds: options.minWaitSeconds,
          backendType: root?.backendType ?? null,
          tree,
        },
        fix: {
          sql: cancel ? `SELECT pg_cancel_backend(${pid});` : `SELECT pg_terminate_backend(${pid});`,
          safeOnline: true,
          note:
            (cancel ? 'cancels its query (pg_terminate_backend ends the session if that is not enough); ' : 'ends the session and rolls its transaction back; ') +
            (root?.backendType === 'autovacuum worker' ? 'an autovacuum worker gives way by itself unless it is preventing wraparound. ' : '') +
            'a lock_timeout on the waiting side (SET lock_timeout for migrations) keeps a queue from forming behind DDL.',
        },
      });
    }
  },
});

function node(pid: number, byPid: Map<number, Session>, waitersOf: Map<number, Session[]>, seen: Set<number>): BlockingNode {
  const s = byPid.get(pid);
  const blocks: BlockingNode[] = [];
  for (const waiter of (waitersOf.get(pid) ?? []).sort((a, b) => a.pid - b.pid)) {
    if (seen.has(waiter.pid)) continue;
    seen.add(waiter.pid);
    blocks.push(node(waiter.pid, byPid, waitersOf, seen));
  }
  return {
    pid,
    user: s?.user ?? null,
    application: s?.application ?? null,
    state: s?.hidden ? 'hidden' : (s?.state ?? null),
    lockWaitSeconds: roundSeconds(s?.lockWaitSeconds ?? null),
    transactionSeconds: roundSeconds(s?.transactionSeconds ?? null),
    query: s?.query ?? null,
    blocks,
  };
}
