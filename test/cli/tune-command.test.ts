/** `pgarchitect tune` through the CLI: the four formats, hardware flags, one-line errors and exit codes. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { liveDatabase } from '../support/live.js';
import { runCli } from '../support/run-cli.js';

const HARDWARE = ['--memory', '16GB', '--cpus', '8', '--storage', 'ssd', '--connections', '200', '--workload', 'web', '--pg-version', '18'];

describe('tune (CLI)', () => {
  test('without a server: the formulas alone, as JSON', async () => {
    const run = await runCli(['tune', ...HARDWARE, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.schemaVersion, 1);
    assert.equal(result.server, null);
    assert.deepEqual(result.inputs.memory, { kb: 16 * 1024 * 1024, display: '16GB', source: 'given', note: null });
    assert.deepEqual(result.inputs.postgres, { major: 18, source: 'given' });
    const values = Object.fromEntries(result.recommendations.map((r: { name: string; recommended: string }) => [r.name, r.recommended]));
    assert.equal(values.shared_buffers, '4GB');
    assert.equal(values.work_mem, '20164kB');
    assert.ok(result.recommendations.every((r: { current: null; change: boolean }) => r.current === null && r.change));
    assert.match(result.notExamined[0], /^no server:/);
  });

  test('text: a table with an empty current column, the restart flags and the notes', async () => {
    const run = await runCli(['tune', ...HARDWARE]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^pgarchitect tune: no server, PostgreSQL 18\nhardware: 16 GB memory \(given\) · 8 CPUs \(given\) · ssd storage \(given\) · linux \(assumed\)\n/);
    const lines = run.stdout.split('\n');
    const header = lines.find((l) => /^ {3}setting +current +recommended +restart +why$/.test(l))!;
    assert.ok(header, 'the table header');
    const row = (name: string) => lines.find((l) => l.startsWith(`   ${name} `))!;
    // The current column is empty: each recommendation starts under its header.
    assert.equal(row('shared_buffers').indexOf('4GB'), header.indexOf('recommended'));
    assert.equal(row('shared_buffers').indexOf('restart'), header.indexOf('restart'));
    assert.match(row('shared_buffers'), /restart {2}a quarter of the memory \(16GB \/ 4\)/);
    assert.equal(row('work_mem').indexOf('20164kB'), header.indexOf('recommended'));
    assert.match(row('work_mem'), / {2}\(memory − shared_buffers\)/);
    assert.match(run.stdout, /need a restart\.\nNothing was applied\./);
  });

  test('--format sql: ALTER SYSTEM statements only, which the real parser reads; --format conf: name = \'value\' lines', async () => {
    await ensureParser();
    const sql = await runCli(['tune', ...HARDWARE, '--format', 'sql']);
    assert.equal(sql.code, 0, sql.stderr);
    const parsed = parseSync(sql.stdout) as unknown as { stmts: { stmt: Record<string, unknown> }[] };
    assert.equal(parsed.stmts.length, 20);
    for (const { stmt } of parsed.stmts) assert.deepEqual(Object.keys(stmt), ['AlterSystemStmt']);
    assert.match(sql.stdout, /^-- shared_buffers: a quarter of the memory \(16GB \/ 4\); the OS cache holds the rest \[restart\]\nALTER SYSTEM SET shared_buffers = '4GB';$/m);
    assert.match(sql.stdout, /^-- Restart the server for max_connections, shared_buffers, huge_pages, wal_buffers, max_worker_processes, io_method: they take effect only then\.$/m);

    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-tune-'));
    const conf = await runCli(['tune', ...HARDWARE, '--format', 'conf', '-o', 'tune.conf'], { cwd: dir });
    assert.equal(conf.code, 0, conf.stderr);
    assert.equal(conf.stdout, '');
    const lines = readFileSync(join(dir, 'tune.conf'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(lines.length, 20);
    for (const line of lines) assert.match(line, /^[a-z_]+ = '[^']*'$/);
    assert.ok(lines.includes("work_mem = '20164kB'"));
  });

  test('one-line errors, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['tune', '--memory', '16'], /^pgarchitect: --memory: "16" is not a size\n {2}give a unit: --memory 16GB/],
      [['tune', '--memory', '16GB', '--cpus', 'many'], /^pgarchitect: --cpus: "many" is not a whole number of at least 1\n$/],
      [['tune', '--memory', '16GB', '--pg-version', '9'], /^pgarchitect: --pg-version: 9 is not a PostgreSQL major from 10 on\n$/],
      [['tune', '-d', 'postgres://app:s3cret@db.example.invalid/shop'], /^pgarchitect: the server is on db\.example\.invalid, not this machine, and --memory was not given: its memory cannot be read over SQL\n {2}give the memory of the server: --memory 16GB \(and --cpus and --storage\)\n$/],
      [['tune', '-d', 'db.example.invalid'], /^pgarchitect: -d: "db\.example\.invalid" is not a postgres:\/\/ URL\n$/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
      assert.ok(!run.stderr.includes('s3cret'));
    }
    const storage = await runCli(['tune', '--memory', '16GB', '--storage', 'tape']);
    assert.equal(storage.code, 2);
    assert.match(storage.stderr, /--storage.*tape/);
  });

  test('a live server through -d or DATABASE_URL: the SQL names it, never its password', async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    const run = await runCli(['tune', '-d', db.url, '--memory', '4GB', '--cpus', '2', '--storage', 'ssd', '--format', 'sql']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stdout.includes(new URL(db.url).password));
    assert.match(run.stdout, /^-- pgarchitect tune for postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\d+_\d+ \(PostgreSQL 15\.\d+/);
    assert.match(run.stdout, /^ALTER SYSTEM SET shared_buffers = '1GB';$/m);
    const env = await runCli(['tune', '--memory', '4GB', '--cpus', '2', '--storage', 'ssd', '--format', 'json'], { env: { DATABASE_URL: db.url } });
    assert.equal(env.code, 0, env.stderr);
    assert.equal(JSON.parse(env.stdout).server.maxConnections, 50);
  });
});
