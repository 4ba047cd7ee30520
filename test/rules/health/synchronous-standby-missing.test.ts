import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule, { requiredSynchronous } from '../../../src/rules/health/synchronous-standby-missing.js';
import { healthFacts, runCheck, standby } from '../../health/facts-fixture.js';

describe('synchronous-standby-missing', () => {
  test('reads the three forms of synchronous_standby_names', () => {
    assert.deepEqual(requiredSynchronous('replica1, "Replica 2"'), { count: 1, method: 'first', names: ['replica1', 'Replica 2'] });
    assert.deepEqual(requiredSynchronous('FIRST 2 (a, b, c)'), { count: 2, method: 'first', names: ['a', 'b', 'c'] });
    assert.deepEqual(requiredSynchronous('ANY 1 (a, b)'), { count: 1, method: 'any', names: ['a', 'b'] });
    assert.deepEqual(requiredSynchronous('2 (a, b)'), { count: 2, method: 'first', names: ['a', 'b'] });
    assert.equal(requiredSynchronous(''), null);
  });

  test('fires when fewer synchronous standbys are connected than required', async () => {
    const none = await runCheck(rule, healthFacts({ settings: { synchronous_standby_names: 'replica1' }, standbys: [standby({ name: 'other', syncState: 'async' })] }));
    assert.equal(none.findings[0]!.message, "synchronous_standby_names = 'replica1' requires 1 synchronous standby, and none is connected: with synchronous_commit = on, every commit that writes waits until one connects.");
    const one = await runCheck(rule, healthFacts({ settings: { synchronous_standby_names: 'ANY 2 (a, b, c)', synchronous_commit: 'remote_apply' }, standbys: [standby({ name: 'a', syncState: 'quorum' }), standby({ name: 'b', syncState: 'potential' })] }));
    assert.match(one.findings[0]!.message, /requires 2 synchronous standbys, and only 1 is connected \(a\): with synchronous_commit = remote_apply/);
  });

  test('not when enough are connected, nor when replication is asynchronous', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ settings: { synchronous_standby_names: 'replica1' }, standbys: [standby({ syncState: 'sync' })] }))).findings, []);
    const async = await runCheck(rule, healthFacts({ standbys: [standby()] }));
    assert.deepEqual(async.findings, []);
    assert.equal(async.check!.examined, 'synchronous_standby_names is empty: replication is asynchronous');
  });
});
