import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/multixact-wraparound.js';
import { healthFacts, runCheck, table } from '../../health/facts-fixture.js';

describe('multixact-wraparound', () => {
  test('fires past 1.25 times autovacuum_multixact_freeze_max_age, with the oldest tables to freeze', async () => {
    const facts = healthFacts({
      databases: [{ name: 'shop', xidAge: 1000, mxidAge: 600_000_000, allowConnections: true }],
      tables: [table({ name: 'locks_a_lot', mxidAge: 600_000_000 }), table({ name: 'quiet', mxidAge: 5 })],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^Database shop is 600,000,000 multixacts old \(27\.9% of the way to wraparound, 1,547,483,648 left\): past 1\.25 times autovacuum_multixact_freeze_max_age \(400,000,000\)/);
    assert.equal(findings[0]!.fix!.sql, 'VACUUM (FREEZE, VERBOSE) public.locks_a_lot;\nVACUUM (FREEZE, VERBOSE) public.quiet;');
    assert.match(check!.examined, /^1 database \(oldest: shop at 600,000,000 multixacts\); autovacuum_multixact_freeze_max_age = 400,000,000$/);
  });

  test('near miss: under 1.25 times', async () => {
    const facts = healthFacts({ databases: [{ name: 'shop', xidAge: 1000, mxidAge: 499_999_999, allowConnections: true }] });
    assert.deepEqual((await runCheck(rule, facts)).findings, []);
  });
});
