import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/statistics-recently-reset.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

describe('statistics-recently-reset', () => {
  test('fires when the statistics were reset less than 7 days ago', async () => {
    const facts = healthFacts();
    facts.server.statsReset = '2026-05-30T12:00:00+00:00';
    facts.server.statsResetSeconds = 2 * 86400;
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^Usage statistics of database shop were reset 2\.0 days ago/);
    assert.equal(findings[0]!.evidence.days, 2);
    assert.equal(check!.examined, 'statistics of database shop reset 2.0 days ago (2026-05-30T12:00)');
  });

  test('near misses: reset 8 days ago; never reset', async () => {
    const old = healthFacts();
    old.server.statsReset = '2026-05-24T12:00:00+00:00';
    old.server.statsResetSeconds = 8 * 86400;
    assert.deepEqual((await runCheck(rule, old)).findings, []);
    const never = await runCheck(rule, healthFacts());
    assert.deepEqual([never.findings, never.check!.examined], [[], 'statistics of database shop never reset']);
  });
});
