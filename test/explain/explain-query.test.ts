/**
 * `explain` on a real server: the statement runs in a transaction that is always rolled back, the
 * plan is Postgres's own JSON, errors point into the user's text, index proposals are costed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { planNodes } from '../../src/plan/analyse.js';
import { explainDatabase } from '../support/explain.js';

const SETUP = `
  CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL, amount int NOT NULL);
  INSERT INTO orders SELECT g, CASE WHEN g % 2 = 0 THEN 'open' ELSE 'shipped' END, g % 100 FROM generate_series(1, 20000) g;
  ANALYZE orders;`;

async function rejects(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof UserError, `UserError, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}

describe('explain a query on a server', () => {
  test('INSERT, UPDATE and DELETE run for their figures and are rolled back', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    for (const sql of ['INSERT INTO orders SELECT g, \'new\', 1 FROM generate_series(100001, 100500) g', "UPDATE orders SET status = 'lost'", 'DELETE FROM orders WHERE id < 5000']) {
      const result = await db.explain(sql);
      assert.equal(result.analyzed, true);
      assert.equal(result.plan.Plan['Node Type'], 'ModifyTable');
      assert.equal(typeof result.plan['Execution Time'], 'number');
      assert.equal(result.query, sql);
    }
    const [counts] = await db.query<{ n: string; lost: string }>("SELECT count(*) AS n, count(*) FILTER (WHERE status = 'lost') AS lost FROM orders");
    assert.deepEqual(counts, { n: '20000', lost: '0' });
  });

  test('the result keeps the plan untouched and the analysis apart', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const result = await db.explain("SELECT status, count(*) FROM orders WHERE amount > 10 GROUP BY status", { settings: { max_parallel_workers_per_gather: '0' } });
    const nodes = planNodes(result.plan);
    assert.equal(result.analysis.nodes.length, nodes.length);
    for (const node of nodes) for (const key of Object.keys(node)) assert.match(key, /^[A-Z]/, `plan keys are Postgres's own: ${key}`);
    assert.deepEqual(result.plan.Settings, { max_parallel_workers_per_gather: '0' });
    assert.deepEqual(result.settings, { max_parallel_workers_per_gather: '0' });
    assert.equal(result.source.kind, 'query');
    assert.equal(result.source.serverVersionNum, db.server.versionNum);
    assert.match(result.source.description, /^query on postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\d+_\d+$/);
    assert.ok(!JSON.stringify(result).includes('pgarchitect-test-secret'), 'no password anywhere in the result');
    assert.ok(typeof result.plan.Plan['Shared Hit Blocks'] === 'number', 'BUFFERS');
    assert.ok(Array.isArray(result.plan.Plan.Output), 'VERBOSE');
  });

  test('--no-analyze plans without executing, in a read-only session', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const result = await db.explain("INSERT INTO orders VALUES (1000000, 'x', 1)", { analyze: false });
    assert.equal(result.analyzed, false);
    assert.equal(result.plan.Plan['Actual Loops'], undefined);
    assert.deepEqual(result.notices, ['estimates only: the plan has no actual figures (run without --no-analyze, or capture it with EXPLAIN (ANALYZE, BUFFERS))']);
    assert.ok(result.skipped.some((s) => s.rule === 'seq-scan-filter' && /not run with ANALYZE/.test(s.reason)));
  });

  test('a statement Postgres rejects: its message and position in the text given', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    await rejects(db.explain('SELECT id\nFROM nope'), /^query:2:6: ERROR 42P01: relation "nope" does not exist$/);
    await rejects(db.explain('-- the slow one\nSELECT amount + status FROM orders', { origin: 'slow.sql' }), /^slow\.sql:2:15: ERROR 42883: operator does not exist: integer \+ text$/);
    await rejects(db.explain('SELECT * FORM orders'), /^query:1:10: syntax error at or near "FORM"$/);
    await rejects(db.explain('SELECT 1; SELECT 2'), /^query:1:11: give one statement to explain, found 2$/);
    await rejects(db.explain('EXPLAIN SELECT 1'), /the query already starts with EXPLAIN/);
    await rejects(db.explain('CREATE TABLE x (id int)'), /^query:1:1: EXPLAIN cannot run a CREATE statement$/);
    await rejects(db.explain('SELECT 1', { settings: { work_mem: 'lots' } }), /^--set work_mem=lots: invalid value for parameter "work_mem": "lots"$/);
    await rejects(db.explain('SELECT pg_sleep(5)', { connection: { statementTimeoutMs: 200 } }), /^query: the statement ran longer than statement_timeout and was cancelled$/);
  });

  test('an index the planner would not use is costed with hypopg and withdrawn', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    // Half the rows match: no planner uses an index for that, whatever the rule's threshold says.
    const config = { rules: { 'seq-scan-filter': { options: { minRemovedShare: 0.4 } } }, ignore: [] };
    const result = await db.explain("SELECT * FROM orders WHERE status = 'open'", { config, only: ['seq-scan-filter'], settings: { max_parallel_workers_per_gather: '0' } });
    const [finding] = result.findings;
    const verification = finding!.evidence.verification as { status: string; indexUsed: boolean; costBefore: number; costAfter: number };
    assert.equal(verification.status, 'verified');
    assert.equal(verification.indexUsed, false);
    assert.equal(finding!.fix, null);
    assert.match(finding!.message, /Costed with hypopg, the planner would not use such an index \(estimated cost [\d,.]+, [\d,.]+ with it\), so none is proposed\.$/);
  });

  test('--no-verify leaves proposals unverified, saying why', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const result = await db.explain('SELECT * FROM orders WHERE amount = 7 AND id > 10', { only: ['seq-scan-filter'], verify: false, settings: { max_parallel_workers_per_gather: '0' } });
    assert.deepEqual(result.findings[0]!.evidence.verification, { status: 'unverified', reason: 'verification was turned off' });
  });
});
