import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/pg-stat-statements-missing.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

describe('pg-stat-statements-missing', () => {
  test('not installed but loaded: CREATE EXTENSION, no restart', async () => {
    const facts = healthFacts({ statements: { installed: false, version: null, schema: null, preloaded: true, readable: null, error: null } });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.message, 'pg_stat_statements is not installed in database shop: there is no record of which statements cost the most.');
    assert.deepEqual([findings[0]!.fix!.sql, findings[0]!.fix!.safeOnline], ['CREATE EXTENSION pg_stat_statements;', true]);
    assert.equal(check!.examined, 'extension in database shop: not installed; in shared_preload_libraries: yes');
  });

  test('installed but not loaded: shared_preload_libraries keeps what it has, and a restart', async () => {
    const facts = healthFacts({
      settings: { shared_preload_libraries: 'auto_explain' },
      statements: { installed: true, version: '1.10', schema: 'public', preloaded: false, readable: false, error: 'pg_stat_statements must be loaded via "shared_preload_libraries"' },
    });
    const [f] = (await runCheck(rule, facts)).findings;
    assert.match(f!.message, /installed but cannot be read: pg_stat_statements must be loaded/);
    assert.equal(f!.fix!.sql, "ALTER SYSTEM SET shared_preload_libraries = 'auto_explain, pg_stat_statements';\n-- restart the server, then:");
    assert.equal(f!.fix!.safeOnline, false);
  });

  test('near miss: installed and readable', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts())).findings, []);
  });
});
