import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/track-io-timing-off.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

describe('track-io-timing-off', () => {
  test('fires when track_io_timing is off, with the reloadable fix', async () => {
    const { findings, check } = await runCheck(rule, healthFacts());
    assert.equal(findings.length, 1);
    assert.deepEqual([findings[0]!.object, findings[0]!.severity], [{ type: 'server', name: 'shop' }, 'info']);
    assert.equal(findings[0]!.fix!.sql, 'ALTER SYSTEM SET track_io_timing = on;\nSELECT pg_reload_conf();');
    assert.equal(check!.examined, 'track_io_timing = off');
  });

  test('near miss: on', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ settings: { track_io_timing: 'on' } }))).findings, []);
  });
});
