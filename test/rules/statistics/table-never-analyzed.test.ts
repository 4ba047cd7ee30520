import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatalogSnapshot, Table } from '../../../src/catalog/types.js';
import { EMPTY_CONFIG } from '../../../src/config/config.js';
import { runRules } from '../../../src/engine/run-rules.js';
import type { Finding } from '../../../src/finding.js';
import rule from '../../../src/rules/statistics/table-never-analyzed.js';
import { splitStatements } from '../../../src/sql/split-statements.js';
import { findingsOn, snapshotOf } from '../../support/embedded.js';
import { liveDatabase, type LiveDatabase } from '../../support/live.js';

/**
 * Row counts reach pg_stat_* when a backend flushes its pending statistics, which it may put off for a
 * second; forcing the flush before the set-up session answers makes the next snapshot see them.
 */
const FLUSH = 'SELECT pg_stat_force_next_flush();';

/** Autovacuum is off for every test table so it cannot analyze them while the test runs. */
const NO_AUTOVACUUM = 'WITH (autovacuum_enabled = false)';

function table(snapshot: CatalogSnapshot, name: string): Table {
  const found = snapshot.tables.find((t) => t.name === name);
  assert.ok(found, `table ${name} in snapshot`);
  return found;
}

async function applyFixes(db: LiveDatabase, findings: Finding[]): Promise<void> {
  for (const finding of findings) {
    for (const statement of await splitStatements(finding.fix!.sql)) await db.admin(statement.text);
  }
}

describe('table-never-analyzed', () => {
  test('fires on a table and a partitioned table holding data that were never analyzed; ANALYZE removes them', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE blind (id int) ${NO_AUTOVACUUM};
       INSERT INTO blind SELECT generate_series(1, 2000);
       CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') ${NO_AUTOVACUUM};
       INSERT INTO events SELECT g, '2026-03-01' FROM generate_series(1, 1500) g;
       ${FLUSH}`,
    );
    if (!db) return;
    const findings = await findingsOn(await db.snapshot(), rule);
    assert.deepEqual(
      findings.map((f) => f.object),
      [
        { type: 'table', schema: 'public', name: 'blind' },
        { type: 'partitioned table', schema: 'public', name: 'events' },
      ],
    );
    assert.match(findings[0]!.message, /public\.blind holds about 2000 rows but has never been analyzed/);
    assert.equal(findings[0]!.evidence.autovacuumDisabled, true);
    assert.equal(findings[0]!.fix!.sql, 'ANALYZE public.blind;');
    assert.match(findings[1]!.message, /public\.events holds about 1500 rows in 1 partition\(s\) but has never been analyzed itself/);
    assert.equal(findings[1]!.fix!.sql, 'ANALYZE public.events;');

    await applyFixes(db, findings);
    assert.deepEqual(await findingsOn(await db.snapshot(), rule), []);
  });

  test('reports partitions added after the parent was analyzed, with ANALYZE of those partitions', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') ${NO_AUTOVACUUM};
       INSERT INTO events SELECT g, '2026-03-01' FROM generate_series(1, 1500) g;
       ANALYZE events;
       CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01') ${NO_AUTOVACUUM};
       INSERT INTO events SELECT g, '2027-03-01' FROM generate_series(1, 1200) g;
       ${FLUSH}`,
    );
    if (!db) return;
    const findings = await findingsOn(await db.snapshot(), rule);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /public\.events has 1 partition\(s\) holding data that were never analyzed/);
    assert.deepEqual(findings[0]!.evidence.partitionsNeverAnalyzed, ['public.events_2027']);
    assert.equal(findings[0]!.fix!.sql, 'ANALYZE public.events_2027;');
    await applyFixes(db, findings);
    assert.deepEqual(await findingsOn(await db.snapshot(), rule), []);
  });

  test('does not fire on analyzed tables (even after a statistics reset), nor on small ones', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE analyzed (id int) ${NO_AUTOVACUUM};
       INSERT INTO analyzed SELECT generate_series(1, 2000);
       ANALYZE analyzed;
       CREATE TABLE reset_after_analyze (id int) ${NO_AUTOVACUUM};
       INSERT INTO reset_after_analyze SELECT generate_series(1, 2000);
       ANALYZE reset_after_analyze;
       CREATE TABLE tiny (id int) ${NO_AUTOVACUUM};
       INSERT INTO tiny SELECT generate_series(1, 10);
       ${FLUSH}`,
    );
    if (!db) return;
    await db.admin(`SELECT pg_stat_reset_single_table_counters('reset_after_analyze'::regclass); ${FLUSH}`);
    const snapshot = await db.snapshot();
    // The near misses are real: the counters are visible, and the reset cleared last_analyze.
    assert.equal(table(snapshot, 'analyzed').stats!.liveTuples, 2000);
    assert.notEqual(table(snapshot, 'analyzed').stats!.lastAnalyze, null);
    assert.equal(table(snapshot, 'reset_after_analyze').stats!.lastAnalyze, null);
    assert.equal(table(snapshot, 'reset_after_analyze').rowEstimate, 2000);
    assert.equal(table(snapshot, 'tiny').stats!.liveTuples, 10);
    assert.deepEqual(await findingsOn(snapshot, rule), []);
    // ...and the small table is reported once the threshold allows it.
    assert.deepEqual(
      (await findingsOn(snapshot, rule, { minRows: 5 })).map((f) => f.object.name),
      ['tiny'],
    );
  });

  test('is skipped, with the reason, on a snapshot of SQL files', async () => {
    const snapshot = await snapshotOf('CREATE TABLE t (id int);');
    const result = await runRules(snapshot, [rule], { config: EMPTY_CONFIG });
    assert.deepEqual(result.findings, []);
    assert.equal(result.skipped.length, 1);
    assert.equal(result.skipped[0]!.rule, 'table-never-analyzed');
    assert.match(result.skipped[0]!.reason, /needs a live server/);
  });
});
