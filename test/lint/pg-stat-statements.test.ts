/**
 * `lint --from-pg-stat-statements`: the live workload of a real server, ranked by total execution
 * time, linted with the server's own schema and checked with Postgres. Each test works in a fresh
 * database of the test server and reads only that database's statements (pg_stat_statements is never
 * reset: the statements of other databases must be left out anyway).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LintResult } from '../../src/lint/lint-result.js';
import { liveDatabase } from '../support/live.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli, type CliRun } from '../support/run-cli.js';

const SCHEMA = `
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, note text);
CREATE TABLE audit (at timestamptz NOT NULL DEFAULT now(), what text);
INSERT INTO orders SELECT g, g % 10, 'note ' || g FROM generate_series(1, 200) g;
`;

/** Statements with known costs: pg_sleep makes the ranking certain. */
const WORKLOAD = [
  'SELECT pg_sleep(0.25), id FROM orders ORDER BY random() LIMIT 1', // the most time: order-by-random
  ...[1, 2, 3, 4, 5].map((n) => `SELECT *, pg_sleep(0.02) FROM orders WHERE id = ${n}`), // 5 calls, about 100 ms: select-star
  'DELETE FROM audit', // delete-without-where
  'SELECT id FROM orders WHERE customer_id = 3', // nothing to say
].join(';\n');

function assertNoPassword(run: CliRun, password = TEST_PASSWORD): void {
  for (const output of [run.stdout, run.stderr]) {
    assert.ok(!output.includes(password) && !output.includes(encodeURIComponent(password)), 'the password must never be printed');
  }
}

