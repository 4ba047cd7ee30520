import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EMPTY_CONFIG } from '../../../src/config/config.js';
import { runRules } from '../../../src/engine/run-rules.js';
import rule from '../../../src/rules/partition/partition-default-has-rows.js';
import { snapshotOf } from '../../support/embedded.js';
import { liveDatabase } from '../../support/live.js';

describe('partition-default-has-rows', () => {
  test('fires on a default partition holding rows, not on an empty one; moving the rows out clears it', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE events (at date NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
       CREATE TABLE events_default PARTITION OF events DEFAULT;
       INSERT INTO events SELECT date '2024-06-01' + i FROM generate_series(0, 99) i;
       INSERT INTO events SELECT date '2025-02-01' + (i % 20) FROM generate_series(0, 49) i;
       CREATE TABLE quiet (at date NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE quiet_2024 PARTITION OF quiet FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
       CREATE TABLE quiet_default PARTITION OF quiet DEFAULT;
       INSERT INTO quiet VALUES ('2024-03-01');
       ANALYZE;`,
    );
    if (!db) return;
    const { findings } = await runRules(await db.snapshot(), [rule], { config: EMPTY_CONFIG });
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'table', schema: 'public', name: 'events_default' });
    assert.match(findings[0]!.message, /^The default partition public\.events_default of public\.events holds about 50 rows/);
    assert.equal(findings[0]!.evidence.parent, 'public.events');

    await db.admin(`BEGIN;
      ALTER TABLE events DETACH PARTITION events_default;
      CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      WITH moved AS (DELETE FROM events_default RETURNING *) INSERT INTO events SELECT * FROM moved;
      ALTER TABLE events ATTACH PARTITION events_default DEFAULT;
      COMMIT;
      ANALYZE events_default;`);
    assert.deepEqual((await runRules(await db.snapshot(), [rule], { config: EMPTY_CONFIG })).findings, []);
  });

  test('needs a live server: skipped on SQL files', async () => {
    const result = await runRules(await snapshotOf('CREATE TABLE t (at date) PARTITION BY RANGE (at);'), [rule], { config: EMPTY_CONFIG });
    assert.match(result.skipped[0]!.reason, /needs a live server/);
  });
});
