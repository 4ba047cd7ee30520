import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/blocked-sessions.js';
import { healthFacts, runCheck, session } from '../../health/facts-fixture.js';

describe('blocked-sessions', () => {
  test('one finding per root blocker, with the whole tree under it', async () => {
    const facts = healthFacts({
      activity: [
        session({ pid: 1, self: true, state: 'active' }),
        session({ pid: 10, state: 'idle in transaction', stateSeconds: 300, transactionSeconds: 310, query: 'UPDATE accounts SET balance = 0 WHERE id = 1' }),
        session({ pid: 11, state: 'active', waitEventType: 'Lock', waitEvent: 'relation', blockedBy: [10], lockWaitSeconds: 42, query: 'ALTER TABLE accounts ADD COLUMN note text' }),
        session({ pid: 12, state: 'active', waitEventType: 'Lock', waitEvent: 'relation', blockedBy: [11], lockWaitSeconds: 30, query: 'SELECT * FROM accounts' }),
        session({ pid: 13, state: 'active', waitEventType: 'Lock', waitEvent: 'transactionid', blockedBy: [10], lockWaitSeconds: 3 }),
      ],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    assert.deepEqual(f.object, { type: 'session', name: 'pid 10' });
    assert.equal(f.message, 'Session pid 10 (web on shop as app) blocks 3 sessions, the longest waiting for 42 s; it is idle in transaction for 5 min.');
    assert.equal(f.severity, 'warning');
    assert.equal(f.evidence.blockedSessions, 3);
    const tree = f.evidence.tree as { pid: number; blocks: { pid: number; blocks: { pid: number }[] }[] };
    assert.deepEqual([tree.pid, tree.blocks.map((b) => b.pid), tree.blocks[0]!.blocks.map((b) => b.pid)], [10, [11, 13], [12]]);
    assert.equal(f.fix!.sql, 'SELECT pg_terminate_backend(10);');
    assert.match(check!.examined, /4 client sessions, 3 sessions waiting for a lock/);
  });

  test('an error from errorWaitSeconds; an active root gets its query cancelled', async () => {
    const facts = healthFacts({
      activity: [session({ pid: 20, state: 'active', querySeconds: 120 }), session({ pid: 21, state: 'active', waitEventType: 'Lock', blockedBy: [20], lockWaitSeconds: 90 })],
    });
    const [f] = (await runCheck(rule, facts)).findings;
    assert.equal(f!.severity, 'error');
    assert.equal(f!.fix!.sql, 'SELECT pg_cancel_backend(20);');
  });

  test('near miss: waits shorter than minWaitSeconds', async () => {
    const facts = healthFacts({ activity: [session({ pid: 20, state: 'idle in transaction' }), session({ pid: 21, waitEventType: 'Lock', blockedBy: [20], lockWaitSeconds: 4.9 })] });
    assert.deepEqual((await runCheck(rule, facts)).findings, []);
    assert.equal((await runCheck(rule, facts, { minWaitSeconds: 1 })).findings.length, 1);
  });
});
