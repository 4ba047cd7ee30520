import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/requested-checkpoints.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

describe('requested-checkpoints', () => {
  test('fires when requested checkpoints outnumber timed ones, with max_wal_size doubled', async () => {
    const facts = healthFacts({ checkpoints: { view: 'pg_stat_checkpointer', timed: 40, requested: 60, statsReset: null } });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.message, '60 of 100 checkpoints were requested rather than timed: WAL filled max_wal_size (1GB) before checkpoint_timeout came.');
    assert.equal(findings[0]!.fix!.sql, "ALTER SYSTEM SET max_wal_size = '2GB';\nSELECT pg_reload_conf();");
    assert.equal(check!.examined, '40 timed and 60 requested checkpoints since the statistics began (pg_stat_checkpointer)');
  });

  test('near misses: fewer than 10 requested, or fewer requested than timed', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ checkpoints: { view: 'pg_stat_bgwriter', timed: 1, requested: 9, statsReset: null } }))).findings, []);
    assert.deepEqual((await runCheck(rule, healthFacts({ checkpoints: { view: 'pg_stat_bgwriter', timed: 60, requested: 59, statsReset: null } }))).findings, []);
  });
});
