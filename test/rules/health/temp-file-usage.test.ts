import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/temp-file-usage.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

const GB = 1024 ** 3;
const activity = (tempFiles: number, tempBytes: number, transactions: number) => ({ tempFiles, tempBytes, blocksHit: 1, blocksRead: 0, transactions, statsReset: null });

describe('temp-file-usage', () => {
  test('fires from 1 GB of temporary files and 1 file per 1,000 transactions; suggests logging them', async () => {
    const { findings, check } = await runCheck(rule, healthFacts({ serverActivity: activity(500, 5 * GB, 100_000) }));
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^Queries wrote 500 temporary files, 5 GB in all \(10\.2 MB each on average, 5\.0 per 1,000 transactions\): sorts and hashes spill out of work_mem \(4MB\)\.$/);
    assert.equal(findings[0]!.fix!.sql, "ALTER SYSTEM SET log_temp_files = '10MB';\nSELECT pg_reload_conf();");
    assert.equal(check!.examined, '500 temporary files (5 GB) and 100,000 transactions in every database since the statistics began');
  });

  test('near misses: less than 1 GB; rare temporary files over many transactions; already logged: no fix', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ serverActivity: activity(500, GB - 1, 100_000) }))).findings, []);
    assert.deepEqual((await runCheck(rule, healthFacts({ serverActivity: activity(50, 5 * GB, 100_000) }))).findings, []);
    const logged = await runCheck(rule, healthFacts({ settings: { log_temp_files: '0' }, serverActivity: activity(500, 5 * GB, 100_000) }));
    assert.equal(logged.findings[0]!.fix, null);
  });
});
