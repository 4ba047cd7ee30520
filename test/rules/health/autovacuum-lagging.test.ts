import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/autovacuum-lagging.js';
import { healthFacts, runCheck, session, stats, table } from '../../health/facts-fixture.js';

describe('autovacuum-lagging', () => {
  test('fires when dead rows reach twice the trigger (threshold + scale factor × rows), with the causes in sight', async () => {
    const facts = healthFacts({
      tables: [table({ name: 'events', rowEstimate: 10_000, stats: stats({ liveTuples: 10_000, deadTuples: 4100 }) })],
      activity: [
        session({ pid: 1, self: true, state: 'active' }),
        ...[2, 3, 4].map((pid) => session({ pid, backendType: 'autovacuum worker', state: 'active', user: null, application: null })),
        session({ pid: 9, state: 'idle in transaction', xminAge: 5000 }),
      ],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    const f = findings[0]!;
    // 50 + 0.2 × 10,000 = 2,050; 4,100 is twice that.
    assert.match(f.message, /^Autovacuum is not keeping up with public\.events: 4,100 dead rows, 2\.0 times the 2,050 at which autovacuum vacuums it \(last autovacuum 60 min ago\)\.$/);
    assert.equal(f.evidence.vacuumTrigger, 2050);
    assert.equal(f.evidence.autovacuumWorkersBusy, 3);
    assert.equal(f.fix!.sql, 'VACUUM (ANALYZE) public.events;');
    assert.match(f.fix!.note!, /all 3 autovacuum workers are busy; the oldest snapshot is held by session pid 9/);
    assert.match(check!.examined, /^1 table and 0 system catalogs with statistics, 0 with autovacuum settings of their own; 3 of 3 autovacuum workers busy$/);
  });

  test("uses the table's own settings, and reports stale statistics with ANALYZE", async () => {
    const tight = table({ name: 'tight', rowEstimate: 10_000, reloptions: ['autovacuum_vacuum_scale_factor=0.01', 'autovacuum_vacuum_threshold=100'], stats: stats({ deadTuples: 1000 }) });
    const stale = table({ name: 'stale', rowEstimate: 10_000, stats: stats({ modsSinceAnalyze: 2200 }) });
    const { findings } = await runCheck(rule, healthFacts({ tables: [tight, stale] }));
    assert.deepEqual(findings.map((f) => [f.object.name, f.evidence.vacuumTrigger, f.evidence.analyzeTrigger, f.fix!.sql]), [
      ['stale', 2050, 1050, 'ANALYZE public.stale;'],
      ['tight', 200, 1050, 'VACUUM (ANALYZE) public.tight;'],
    ]);
  });

  test('large tables get the settings that would keep up', async () => {
    const big = table({ name: 'big', rowEstimate: 5_000_000, stats: stats({ liveTuples: 5_000_000, deadTuples: 2_500_000 }) });
    const { findings } = await runCheck(rule, healthFacts({ tables: [big] }));
    assert.match(findings[0]!.fix!.note!, /ALTER TABLE public\.big SET \(autovacuum_vacuum_scale_factor = 0\.05, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0\.05, autovacuum_analyze_scale_factor = 0\.02, autovacuum_analyze_threshold = 1000\)/);
  });

  test('near misses: just under twice the trigger, too few dead rows, autovacuum off (another check), no statistics, never vacuumed nor analysed', async () => {
    const facts = healthFacts({
      tables: [
        table({ name: 'under', rowEstimate: 10_000, stats: stats({ deadTuples: 4099 }) }),
        table({ name: 'small', rowEstimate: 0, stats: stats({ deadTuples: 999 }) }),
        table({ name: 'off', rowEstimate: 10_000, reloptions: ['autovacuum_enabled=false'], stats: stats({ deadTuples: 9000 }) }),
        table({ name: 'blind', stats: null }),
        table({ name: 'new', rowEstimate: null, stats: stats({ deadTuples: 5000, modsSinceAnalyze: 20000 }) }),
      ],
    });
    assert.deepEqual((await runCheck(rule, facts)).findings, []);
  });
});
