import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import unusedIndex from '../../../src/rules/indexes/unused-index.js';
import { findingsFor, findingsOn } from '../../support/embedded.js';
import { liveDatabase } from '../../support/live.js';

const SCHEMA = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, placed_at timestamptz, reference text);
INSERT INTO orders SELECT i, i % 100, now() - i * interval '1 minute', 'R' || i FROM generate_series(1, 5000) AS i;
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_placed ON orders (placed_at);
CREATE UNIQUE INDEX orders_reference ON orders (reference);
CREATE TABLE events (id bigint, at date, kind int) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO events SELECT i, date '2025-06-01' + (i % 400), i % 7 FROM generate_series(1, 4000) AS i;
CREATE INDEX events_at ON events (at);
CREATE INDEX events_kind ON events (kind);
ANALYZE orders, events;`;

// Scans through two indexes, then flushes this session's counters before it reports ReadyForQuery,
// so the next connection sees them.
const USE_SOME_INDEXES = `
SET enable_seqscan = off;
SELECT count(*) FROM orders WHERE customer_id = 7;
SELECT count(*) FROM events WHERE at = date '2026-01-15';
SELECT pg_stat_force_next_flush();`;

describe('unused-index', () => {
  test('fires on never-scanned indexes, without a fix while statistics are young', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    await db.admin(USE_SOME_INDEXES);
    const findings = await findingsOn(await db.snapshot(), unusedIndex, { minBytes: 0 });
    assert.deepEqual(
      findings.map((f) => f.object),
      [
        { type: 'index', schema: 'public', table: 'events', name: 'events_kind' },
        { type: 'index', schema: 'public', table: 'orders', name: 'orders_placed' },
      ],
    );
    assert.match(findings[1]!.message, /public\.orders\.orders_placed has not been scanned in the 0 days since (statistics were reset|the server started); statistics cover only 0 days/);
    assert.equal(findings[1]!.evidence.statisticsAgeDays, 0);
    assert.equal(findings[1]!.fix, null);
    assert.equal(findings[0]!.evidence.partitioned, true);
    assert.ok((findings[0]!.evidence.bytes as number) > 0, 'a partitioned index is sized by its partitions');
  });

  test('offers DROP INDEX once statistics are old enough, and the drop removes the finding', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    await db.admin(USE_SOME_INDEXES);
    const options = { minBytes: 0, minStatsAgeDays: 0 };
    const findings = await findingsOn(await db.snapshot(), unusedIndex, options);
    assert.deepEqual(
      findings.map((f) => f.fix?.sql),
      ['DROP INDEX public.events_kind;', 'DROP INDEX CONCURRENTLY public.orders_placed;'],
    );
    for (const finding of findings) await db.admin(finding.fix!.sql);
    assert.deepEqual(await findingsOn(await db.snapshot(), unusedIndex, options), []);
  });

  test('stays quiet below minBytes, and is skipped on SQL files', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    assert.deepEqual(await findingsOn(await db.snapshot(), unusedIndex), []);
    await assert.rejects(findingsFor(unusedIndex, 'CREATE TABLE t (a int); CREATE INDEX t_a ON t (a);'), /needs a live server/);
  });
});
