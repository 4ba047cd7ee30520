import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/idle-in-transaction.js';
import { healthFacts, runCheck, session } from '../../health/facts-fixture.js';

describe('idle-in-transaction', () => {
  test('fires for a session idle in a transaction past minSeconds, an error past errorSeconds', async () => {
    const facts = healthFacts({
      activity: [
        session({ pid: 1, self: true, state: 'active' }),
        session({ pid: 7, state: 'idle in transaction', stateSeconds: 125, transactionSeconds: 130, xminAge: 420 }),
        session({ pid: 8, state: 'idle in transaction (aborted)', stateSeconds: 4000, transactionSeconds: 4000 }),
      ],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings.map((f) => [f.object.name, f.severity]), [['pid 8', 'error'], ['pid 7', 'warning']]);
    assert.equal(findings[1]!.message, 'Session pid 7 (web on shop as app) has been idle in a transaction for 2 min (transaction open for 2 min), holding back VACUUM by 420 transactions.');
    assert.match(findings[0]!.message, /idle in an aborted transaction for 67 min/);
    assert.equal(findings[1]!.fix!.sql, 'SELECT pg_terminate_backend(7);');
    assert.match(findings[1]!.fix!.note!, /idle_in_transaction_session_timeout/);
    assert.equal(findings[1]!.evidence.minSeconds, 60);
    assert.equal(check!.examined, '2 client sessions, 2 idle in a transaction');
  });

  test('near misses: idle in transaction for less than a minute, idle outside a transaction, hidden sessions are counted as such', async () => {
    const facts = healthFacts({
      activity: [session({ pid: 7, state: 'idle in transaction', stateSeconds: 59 }), session({ pid: 9, state: 'idle', stateSeconds: 9999 }), session({ pid: 10, state: null, hidden: true, backendType: null, query: null })],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings, []);
    assert.match(check!.examined, /^3 client sessions \(1 of other roles hidden from this role: GRANT pg_read_all_stats to see them\), 1 idle in a transaction$/);
  });
});
