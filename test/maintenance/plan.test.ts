/**
 * `maintenance plan` on the real server: autovacuum settings for the large tables, what is due now
 * (VACUUM, ANALYZE, ANALYZE of a partitioned table, REINDEX CONCURRENTLY of a bloated and an invalid
 * index), index usage classes; the script parses with the real parser, and once applied statement by
 * statement (as psql would) nothing is due any more. A quiet table is the near miss.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HealthFacts } from '../../src/health/facts.js';
import { maintenancePlan, planMaintenance, type MaintenancePlanOptions } from '../../src/maintenance/plan.js';
import type { MaintenancePlan } from '../../src/maintenance/result.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { splitStatements } from '../../src/sql/split-statements.js';
import { healthFacts, stats, table } from '../health/facts-fixture.js';
import { liveDatabase } from '../support/live.js';

const SETUP = `
CREATE TABLE big (id int PRIMARY KEY, v text);
INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
CREATE TABLE churn (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
INSERT INTO churn SELECT generate_series(1, 10000);
CREATE TABLE stale (id int) WITH (autovacuum_enabled = false);
INSERT INTO stale SELECT generate_series(1, 10000);
CREATE TABLE quiet (id int, note text) WITH (autovacuum_enabled = false);
INSERT INTO quiet SELECT g, 'n' FROM generate_series(1, 1000) g;
CREATE INDEX quiet_id ON quiet (id);
CREATE INDEX quiet_note ON quiet (note);
CREATE TABLE emptied (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
INSERT INTO emptied SELECT generate_series(1, 200000);
DELETE FROM emptied WHERE id % 10 <> 0;
CREATE TABLE dup (id int) WITH (autovacuum_enabled = false);
INSERT INTO dup VALUES (1), (1), (2);
CREATE TABLE events (at date NOT NULL, n int) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') WITH (autovacuum_enabled = false);
INSERT INTO events SELECT date '2026-01-01' + (g % 300), g FROM generate_series(1, 5000) g;`;

const OPTIONS: MaintenancePlanOptions = { largeRows: 10_000, rarePerDay: 5, reindex: { minRatio: 0.3, minWastedBytes: 1024 * 1024 } };
const OURS = new Set(['big', 'churn', 'stale', 'quiet', 'emptied', 'dup', 'events', 'events_2026']);

function dueOf(plan: MaintenancePlan): string[] {
  return plan.due.filter((t) => OURS.has(t.table)).map((t) => t.sql);
}

describe('maintenance plan', () => {
  test('settings for large tables, what is due, index usage; the script parses, and applied leaves nothing due', async (t) => {
    const db = await liveDatabase(t, SETUP);
    if (!db) return;
    for (const name of ['big', 'churn', 'stale', 'quiet', 'emptied', 'events_2026']) await db.admin(`VACUUM ANALYZE ${name}`);
    await db.admin('CREATE UNIQUE INDEX CONCURRENTLY dup_id ON dup (id)').catch(() => undefined); // left invalid by the duplicate
    await db.admin(
      `DELETE FROM churn WHERE id <= 3000;
       UPDATE stale SET id = id + 1 WHERE id <= 1500;
       DELETE FROM dup WHERE ctid = (SELECT min(ctid) FROM dup WHERE id = 1);
       SET enable_seqscan = off;
       ${'SELECT count(*) FROM quiet WHERE id = 5;\n'.repeat(3)}
       SELECT pg_stat_force_next_flush();`,
    );
    const plan = await maintenancePlan({ connection: { url: db.url }, env: {}, ...OPTIONS });

    // Large tables (10,000 rows and more here): the band's scale factors and thresholds.
    const big = plan.autovacuumSettings.find((a) => a.table === 'big')!;
    assert.equal(big.sql, 'ALTER TABLE public.big SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);');
    assert.deepEqual([big.rows, big.vacuumTrigger, big.analyzeTrigger], [20000, { now: 4050, after: 2000 }, { now: 2050, after: 1400 }]);
    assert.ok(!plan.autovacuumSettings.some((a) => a.table === 'quiet'), 'quiet holds 1,000 rows');

    assert.deepEqual(dueOf(plan), [
      'VACUUM (ANALYZE) public.churn;',
      'VACUUM (ANALYZE) public.stale;',
      'ANALYZE public.dup;',
      'ANALYZE public.events;',
      'REINDEX INDEX CONCURRENTLY public.emptied_pkey;',
      'REINDEX INDEX CONCURRENTLY public.dup_id;',
    ]);
    const churn = plan.due.find((d) => d.table === 'churn')!;
    // Judged with the settings the script sets first (10,000 rows: 1,000 + 5% and 1,000 + 2%).
    assert.equal(churn.reason, "3,000 dead rows, past autovacuum's trigger of 1,500; 3,000 rows changed since the last analyze, past autovacuum's trigger of 1,200 (triggers with the autovacuum settings above; autovacuum is off for the table)");
    assert.match(plan.due.find((d) => d.table === 'events')!.reason, /^partitioned table never analyzed, with 5,000 rows in its partitions/);
    assert.match(plan.due.find((d) => d.index === 'dup_id')!.reason, /^invalid \(a failed concurrent build\)/);
    assert.equal(plan.due.find((d) => d.table === 'dup' && d.kind === 'analyze')!.reason, 'never analyzed (autovacuum is off for the table)');

    const usage = new Map(plan.indexUsage.map((u) => [u.name, u]));
    assert.deepEqual([usage.get('quiet_id')!.class, usage.get('quiet_id')!.scans], ['rare', 3]);
    assert.equal(usage.get('quiet_note')!.class, 'unused');
    assert.equal(usage.get('churn_pkey')!.enforcesConstraint, true);
    assert.equal(usage.get('dup_id')!.valid, false);
    assert.equal(plan.statistics.sinceWhat, 'server start');

    // The script: the real parser reads it, statement by statement of the expected kinds.
    await ensureParser();
    const parsed = parseSync(plan.script) as unknown as { stmts: { stmt: Record<string, unknown> }[] };
    const kinds = parsed.stmts.map((s) => Object.keys(s.stmt)[0]);
    assert.equal(kinds[0], 'VariableSetStmt');
    assert.deepEqual([...new Set(kinds.slice(1))].sort(), ['AlterTableStmt', 'ReindexStmt', 'VacuumStmt']);
    assert.match(plan.script, /^-- pgarchitect maintenance plan: .*\n-- Run it with psql -f, in autocommit mode/);

    // Applied as psql would (autocommit, one statement at a time): nothing of ours is due any more.
    for (const statement of await splitStatements(plan.script)) await db.admin(statement.text);
    await db.admin('SELECT pg_stat_force_next_flush()');
    const after = await maintenancePlan({ connection: { url: db.url }, env: {}, ...OPTIONS });
    assert.deepEqual(dueOf(after), []);
    assert.deepEqual(after.autovacuumSettings.filter((a) => OURS.has(a.table)), []);
  });

  test('from facts alone: a table past its freeze age gets VACUUM (FREEZE, ANALYZE); without a snapshot, indexes are said not examined', async () => {
    const facts: HealthFacts = healthFacts({ tables: [table({ name: 'old', xidAge: 160_000_000, stats: stats() }), table({ name: 'young', xidAge: 140_000_000 })] });
    const plan = await planMaintenance('the catalog snapshot could not be read: permission denied', facts, {});
    assert.deepEqual(plan.due.map((d) => d.sql), ['VACUUM (FREEZE, ANALYZE) public.old;']);
    assert.match(plan.due[0]!.reason, /transaction ID age 160,000,000 .* past vacuum_freeze_table_age 150,000,000/);
    assert.deepEqual(plan.notExamined, ['invalid indexes and index usage: the catalog snapshot could not be read: permission denied']);
    assert.deepEqual(plan.indexUsage, []);
  });

  test('nothing due: the script says so', async () => {
    const plan = await planMaintenance('no snapshot', healthFacts({ tables: [table()] }), {});
    assert.deepEqual([plan.due, plan.autovacuumSettings], [[], []]);
    assert.match(plan.script, /-- Nothing is due now, and every large table has suitable autovacuum settings\.\n$/);
  });
});
