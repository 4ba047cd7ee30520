/** The partition rules run in `health` as reused review rules, each saying what it examined. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { health, healthCheckIds } from '../../src/health/health.js';
import { liveDatabase } from '../support/live.js';

describe('partition rules in health', () => {
  test('are health checks, and report on a live server', async (t) => {
    for (const id of ['partition-default-has-rows', 'partition-gap', 'partition-missing-future', 'partition-retention-overdue', 'partition-too-many', 'partition-uneven-size']) {
      assert.ok(healthCheckIds().includes(id), id);
    }
    const db = await liveDatabase(
      t,
      `CREATE TABLE events (at date NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
       CREATE TABLE events_c PARTITION OF events FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
       CREATE TABLE events_default PARTITION OF events DEFAULT;
       INSERT INTO events SELECT current_date FROM generate_series(1, 20);
       ANALYZE events;`,
    );
    if (!db) return;
    const result = await health({ connection: { url: db.url }, only: ['partition-default-has-rows', 'partition-gap', 'partition-missing-future', 'partition-retention-overdue'] });
    assert.deepEqual(result.findings.map((f) => `${f.rule} ${f.object.name}`).sort(), ['partition-default-has-rows events_default', 'partition-gap events', 'partition-missing-future events']);
    assert.deepEqual(
      result.checks.map((c) => [c.rule, c.examined]),
      [
        ['partition-default-has-rows', '1 default partition'],
        ['partition-gap', '1 partitioned table (1 by range)'],
        ['partition-missing-future', '1 partitioned table (1 by range)'],
        ['partition-retention-overdue', "1 partitioned table (those with a retention in the rule's options)"],
      ],
    );
  });
});