function json(run: CliRun): LintResult {
  assert.ok(run.stdout.startsWith('{'), `JSON expected; exit ${run.code}, stderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintResult;
}

function databaseOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

describe('lint --from-pg-stat-statements', () => {
  test("ranks the database's statements by total time, with their figures and findings, checked by Postgres; other databases are left out", async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    const other = await liveDatabase(t, 'CREATE TABLE elsewhere (id int)');
    if (!live || !other) return;
    await other.admin('SELECT * FROM elsewhere WHERE id = 99');
    await live.admin(WORKLOAD);

    const run = await runCli(['lint', '--from-pg-stat-statements', live.url, '-f', 'json']);
    assertNoPassword(run);
    const result = json(run);
    assert.equal(run.code, 1, 'delete-without-where is an error finding');
    const workload = result.workload!;
    assert.equal(workload.database, databaseOf(live.url));
    assert.match(workload.description, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_/);
    const statements = Object.entries(workload.statements).sort((a, b) => a[1].rank - b[1].rank);
    assert.deepEqual(result.source.files, statements.map(([file]) => file));
    assert.deepEqual(
      statements.map(([file, s]) => [file, s.rank]),
      statements.map((_, i) => [`pg_stat_statements#${i + 1}`, i + 1]),
    );
    for (let i = 1; i < statements.length; i++) assert.ok(statements[i - 1]![1].totalExecTimeMs >= statements[i]![1].totalExecTimeMs, 'ranked by total time');
    assert.ok(!statements.some(([, s]) => s.query.includes('elsewhere')), "another database's statement");
    assert.ok(!statements.some(([, s]) => /^\s*(SET|BEGIN|COMMIT)\b/i.test(s.query)), 'transaction and session control are left out');

    const [first, second] = statements.map(([, s]) => s);
    assert.match(first!.query, /^SELECT pg_sleep\(\$1\), id FROM orders ORDER BY random\(\) LIMIT \$2$/);
    assert.ok(first!.totalExecTimeMs >= 250 && first!.calls === 1);
    assert.match(second!.query, /^SELECT \*, pg_sleep\(\$1\) FROM orders WHERE id = \$2$/);
    assert.equal(second!.calls, 5);
    assert.ok(second!.totalExecTimeMs >= 100);
    assert.ok(Math.abs(second!.meanExecTimeMs - second!.totalExecTimeMs / 5) < 0.01);
    assert.ok(first!.share > 0.4 && first!.share < 1);
    const shares = statements.reduce((sum, [, s]) => sum + s.share, 0);
    assert.ok(shares <= 1.000001, 'shares of the same total');
    assert.ok(workload.totalExecTimeMs >= first!.totalExecTimeMs + second!.totalExecTimeMs);

    const findings = result.findings.map((f) => `${f.location!.file}:${f.location!.line}:${f.location!.column} ${f.rule}`);
    assert.ok(findings.includes('pg_stat_statements#1:1:46 order-by-random'), findings.join('\n'));
    assert.ok(findings.includes('pg_stat_statements#2:1:8 select-star'), findings.join('\n'));
    const deleteFile = statements.find(([, s]) => s.query === 'DELETE FROM audit')![0];
    assert.ok(findings.includes(`${deleteFile}:1:13 delete-without-where`), findings.join('\n'));

    // The server's own schema for the schema-aware rules, and each statement checked on it.
    assert.equal(result.source.schema?.kind, 'live');
    assert.deepEqual(result.skipped, []);
    assert.equal(result.errors.length, 0, JSON.stringify(result.errors));
    assert.ok(result.postgresCheck!.checked >= 4);
    // INSERT ... generate_series($3, $4): Postgres cannot type the normalised parameters; a notice.
    assert.ok(result.notices.some((n) => n.kind === 'statement-skipped' && /generate_series\(unknown, unknown\)/.test(n.message)));

    // The text report: ranked statements with their figures and findings.
    const text = await runCli(['lint', '--from-pg-stat-statements', live.url]);
    assertNoPassword(text);
    assert.match(text.stdout, /^pgarchitect lint: pg_stat_statements of postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\S+ \(PostgreSQL [\d.]+\)\ntop \d+ of \d+ statements by total execution time/);
    assert.match(text.stdout, /\n#1 {2}\d+% of the time: [\d.]+ ms total, 1 call, [\d.]+ ms mean {2}pg_stat_statements#1\n {4}SELECT pg_sleep\(\$1\), id FROM orders ORDER BY random\(\) LIMIT \$2\n {4}pg_stat_statements#1:1:46: warning: /);
    assert.match(text.stdout, /\n#2 {2}[\d.]+% of the time: [\d.]+ ms total, 5 calls, [\d.]+ ms mean {2}pg_stat_statements#2\n/);
    assert.match(text.stdout, /\n {4}pg_stat_statements#2:1:8: info: `SELECT \*`/);

    // The earlier runs' catalog queries are pgarchitect's own: left out.
    const again = json(await runCli(['lint', '--from-pg-stat-statements', live.url, '-f', 'json']));
    const queries = Object.values(again.workload!.statements).map((s) => s.query);
    assert.ok(!queries.some((q) => /pg_catalog\.|pg_stat_statements/.test(q)), queries.join('\n'));
    assert.ok(again.workload!.excluded > 0);
  });

  test('--top, DATABASE_URL, --db for the schema; a statement Postgres now rejects gives exit 2 at its rank', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    await live.admin('CREATE TABLE gone (id int); SELECT id FROM gone WHERE id = 1; DROP TABLE gone; SELECT pg_sleep(0.1)');

    const top = await runCli(['lint', '--from-pg-stat-statements', '--top', '1', '-f', 'json'], { env: { DATABASE_URL: live.url } });
    assertNoPassword(top);
    const topResult = json(top);
    assert.deepEqual(Object.keys(topResult.workload!.statements), ['pg_stat_statements#1']);
    assert.equal(topResult.workload!.statements['pg_stat_statements#1']!.query, 'SELECT pg_sleep($1)');
    assert.equal(topResult.workload!.top, 1);
    assert.equal(top.code, 0);

    const run = await runCli(['lint', '--from-pg-stat-statements', live.url, '-f', 'json']);
    const result = json(run);
    assert.equal(run.code, 2);
    const gone = Object.entries(result.workload!.statements).find(([, s]) => s.query === 'SELECT id FROM gone WHERE id = $1')![0];
    assert.deepEqual(
      result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.sqlstate} ${e.message}`),
      [`${gone}:1:16 42P01 relation "gone" does not exist`],
    );
    assert.equal(result.partial, true);
    const text = await runCli(['lint', '--from-pg-stat-statements', live.url]);
    assert.match(text.stdout, new RegExp(`\\n {4}${gone}:1:16: ERROR 42P01: relation "gone" does not exist\\n`));

    // --db: the schema (and the check) come from there instead.
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-pgss-'));
    writeFileSync(join(dir, 'schema.sql'), `${SCHEMA.split('INSERT')[0]}CREATE TABLE gone (id int);\n`);
    const withDb = json(await runCli(['lint', '--from-pg-stat-statements', live.url, '--db', 'schema.sql', '-f', 'json'], { cwd: dir }));
    assert.equal(withDb.source.schema?.kind, 'files');
    assert.equal(withDb.source.schema?.description, 'schema.sql');
    assert.equal(withDb.postgresCheck?.engine, 'embedded PostgreSQL (PGlite)');
    assert.deepEqual(withDb.errors, []);
  });

  test('pg_stat_statements not installed in the database: one clear error, exit 2', async (t) => {
    const live = await liveDatabase(t, 'DROP EXTENSION IF EXISTS pg_stat_statements');
    if (!live) return;
    const run = await runCli(['lint', '--from-pg-stat-statements', live.url]);
    assertNoPassword(run);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^pgarchitect: pg_stat_statements is not installed in database "t_\S+" of postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\S+\n {2}run CREATE EXTENSION pg_stat_statements; in that database \(the server must also load it: shared_preload_libraries/);
  });

  test("other roles' statements hidden (<insufficient privilege>): counted, with the grant to ask for; then read with pg_read_all_stats", async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const role = `pgss_reader_${process.pid}`;
    const password = 'reader-secret-Zq9';
    await live.admin(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN PASSWORD '${password}'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    t.after(() => live.admin(`DROP OWNED BY ${role}; DROP ROLE ${role}`));
    await live.admin(WORKLOAD);
    const url = new URL(live.url);
    url.username = role;
    url.password = password;

    const run = await runCli(['lint', '--from-pg-stat-statements', url.toString()]);
    assertNoPassword(run, password);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`^pgarchitect: pg_stat_statements: \\d+ of the top \\d+ statements by total time \\([\\d.]+% of the time\\) were run by other roles, and "${role}" may not see their text \\(<insufficient privilege>\\)\\n {2}GRANT pg_read_all_stats TO ${role};`));

    await live.admin(`GRANT pg_read_all_stats TO ${role}`);
    const granted = await runCli(['lint', '--from-pg-stat-statements', url.toString(), '-f', 'json']);
    assertNoPassword(granted, password);
    const result = json(granted);
    assert.ok(Object.values(result.workload!.statements).some((s) => s.query.startsWith('SELECT *, pg_sleep')));
  });

  test('nothing recorded for the database: exit 2 with a notice, never "no problems"', async (t) => {
    const live = await liveDatabase(t, '');
    if (!live) return;
    const run = await runCli(['lint', '--from-pg-stat-statements', live.url]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^pgarchitect: nothing to lint: pg_stat_statements has recorded no statements of database "t_\S+"/);
  });

  test('usage errors: files and the flag together, a value that is not a URL, no server, --top alone', async () => {
    const both = await runCli(['lint', 'q.sql', '--from-pg-stat-statements']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give SQL files or --from-pg-stat-statements, not both/);
    const notUrl = await runCli(['lint', '--from-pg-stat-statements', 'q.sql']);
    assert.match(notUrl.stderr, /--from-pg-stat-statements: "q\.sql" is not a postgres:\/\/ URL/);
    const noServer = await runCli(['lint', '--from-pg-stat-statements']);
    assert.match(noServer.stderr, /--from-pg-stat-statements: which server\?\n {2}give its postgres:\/\/ URL, or set DATABASE_URL/);
    const topAlone = await runCli(['lint', 'q.sql', '--top', '5']);
    assert.match(topAlone.stderr, /--top applies to --from-pg-stat-statements/);
    const badTop = await runCli(['lint', '--from-pg-stat-statements', 'postgres://u@127.0.0.1:1/db', '--top', 'many']);
    assert.match(badTop.stderr, /--top: "many" is not a positive whole number/);
    assert.equal(badTop.code, 2);
  });
});
