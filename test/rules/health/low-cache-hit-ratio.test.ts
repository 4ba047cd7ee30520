import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/low-cache-hit-ratio.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

const activity = (blocksHit: number, blocksRead: number) => ({ tempFiles: 0, tempBytes: 0, blocksHit, blocksRead, transactions: 1000, statsReset: '2026-05-01T00:00:00+00:00' });

describe('low-cache-hit-ratio', () => {
  test('fires below 99% of block reads found in shared_buffers', async () => {
    const { findings, check } = await runCheck(rule, healthFacts({ serverActivity: activity(950_000, 50_000) }));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.message, 'Only 95.00% of block reads were found in shared_buffers (below 99%): 50,000 of 1,000,000 went to the operating system or the disk.');
    assert.deepEqual([findings[0]!.evidence.ratio, findings[0]!.evidence.sharedBuffers], [0.95, '128MB']);
    assert.equal(check!.examined, '1,000,000 block reads in every database since 2026-05-01T00:00, 95.00% found in shared_buffers');
  });

  test('near misses: 99% exactly, too few reads to judge', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ serverActivity: activity(990_000, 10_000) }))).findings, []);
    assert.deepEqual((await runCheck(rule, healthFacts({ serverActivity: activity(5000, 4000) }))).findings, []);
  });

  test('not run when pg_stat_database could not be read', async () => {
    const { skipped } = await runCheck(rule, healthFacts({ serverActivity: null, unavailable: { serverActivity: 'cache hits and temporary files (pg_stat_database): permission denied for view pg_stat_database' } }));
    assert.match(skipped!.reason, /permission denied for view pg_stat_database/);
  });
});
