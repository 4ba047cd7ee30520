/** `pgarchitect maintenance plan` end to end through main(): the report, --out, json, errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { MaintenancePlan } from '../../src/maintenance/result.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { liveDatabase } from '../support/live.js';
import { runCli } from '../support/run-cli.js';

describe('pgarchitect maintenance plan', () => {
  test('usage errors: no server, a bad number', async () => {
    const none = await runCli(['maintenance', 'plan']);
    assert.deepEqual([none.code, none.stderr], [2, 'pgarchitect: no server to examine\n  give a postgres:// URL, or set DATABASE_URL (or the PG* variables)\n']);
    const bad = await runCli(['maintenance', 'plan', 'postgres://localhost/x', '--large-rows', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--large-rows: "many" is not a whole number above 0/);
  });

  test('the report, the script written with --out (never run), and json', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE churn (id int PRIMARY KEY) WITH (autovacuum_enabled = false);
       INSERT INTO churn SELECT generate_series(1, 2000);
       DELETE FROM churn WHERE id <= 1000;
       SELECT pg_stat_force_next_flush();`,
    );
    if (!db) return;
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-maintenance-'));
    const run = await runCli(['maintenance', 'plan', db.url, '--out', 'plan.sql', '--large-rows', '500'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^pgarchitect maintenance plan: postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+\n/);
    assert.match(run.stdout, /\nAutovacuum settings for large tables \(1\)\n {2}public\.churn {2}/);
    assert.match(run.stdout, /\nDue now \(1\)\n {2}VACUUM \(ANALYZE\) public\.churn;\n/);
    assert.match(run.stdout, /\nIndex usage \(1 indexes; rare: under 1 scan a day\)\n/);
    assert.match(run.stdout, /Script written to plan\.sql \(not run: psql -f it when ready\)\n$/);
    const script = readFileSync(join(dir, 'plan.sql'), 'utf8');
    await ensureParser();
    assert.ok((parseSync(script) as unknown as { stmts: unknown[] }).stmts.length >= 3);
    // Not run: the dead rows are still there.
    const again = JSON.parse((await runCli(['maintenance', 'plan', db.url, '--format', 'json'])).stdout) as MaintenancePlan;
    assert.equal(again.schemaVersion, 1);
    assert.deepEqual(again.due.map((d) => d.sql), ['VACUUM (ANALYZE) public.churn;']);
    assert.match(script, /\nALTER TABLE public\.churn SET \(autovacuum_vacuum_scale_factor = 0\.05, .*\);\n[\s\S]*\nVACUUM \(ANALYZE\) public\.churn;\n$/);
    assert.match(again.script, /\nVACUUM \(ANALYZE\) public\.churn;\n$/);
  });
});
