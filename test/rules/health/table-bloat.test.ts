import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RelationBloat } from '../../../src/health/facts.js';
import rule from '../../../src/rules/health/table-bloat.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

const MB = 1024 * 1024;

function bloat(name: string, bytes: number, expectedBytes: number): RelationBloat {
  return { schema: 'public', table: name, name, kind: 'table', bytes, expectedBytes, wastedBytes: bytes - expectedBytes, ratio: Math.round(((bytes - expectedBytes) / bytes) * 1000) / 1000, fillfactor: 100 };
}

describe('table-bloat', () => {
  test('fires from 30% and 100 MB wasted; the fix blocks, and says so', async () => {
    const facts = healthFacts({ tableBloat: { method: 'estimate', relations: [bloat('events', 1000 * MB, 300 * MB), bloat('small', 120 * MB, 30 * MB)], notEstimated: [{ schema: 'public', name: 'blind', table: null, reason: 'no column statistics' }] } });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.message, 'Table public.events takes 1000 MB where its rows need about 300 MB: 700 MB (70%) is free space or dead rows (estimated from statistics).');
    assert.deepEqual([findings[0]!.fix!.sql, findings[0]!.fix!.safeOnline], ['VACUUM (FULL, ANALYZE) public.events;', false]);
    assert.match(findings[0]!.fix!.note!, /pg_repack/);
    assert.equal(check!.examined, '2 tables estimated from statistics (1 not estimated: no statistics, never analysed or not readable by this role)');
  });

  test('near miss: 29% wasted', async () => {
    assert.deepEqual((await runCheck(rule, healthFacts({ tableBloat: { method: 'estimate', relations: [bloat('a', 1000 * MB, 710 * MB)], notEstimated: [] } }))).findings, []);
  });
});
