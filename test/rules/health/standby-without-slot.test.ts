import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/standby-without-slot.js';
import { healthFacts, runCheck, slot, standby } from '../../health/facts-fixture.js';

describe('standby-without-slot', () => {
  test('fires for a standby streaming without a slot when no WAL is kept for it', async () => {
    const { findings, check } = await runCheck(rule, healthFacts({ settings: { wal_keep_size: '0' }, standbys: [standby({ name: 'bare' }), standby({ name: 'slotted', slotName: 'slotted' })], slots: [slot({ name: 'slotted' })] }));
    assert.deepEqual(findings.map((f) => f.object.name), ['bare']);
    assert.match(findings[0]!.message, /^Standby bare streams without a replication slot and wal_keep_size is 0/);
    assert.equal(findings[0]!.fix!.sql, "SELECT pg_create_physical_replication_slot('bare');");
    assert.equal(check!.examined, '2 standbys, 1 through a slot (wal_keep_size = 0 MB)');
  });

  test('not with wal_keep_size set', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ settings: { wal_keep_size: '1024' }, standbys: [standby()] }))).findings, []);
  });
});
