import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/xid-wraparound.js';
import { healthFacts, runCheck, session, table } from '../../health/facts-fixture.js';

describe('xid-wraparound', () => {
  test('a warning past 1.25 times autovacuum_freeze_max_age, an error past half the way; the current database names its oldest tables and what holds them', async () => {
    const facts = healthFacts({
      databases: [
        { name: 'shop', xidAge: 260_000_000, mxidAge: 10, allowConnections: true },
        { name: 'legacy', xidAge: 1_200_000_000, mxidAge: 10, allowConnections: true },
        { name: 'fresh', xidAge: 249_999_999, mxidAge: 10, allowConnections: true },
      ],
      tables: [table({ name: 'old', xidAge: 260_000_000 }), table({ name: 'young', xidAge: 100 })],
      activity: [session({ pid: 5, state: 'idle in transaction', xminAge: 260_000_000 })],
    });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings.map((f) => [f.object.name, f.severity]), [['legacy', 'error'], ['shop', 'warning']]);
    const shop = findings[1]!;
    assert.equal(
      shop.message,
      'Database shop is 260,000,000 transactions old (12.1% of the way to wraparound, 1,887,483,648 left): past 1.25 times autovacuum_freeze_max_age (200,000,000), so the vacuums that should freeze it do not complete.',
    );
    assert.deepEqual((shop.evidence.oldestTables as { table: string }[]).map((t) => t.table), ['public.old', 'public.young']);
    assert.equal(shop.fix!.sql, 'VACUUM (FREEZE, VERBOSE) public.old;\nVACUUM (FREEZE, VERBOSE) public.young;');
    assert.match(shop.fix!.note!, /First end what holds the oldest snapshot \(session pid 5/);
    assert.match(findings[0]!.fix!.sql, /^-- connect to database legacy/);
    assert.equal(findings[0]!.evidence.oldestTables, undefined);
    assert.match(check!.examined, /^3 databases \(oldest: legacy at 1,200,000,000 transactions, 55\.9% of the way to wraparound\); autovacuum_freeze_max_age = 200,000,000$/);
  });

  test('an error past half the way even when autovacuum_freeze_max_age is set high', async () => {
    const facts = healthFacts({ settings: { autovacuum_freeze_max_age: '1500000000' }, databases: [{ name: 'shop', xidAge: 1_100_000_000, mxidAge: 1, allowConnections: true }] });
    const [f] = (await runCheck(rule, facts)).findings;
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /more than 50% of the way, with autovacuum_freeze_max_age set as high as 1,500,000,000/);
  });

  test('near miss: just under 1.25 times', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ databases: [{ name: 'shop', xidAge: 249_999_999, mxidAge: 1, allowConnections: true }] }))).findings, []);
  });
});
