import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/standby-query-conflicts.js';
import { runCheck, standbyFacts } from '../../health/facts-fixture.js';

const conflicts = (database: string, snapshot: number, lock = 0) => ({ database, tablespace: 0, lock, snapshot, bufferpin: 0, deadlock: 0, logicalSlot: null });

describe('standby-query-conflicts', () => {
  test('snapshot conflicts with hot_standby_feedback off: the fix turns it on', async () => {
    const { findings, check } = await runCheck(rule, standbyFacts({ conflicts: [conflicts('shop', 3), conflicts('other', 0)] }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^3 queries were cancelled on this standby by conflicts with replay \(3 snapshot\) in shop, with max_standby_streaming_delay = 30000 ms and hot_standby_feedback = off\. Snapshot conflicts mean VACUUM/);
    assert.match(findings[0]!.fix!.sql, /hot_standby_feedback = on/);
    assert.deepEqual(findings[0]!.evidence.byKind, { snapshot: 3, lock: 0, bufferpin: 0, deadlock: 0, tablespace: 0, logicalSlot: 0 });
    assert.match(check!.examined, /^2 databases in pg_stat_database_conflicts \(hot_standby_feedback = off/);
  });

  test('lock conflicts with feedback on: the fix raises the delay instead', async () => {
    const { findings } = await runCheck(rule, standbyFacts({ conflicts: [conflicts('shop', 0, 1)] }, { hot_standby_feedback: 'on' }));
    assert.match(findings[0]!.message, /^1 query was cancelled .*\(1 lock\)/);
    assert.match(findings[0]!.fix!.sql, /max_standby_streaming_delay/);
  });

  test('no conflicts, no finding', async () => {
    assert.deepEqual((await runCheck(rule, standbyFacts())).findings, []);
  });
});
