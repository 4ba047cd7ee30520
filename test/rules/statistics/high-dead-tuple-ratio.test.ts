import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatalogSnapshot, Table } from '../../../src/catalog/types.js';
import { EMPTY_CONFIG } from '../../../src/config/config.js';
import { runRules } from '../../../src/engine/run-rules.js';
import rule from '../../../src/rules/statistics/high-dead-tuple-ratio.js';
import { splitStatements } from '../../../src/sql/split-statements.js';
import { findingsOn, snapshotOf } from '../../support/embedded.js';
import { liveDatabase } from '../../support/live.js';

/**
 * Dead-row counts reach pg_stat_* when a backend flushes its pending statistics, which it may put off
 * for a second; forcing the flush before the set-up session answers makes the next snapshot see them.
 * Autovacuum is off for every test table so it cannot clean them while the test runs, and nothing
 * reads the tables after the DELETEs (a scan could prune dead rows and lower the count).
 */
const SETUP = `
CREATE TABLE churn (id int) WITH (autovacuum_enabled = false);
INSERT INTO churn SELECT generate_series(1, 1000);
DELETE FROM churn WHERE id <= 300;
CREATE TABLE calm (id int) WITH (autovacuum_enabled = false);
INSERT INTO calm SELECT generate_series(1, 1000);
DELETE FROM calm WHERE id <= 150;
CREATE TABLE small (id int) WITH (autovacuum_enabled = false);
INSERT INTO small SELECT generate_series(1, 100);
DELETE FROM small WHERE id <= 60;
SELECT pg_stat_force_next_flush();`;

const OPTIONS = { maxRatio: 0.2, minDeadTuples: 100 };

function table(snapshot: CatalogSnapshot, name: string): Table {
  const found = snapshot.tables.find((t) => t.name === name);
  assert.ok(found, `table ${name} in snapshot`);
  return found;
}

describe('high-dead-tuple-ratio', () => {
  test('fires above the ratio with enough dead rows, not on the near misses; VACUUM removes it', async (t) => {
    const db = await liveDatabase(t, SETUP);
    if (!db) return;
    const snapshot = await db.snapshot();
    // The near misses are real: their dead rows are counted, just below one threshold each.
    assert.deepEqual(
      ['churn', 'calm', 'small'].map((name) => [table(snapshot, name).stats!.liveTuples, table(snapshot, name).stats!.deadTuples]),
      [[700, 300], [850, 150], [40, 60]],
    );

    const findings = await findingsOn(snapshot, rule, OPTIONS);
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'table', schema: 'public', name: 'churn' });
    assert.match(findings[0]!.message, /public\.churn has 300 dead rows, 30% of its rows, waiting for VACUUM/);
    assert.equal(findings[0]!.evidence.deadRatio, 0.3);
    assert.equal(findings[0]!.evidence.autovacuumDisabled, true);
    assert.equal(findings[0]!.fix!.sql, 'VACUUM (ANALYZE) public.churn;');
    assert.match(findings[0]!.fix!.note!, /RESET \(autovacuum_enabled\)/);

    // The defaults ask for 10,000 dead rows.
    assert.deepEqual(await findingsOn(snapshot, rule), []);

    // VACUUM refuses a transaction block: run each statement on its own, as the note says.
    for (const statement of await splitStatements(findings[0]!.fix!.sql)) await db.admin(statement.text);
    const after = await db.snapshot();
    assert.equal(table(after, 'churn').stats!.deadTuples, 0);
    assert.deepEqual(await findingsOn(after, rule, OPTIONS), []);
  });

  test('is skipped, with the reason, on a snapshot of SQL files', async () => {
    const snapshot = await snapshotOf('CREATE TABLE t (id int);');
    const result = await runRules(snapshot, [rule], { config: EMPTY_CONFIG });
    assert.deepEqual(result.findings, []);
    assert.deepEqual(
      result.skipped.map((s) => s.rule),
      ['high-dead-tuple-ratio'],
    );
    assert.match(result.skipped[0]!.reason, /needs a live server/);
  });
});
