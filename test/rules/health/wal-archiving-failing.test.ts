import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Archiver } from '../../../src/health/facts.js';
import rule from '../../../src/rules/health/wal-archiving-failing.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

function archiver(overrides: Partial<Archiver>): Archiver {
  return {
    archivedCount: 100,
    lastArchivedWal: '000000010000000000000063',
    lastArchivedTime: '2026-06-01T11:00:00+00:00',
    lastArchivedSeconds: 3600,
    failedCount: 0,
    lastFailedWal: null,
    lastFailedTime: null,
    failingNow: false,
    statsReset: null,
    currentWal: '000000010000000000000064',
    pendingSegments: 0,
    ...overrides,
  };
}

describe('wal-archiving-failing', () => {
  test('an error while the last attempt failed', async () => {
    const facts = healthFacts({ settings: { archive_mode: 'on' }, archiver: archiver({ failedCount: 3, lastFailedWal: '000000010000000000000064', lastFailedTime: '2026-06-01T11:59:00+00:00', failingNow: true }) });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.severity, 'error');
    assert.match(findings[0]!.message, /^WAL archiving fails: the last attempt, on 000000010000000000000064 at 2026-06-01T11:59:00, failed, and the last success was 60 min ago \(000000010000000000000063\)/);
    assert.equal(check!.examined, 'archive_mode = on: 100 WAL files archived and 3 failures since the statistics began, the last 60 min ago');
  });

  test('a warning when completed WAL files pile up', async () => {
    const [f] = (await runCheck(rule, healthFacts({ settings: { archive_mode: 'on' }, archiver: archiver({ pendingSegments: 20 }) }))).findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^WAL archiving falls behind: 20 completed WAL files wait to be archived \(warning from 16\)/);
  });

  test('near misses: archiving works; archive_mode off (another check); a standby with archive_mode = on', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ settings: { archive_mode: 'on' }, archiver: archiver({ failedCount: 2, lastFailedTime: '2026-06-01T10:00:00+00:00' }) }))).findings, []);
    const off = await runCheck(rule, healthFacts({ archiver: archiver({ failingNow: true }) }));
    assert.deepEqual([off.findings, off.check!.examined], [[], 'archive_mode = off: nothing is archived (see wal-archiving-off)']);
    const standby = healthFacts({ settings: { archive_mode: 'on' }, archiver: archiver({ failingNow: true }) });
    standby.server.inRecovery = true;
    assert.deepEqual((await runCheck(rule, standby)).findings, []);
  });
});
