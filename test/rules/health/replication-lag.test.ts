import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/replication-lag.js';
import { healthFacts, runCheck, standby } from '../../health/facts-fixture.js';

const MB = 1024 * 1024;

describe('replication-lag', () => {
  test('fires per standby past the bytes or time threshold, or not streaming', async () => {
    const facts = healthFacts({
      standbys: [
        standby({ name: 'far', replayLagBytes: 512 * MB, replayLagSeconds: 20 }),
        standby({ name: 'slow', replayLagBytes: 10 * MB, replayLagSeconds: 1200 }),
        standby({ name: 'catching', state: 'catchup', replayLagBytes: 10 * MB }),
        standby({ name: 'fine', replayLagBytes: 1024, replayLagSeconds: 0.2 }),
      ],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings.map((f) => [f.object.name, f.severity]), [['slow', 'error'], ['catching', 'warning'], ['far', 'warning']]);
    assert.equal(findings.find((f) => f.object.name === 'far')!.message, 'Standby far lags: 512 MB of WAL not replayed yet, 20 s behind (warning from 256 MB or 60 s).');
    assert.match(findings.find((f) => f.object.name === 'catching')!.message, /^Standby catching is catchup, not streaming/);
    assert.match(check!.examined, /^4 standbys \(far: streaming, async; slow/);
  });

  test('no standby: examined says so; on a standby the check does not run', async () => {
    const none = await runCheck(rule, healthFacts());
    assert.deepEqual([none.findings, none.check!.examined], [[], 'no standby connected (pg_stat_replication is empty)']);
    const onStandby = await runCheck(rule, healthFacts({ standbys: null, unavailable: { standbys: 'standbys (pg_stat_replication): this server is a standby: lag is measured on the primary' } }));
    assert.match(onStandby.skipped!.reason, /this server is a standby/);
  });
});
