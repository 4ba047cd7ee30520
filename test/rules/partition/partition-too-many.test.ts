import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/partition/partition-too-many.js';
import { findingsFor } from '../../support/embedded.js';

const DAILY = (days: number) => `
CREATE TABLE clicks (at date NOT NULL) PARTITION BY RANGE (at);
DO $$ BEGIN
  FOR i IN 0..${days - 1} LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF clicks FOR VALUES FROM (%L) TO (%L)', 'clicks_' || i, date '2024-01-01' + i, date '2024-01-01' + i + 1);
  END LOOP;
END $$;`;

describe('partition-too-many', () => {
  test('fires above the maximum, counting sub-partitions', async () => {
    const findings = await findingsFor(
      rule,
      `${DAILY(12)}
       CREATE TABLE orders (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (id);
       CREATE TABLE orders_2024_0 PARTITION OF orders_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
       CREATE TABLE orders_2024_1 PARTITION OF orders_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 1);`,
      { maxPartitions: 10 },
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'partitioned table', schema: 'public', name: 'clicks' });
    assert.match(findings[0]!.message, /^Partitioned table public\.clicks has 12 partitions, more than 10/);
    assert.equal(findings[0]!.evidence.partitions, 12);
  });

  test('does not fire at the maximum', async () => {
    assert.deepEqual(await findingsFor(rule, DAILY(10), { maxPartitions: 10 }), []);
  });
});
