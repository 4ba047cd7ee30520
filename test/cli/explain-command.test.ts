/**
 * `pgarchitect explain` as the CLI layer runs it (explainCommand with captured output): inputs, formats,
 * exit codes and one-line errors. main.ts only adds the argument parsing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CliIo } from '../../src/cli/cli-io.js';
import { explainCommand, type ExplainCommandOptions } from '../../src/cli/explain-command.js';
import { UserError } from '../../src/errors.js';
import { explainDatabase, FLUSH_STATS } from '../support/explain.js';
import { runCli } from '../support/run-cli.js';

const fixtures = new URL('../plan/fixtures/', import.meta.url).pathname;

async function run(inputs: string[], options: Partial<ExplainCommandOptions>, env: NodeJS.ProcessEnv = {}, cwd = fixtures) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env, cwd };
  const code = await explainCommand(inputs, { format: 'text', ...options }, io);
  return { code, stdout, stderr };
}

async function userError(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof UserError && message.test(error.message));
}

describe('explain command', () => {
  test('--plan reads a captured plan (text or JSON) and prints the tree and the diagnoses; exit 1 at --fail-on', async () => {
    const text = await run([], { plan: 'sort-spill.txt' });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^pgarchitect explain: sort-spill\.txt\ntext plan · execution /);
    assert.match(text.stdout, /▶ Sort  ▲ sort-spill/);
    assert.match(text.stdout, /SET work_mem = '\d+MB';/);
    assert.equal((await run([], { plan: 'sort-spill.json', failOn: 'warning' })).code, 1);
  });

  test('--format json writes the result contract, to a file with --output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-explain-'));
    const { stdout, code } = await run([], { plan: 'hashagg-spill.json', format: 'json', output: join(dir, 'out.json') });
    assert.equal(code, 0);
    assert.equal(stdout, '');
    const result = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    assert.equal(result.source.kind, 'plan');
    assert.equal(result.source.planFormat, 'json');
    assert.deepEqual(result.findings.map((f: { rule: string }) => f.rule), ['hash-batches']);
  });

  test('--format html writes one self-contained page, to stdout or to a file with -o; the exit code as for text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-explain-'));
    const cli = await runCli(['explain', '--plan', 'sort-spill.txt', '--format', 'html', '-o', join(dir, 'out.html'), '--fail-on', 'warning'], { cwd: fixtures });
    assert.equal(cli.code, (await run([], { plan: 'sort-spill.txt', failOn: 'warning' })).code);
    assert.equal(cli.code, 1);
    assert.equal(cli.stdout, '');
    assert.equal(cli.stderr, '');
    const page = readFileSync(join(dir, 'out.html'), 'utf8');
    assert.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(page, /<title>pgarchitect explain: sort-spill\.txt<\/title>/);
    assert.match(page, /<a class="tag warning" href="#diagnosis-0">▲ sort-spill<\/a>/);
    assert.match(page, /<\/html>\n$/);
    const toStdout = await run([], { plan: 'sort-spill.json', format: 'html' });
    assert.equal(toStdout.code, 0);
    assert.match(toStdout.stdout, /^<!DOCTYPE html>\n[\s\S]*<details open class="node hot" id="node-0">/);
  });

  test('bad input is a one-line user error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-explain-'));
    writeFileSync(join(dir, 'notes.txt'), 'remember to vacuum\n');
    await userError(run([], { plan: 'notes.txt' }, {}, dir), /^notes\.txt: not an EXPLAIN plan: the first line "remember to vacuum" is not a plan node$/);
    await userError(run([], { plan: 'missing.json' }), /^missing\.json: no such file$/);
    await userError(run([], {}), /^nothing to explain$/);
    await userError(run(['SELECT 1'], { plan: 'sort-spill.txt' }), /^give one of a query, --file or --plan, not --plan and a query argument$/);
    await userError(run(['SELECT 1'], {}), /^explain needs a database to run the query on$/);
    await userError(run([], { plan: 'sort-spill.txt', rule: ['nope'] }), /^--rule: unknown diagnosis "nope"$/);
    await userError(run(['SELECT 1'], { set: ['work_mem'] }, { DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }), /^--set: "work_mem" is not name=value$/);
    await userError(run([], { plan: 'sort-spill.txt', format: 'xml' }), /^--format: "xml" is not one of text, json, html$/);
    await userError(run([], { plan: 'sort-spill.txt', analyze: false }), /apply to a query run here/);
  });

  test('a query on a server, inline or from a file; the password never shows', async (t) => {
    const db = await explainDatabase(t, `CREATE TABLE t (id int, v int); INSERT INTO t SELECT g, g % 10 FROM generate_series(1, 50000) g; ANALYZE t;`);
    if (!db) return;
    const inline = await run(['SELECT * FROM t', 'WHERE id = 7'], { database: db.url, set: ['max_parallel_workers_per_gather=0'] });
    assert.equal(inline.code, 0);
    assert.match(inline.stdout, /^pgarchitect explain: query on postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\d+_\d+\n.*executed in a transaction that was rolled back/);
    assert.match(inline.stdout, /▶ Seq Scan on t  ▲ seq-scan-filter/);
    assert.match(inline.stdout, /costed with hypopg: [\d,.]+ → [\d,.]+/);
    assert.match(inline.stdout, /settings: max_parallel_workers_per_gather = '0'/);
    assert.ok(!inline.stdout.includes('pgarchitect-test-secret'));

    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-explain-'));
    writeFileSync(join(dir, 'slow.sql'), '-- the slow one\nSELECT * FROM t WHERE v = 3 AND id > 10;\n');
    const fromFile = await run([], { file: 'slow.sql', analyze: false, failOn: 'warning' }, { DATABASE_URL: db.url }, dir);
    assert.match(fromFile.stdout, /^pgarchitect explain: slow\.sql on /);
    assert.match(fromFile.stdout, /estimated plan, not executed/);
    await userError(run([], { file: 'slow.sql' }, { DATABASE_URL: db.url.replace(/t_\d+_\d+$/, 'nope') }, dir), /cannot connect to .*: database "nope" does not exist/);
    await userError(run(['SELECT * FROM nope'], { database: db.url }), /^query:1:15: ERROR 42P01: relation "nope" does not exist$/);
  });

  test('--plan with --snapshot (or -d) gives the diagnoses that need the tables', async (t) => {
    const db = await explainDatabase(t, `CREATE TABLE events (id int) WITH (autovacuum_enabled = false); INSERT INTO events SELECT generate_series(1, 1000);`);
    if (!db) return;
    await db.admin(`ANALYZE events; ${FLUSH_STATS}`);
    await db.admin(`INSERT INTO events SELECT generate_series(1, 50000); ${FLUSH_STATS}`);
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-explain-'));
    const captured = (await db.explain('SELECT count(*) FROM events WHERE id > 10')).plan;
    writeFileSync(join(dir, 'plan.json'), JSON.stringify([captured]));
    writeFileSync(join(dir, 'snap.json'), JSON.stringify(await db.snapshot()));
    for (const options of [{ snapshot: 'snap.json' }, { database: db.url }]) {
      const { stdout } = await run([], { plan: 'plan.json', rule: ['stale-statistics'], ...options }, {}, dir);
      assert.match(stdout, /Table public\.events had 50,000 rows inserted, updated or deleted since it was last analyzed/, JSON.stringify(options));
      assert.doesNotMatch(stdout, /Not checked/);
    }
    const without = await run([], { plan: 'plan.json', rule: ['stale-statistics'] }, {}, dir);
    assert.match(without.stdout, /Not checked \(1 diagnosis\)\n {2}stale-statistics: needs the tables the plan reads/);
  });
});
