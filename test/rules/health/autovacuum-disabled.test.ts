import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/autovacuum-disabled.js';
import { healthFacts, runCheck, stats, table } from '../../health/facts-fixture.js';

describe('autovacuum-disabled', () => {
  test('fires for a table with autovacuum off and dead rows, with its fix; info when nothing changes yet', async () => {
    const facts = healthFacts({
      tables: [
        table({ name: 'churn', reloptions: ['autovacuum_enabled=false'], stats: stats({ deadTuples: 5000, modsSinceAnalyze: 6000 }) }),
        table({ name: 'lookup', reloptions: ['autovacuum_enabled=off'], stats: stats({ deadTuples: 0, modsSinceAnalyze: 0 }) }),
        table({ name: 'normal', stats: stats({ deadTuples: 5000 }) }),
      ],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings.map((f) => [f.object.name, f.severity]), [['churn', 'warning'], ['lookup', 'info']]);
    assert.match(findings[0]!.message, /Autovacuum is off for public\.churn \(autovacuum_enabled = false\): it has 5,000 dead rows/);
    assert.equal(findings[0]!.evidence.vacuumTrigger, 250);
    assert.deepEqual(findings[0]!.evidence.tableSettings, ['autovacuum_enabled=false']);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public.churn RESET (autovacuum_enabled);\nVACUUM (ANALYZE) public.churn;');
    assert.match(check!.examined, /^3 tables and 0 system catalogs \(2 with autovacuum off for the table\); autovacuum = on, track_counts = on$/);
  });

  test('an error for the whole server when autovacuum or track_counts is off', async () => {
    for (const setting of ['autovacuum', 'track_counts']) {
      const { findings } = await runCheck(rule, healthFacts({ settings: { [setting]: 'off' }, tables: [table({ stats: stats({ deadTuples: 10 }) })] }));
      assert.equal(findings.length, 1, setting);
      assert.deepEqual([findings[0]!.object.type, findings[0]!.severity], ['server', 'error']);
      assert.equal(findings[0]!.fix!.sql, `ALTER SYSTEM SET ${setting} = on;\nSELECT pg_reload_conf();`);
    }
  });

  test('near misses: autovacuum_enabled=true, an empty table with autovacuum off', async () => {
    const facts = healthFacts({
      tables: [table({ reloptions: ['autovacuum_enabled=true'] }), table({ name: 'empty', rowEstimate: 0, reloptions: ['autovacuum_enabled=false'], stats: stats({ liveTuples: 0 }) })],
    });
    assert.deepEqual((await runCheck(rule, facts)).findings, []);
  });

  test('not run, with the reason, when the tables could not be read', async () => {
    const { skipped, check } = await runCheck(rule, healthFacts({ tables: null, unavailable: { tables: 'tables (pg_class, pg_stat_all_tables): permission denied' } }));
    assert.equal(check, undefined);
    assert.deepEqual(skipped, { rule: 'autovacuum-disabled', reason: 'tables (pg_class, pg_stat_all_tables): permission denied' });
  });
});
