import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/standby-replay-paused.js';
import { healthFacts, runCheck, standbyFacts } from '../../health/facts-fixture.js';

describe('standby-replay-paused', () => {
  test('fires when replay is paused, with what waits to be applied', async () => {
    const { findings, check } = await runCheck(rule, standbyFacts({ replayPaused: true, receivedNotReplayedBytes: 3 * 1024 * 1024, lastReplaySeconds: 120 }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.message, 'WAL replay is paused on this standby: 3 MB received and not applied, last transaction replayed 2 min ago. Its reads are stale and a failover to it waits for the replay.');
    assert.equal(findings[0]!.fix!.sql, 'SELECT pg_wal_replay_resume();');
    assert.equal(check!.examined, 'replay on this standby: paused');
  });

  test('not while replay runs; not run on a primary', async () => {
    assert.deepEqual((await runCheck(rule, standbyFacts())).findings, []);
    const primary = await runCheck(rule, healthFacts());
    assert.match(primary.skipped!.reason, /this server is not a standby/);
  });
});
