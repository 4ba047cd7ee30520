import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMPTY_CONFIG } from '../../../src/config/config.js';
import { runRules } from '../../../src/engine/run-rules.js';
import rule from '../../../src/rules/partition/partition-uneven-size.js';
import { liveDatabase } from '../../support/live.js';

const config = { ...EMPTY_CONFIG, rules: { 'partition-uneven-size': { options: { minBytes: 1024 * 1024, ratio: 10 } } } };

describe('partition-uneven-size', () => {
  test('fires on one partition many times the median; not on alike ones', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE tenants_data (tenant int NOT NULL, payload text) PARTITION BY LIST (tenant);
       CREATE TABLE tenants_data_1 PARTITION OF tenants_data FOR VALUES IN (1);
       CREATE TABLE tenants_data_2 PARTITION OF tenants_data FOR VALUES IN (2);
       CREATE TABLE tenants_data_3 PARTITION OF tenants_data FOR VALUES IN (3);
       CREATE TABLE tenants_data_4 PARTITION OF tenants_data FOR VALUES IN (4);
       INSERT INTO tenants_data SELECT 1, repeat('x', 200) FROM generate_series(1, 40000);
       INSERT INTO tenants_data SELECT t, repeat('x', 200) FROM generate_series(2, 4) t, generate_series(1, 500);
       CREATE TABLE alike (k int NOT NULL, payload text) PARTITION BY RANGE (k);
       CREATE TABLE alike_1 PARTITION OF alike FOR VALUES FROM (0) TO (10000);
       CREATE TABLE alike_2 PARTITION OF alike FOR VALUES FROM (10000) TO (20000);
       CREATE TABLE alike_3 PARTITION OF alike FOR VALUES FROM (20000) TO (30000);
       INSERT INTO alike SELECT i, repeat('x', 200) FROM generate_series(0, 29999) i;
       `,
    );
    if (!db) return;
    await db.admin('VACUUM ANALYZE');
    const { findings } = await runRules(await db.snapshot(), [rule], { config });
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'partitioned table', schema: 'public', name: 'tenants_data' });
    assert.match(findings[0]!.message, /^Partition public\.tenants_data_1 of public\.tenants_data is [\d.]+ MB, \d+ times the median partition/);
    assert.equal((findings[0]!.evidence.largest as { partition: string }[])[0]!.partition, 'tenants_data_1');
  });
});
