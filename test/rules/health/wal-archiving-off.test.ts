import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/wal-archiving-off.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

describe('wal-archiving-off', () => {
  test('fires on a primary with archive_mode off', async () => {
    const { findings, check } = await runCheck(rule, healthFacts());
    assert.equal(findings.length, 1);
    assert.deepEqual([findings[0]!.severity, findings[0]!.evidence], ['info', { archiveMode: 'off', walLevel: 'replica' }]);
    assert.equal(check!.examined, 'archive_mode = off');
  });

  test('near misses: archive_mode on; a standby', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ settings: { archive_mode: 'on' } }))).findings, []);
    const standby = healthFacts();
    standby.server.inRecovery = true;
    const run = await runCheck(rule, standby);
    assert.deepEqual([run.findings, run.check!.examined], [[], 'archive_mode = off (a standby: the primary archives)']);
  });
});
