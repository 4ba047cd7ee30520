import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/connections-near-limit.js';
import { healthFacts, runCheck, session } from '../../health/facts-fixture.js';

function clients(n: number, state = 'idle') {
  return Array.from({ length: n }, (_, i) => session({ pid: 1000 + i, state }));
}

describe('connections-near-limit', () => {
  test('a warning from 80% of max_connections less the reserved slots, an error from 95%', async () => {
    // 20 allowed, 3 reserved: 17 available.
    const warn = await runCheck(rule, healthFacts({ settings: { max_connections: '20' }, activity: clients(14) }));
    assert.equal(warn.findings.length, 1);
    assert.equal(warn.findings[0]!.severity, 'warning');
    assert.match(warn.findings[0]!.message, /^14 of the 17 connections clients may open are in use \(82%\)/);
    assert.deepEqual(warn.findings[0]!.evidence.byState, { idle: 14 });
    const error = await runCheck(rule, healthFacts({ settings: { max_connections: '20', reserved_connections: '2' }, activity: clients(15, 'active') }));
    assert.equal(error.findings[0]!.severity, 'error');
    assert.equal(error.findings[0]!.evidence.available, 15);
  });

  test('near miss: 13 of 17', async () => {
    const { findings, check } = await runCheck(rule, healthFacts({ settings: { max_connections: '20' }, activity: clients(13) }));
    assert.deepEqual(findings, []);
    assert.equal(check!.examined, '13 client connections of 17 available (max_connections 20 less 3 reserved)');
  });
});
