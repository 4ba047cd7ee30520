import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/inactive-replication-slot.js';
import { healthFacts, runCheck, slot } from '../../health/facts-fixture.js';

const GB = 1024 ** 3;

describe('inactive-replication-slot', () => {
  test('fires for an inactive slot retaining WAL, holding back VACUUM, or lost; graded by what it keeps', async () => {
    const facts = healthFacts({
      slots: [
        slot({ name: 'old_standby', active: false, retainedBytes: 64 * 1024 * 1024, inactiveSeconds: 7200 }),
        slot({ name: 'big', active: false, retainedBytes: 12 * GB }),
        slot({ name: 'cdc', type: 'logical', plugin: 'pgoutput', database: 'shop', active: false, retainedBytes: 1024, catalogXminAge: 5000 }),
        slot({ name: 'gone', active: false, restartLsn: null, retainedBytes: null, walStatus: 'lost', invalidationReason: 'wal_removed' }),
      ],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings.map((f) => [f.object.name, f.severity]), [['big', 'error'], ['gone', 'error'], ['cdc', 'warning'], ['old_standby', 'warning']]);
    const old = findings.find((f) => f.object.name === 'old_standby')!;
    assert.deepEqual(old.object, { type: 'replication slot', name: 'old_standby' });
    assert.equal(old.message, 'Replication slot old_standby (physical) has no consumer connected for 2.0 h and keeps 64 MB of WAL.');
    assert.equal(old.fix!.sql, "SELECT pg_drop_replication_slot('old_standby');");
    assert.match(old.fix!.note!, /max_slot_wal_keep_size = -1/);
    assert.match(findings.find((f) => f.object.name === 'cdc')!.message, /on shop\) has no consumer connected and keeps 1 kB of WAL and holds back VACUUM by 5,000 transactions \(system catalogs\)/);
    assert.match(findings.find((f) => f.object.name === 'gone')!.message, /has lost the WAL its consumer needs \(wal_removed\)/);
    assert.equal(check!.examined, '4 replication slots (4 inactive)');
  });

  test('near misses: an active slot, a temporary one, an inactive one that reserves no WAL', async () => {
    const facts = healthFacts({ slots: [slot({ active: true }), slot({ name: 'tmp', active: false, temporary: true }), slot({ name: 'unreserved', active: false, restartLsn: null, retainedBytes: null })] });
    assert.deepEqual((await runCheck(rule, facts)).findings, []);
    assert.equal((await runCheck(rule, healthFacts())).check!.examined, 'no replication slot');
  });
});
