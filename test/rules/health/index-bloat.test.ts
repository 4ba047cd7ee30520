import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/health/index-bloat.js';
import type { RelationBloat } from '../../../src/health/facts.js';
import { healthFacts, runCheck } from '../../health/facts-fixture.js';

const MB = 1024 * 1024;

function bloat(name: string, bytes: number, expectedBytes: number): RelationBloat {
  return { schema: 'public', table: 'orders', name, kind: 'index', bytes, expectedBytes, wastedBytes: bytes - expectedBytes, ratio: Math.round(((bytes - expectedBytes) / bytes) * 1000) / 1000, fillfactor: 90 };
}

describe('index-bloat', () => {
  test('fires from 30% and 32 MB wasted, with REINDEX CONCURRENTLY', async () => {
    const facts = healthFacts({ indexBloat: { method: 'estimate', relations: [bloat('orders_created_idx', 200 * MB, 60 * MB), bloat('orders_small_idx', 40 * MB, 10 * MB)], notEstimated: [] } });
    const { findings, check } = await runCheck(rule, facts);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'index', schema: 'public', table: 'orders', name: 'orders_created_idx' });
    assert.equal(findings[0]!.message, 'Index public.orders.orders_created_idx takes 200 MB where its entries need about 60 MB: 140 MB (70%) is empty space (estimated from statistics).');
    assert.equal(findings[0]!.fix!.sql, 'REINDEX INDEX CONCURRENTLY public.orders_created_idx;');
    assert.equal(findings[0]!.fix!.safeOnline, true);
    assert.match(findings[0]!.fix!.note!, /confirm with --exact/);
    assert.equal(check!.examined, '2 B-tree indexes estimated from statistics');
  });

  test('near misses: 29% wasted; measured with pgstattuple, the examined text says so', async () => {
    const facts = healthFacts({ indexBloat: { method: 'pgstattuple', relations: [bloat('a', 100 * MB, 71 * MB)], notEstimated: [] } });
    const { findings, check } = await runCheck(rule, facts);
    assert.deepEqual(findings, []);
    assert.equal(check!.examined, '1 B-tree index of 1 MB or more measured with pgstattuple (each one read in full)');
  });
});
