/**
 * `lint --db`: each statement is also checked with Postgres (PREPARE, never executed) on the schema's
 * engine, embedded PGlite for SQL files or a live server, and a statement Postgres rejects gets
 * Postgres's error at its file:line:column, exit code 2.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkWithPostgres } from '../../src/lint/check-with-postgres.js';
import type { LintResult } from '../../src/lint/lint-result.js';
import { useSchema } from '../support/embedded.js';
import { liveDatabase } from '../support/live.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli } from '../support/run-cli.js';

const SCHEMA = `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users, total numeric NOT NULL);
`;

/** Line by line: what Postgres says about each (the check runs statements in order). */
const QUERIES = [
  'SELECT id, email FROM users WHERE id = $1;', // 1: valid, with a parameter
  'SELECT name FROM missing_table;', // 2: 42P01 at missing_table
  'SELECT id FROM users', // 3
  "  WHERE id = 'abc';", // 4: 22P02 at 'abc'
  'SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = $1 AND o.total > $2;', // 5: valid
  'SELECT id FROM users WHERE created_at > 42;', // 6: 42883 operator does not exist, at >
  'UPDATE orders SET total = total * 1.1 WHERE user_id = $1;', // 7: valid, never executed
  'SELECT $1 + $2;', // 8: ambiguous without the types the application binds: a notice
  '',
].join('\n');

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-check-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorsOf(result: LintResult): string[] {
  return result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.sqlstate} ${e.message}`);
}

const EXPECTED_ERRORS = [
  'q.sql:2:18 42P01 relation "missing_table" does not exist',
  'q.sql:4:14 22P02 invalid input syntax for type bigint: "abc"',
  'q.sql:6:39 42883 operator does not exist: timestamp with time zone > integer',
];

describe('lint --db: statements checked with Postgres', () => {
  test('SQL files (PGlite): Postgres errors with file:line:column and SQLSTATE, exit 2; valid statements pass', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA, 'q.sql': QUERIES });
    const run = await runCli(['lint', 'q.sql', '--db', 'schema.sql', '-f', 'json'], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    const result = JSON.parse(run.stdout) as LintResult;
    assert.deepEqual(errorsOf(result), EXPECTED_ERRORS);
    assert.equal(result.errors[2]!.hint, 'No operator matches the given name and argument types. You might need to add explicit type casts.');
    assert.equal(result.partial, true);
    assert.deepEqual(result.postgresCheck, { engine: 'embedded PostgreSQL (PGlite)', checked: 7, rejected: 3, notCheckable: 0 });
    assert.deepEqual(
      result.notices.map((n) => [n.kind, `${n.file}:${n.line}`]),
      [['statement-skipped', 'q.sql:8']],
    );
    assert.match(result.notices[0]!.message, /parameters are ambiguous \(operator is not unique: unknown \+ unknown\)/);

    const text = await runCli(['lint', 'q.sql', '--db', 'schema.sql'], { cwd: dir });
    assert.equal(text.code, 2);
    assert.match(text.stdout, /\nchecked with Postgres \(embedded PostgreSQL \(PGlite\)\): 7 statements, 3 rejected\n/);
    assert.match(text.stdout, /\nq\.sql:2:18: ERROR 42P01: relation "missing_table" does not exist\n/);
    assert.match(text.stdout, /3 statements rejected by Postgres, see above\n$/);
  });

  test('a valid file: no error, exit code from the findings only', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA, 'ok.sql': 'SELECT id FROM users WHERE email = $1;\nDELETE FROM orders WHERE id = 7;\n' });
    const run = await runCli(['lint', 'ok.sql', '--db', 'schema.sql', '-f', 'json'], { cwd: dir });
    const result = JSON.parse(run.stdout) as LintResult;
    assert.deepEqual(result.errors, []);
    assert.equal(result.postgresCheck?.checked, 2);
    assert.equal(run.code, 0);
    const [count] = await (await useSchema(SCHEMA)).query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    assert.equal(count!.n, 0);
  });

  test('DDL is not checked (not run); after it, "does not exist" is a notice: the statement may use what the file creates', async () => {
    const migration = [
      'CREATE TABLE audit (id bigint, what text);', // 1
      'CREATE INDEX ON nowhere (x);', // 2: would fail if run; not checked
      'INSERT INTO audit (id, what) VALUES (1, $1);', // 3: audit does not exist for the check
      "SELECT id FROM users WHERE id = 'x';", // 4: still an error (not a missing object)
      '',
    ].join('\n');
    const dir = workspace({ 'schema.sql': SCHEMA, 'm.sql': migration });
    const run = await runCli(['lint', 'm.sql', '--db', 'schema.sql', '-f', 'json'], { cwd: dir });
    const result = JSON.parse(run.stdout) as LintResult;
    assert.deepEqual(errorsOf(result), ['m.sql:4:33 22P02 invalid input syntax for type bigint: "x"']);
    assert.deepEqual(result.postgresCheck, { engine: 'embedded PostgreSQL (PGlite)', checked: 2, rejected: 1, notCheckable: 2 });
    assert.equal(result.notices.length, 1);
    assert.equal(`${result.notices[0]!.file}:${result.notices[0]!.line}:${result.notices[0]!.column}`, 'm.sql:3:13');
    assert.match(result.notices[0]!.message, /relation "audit" does not exist; the file changes the schema or the session \(line 1\)/);
    assert.equal(run.code, 2);
  });

  test('a schema that did not load completely: statements are not checked, and the report says so', async () => {
    const dir = workspace({ 'schema.sql': `${SCHEMA}CREATE TABLE broken (id nosuchtype);\n`, 'q.sql': 'SELECT name FROM missing_table;\n' });
    const run = await runCli(['lint', 'q.sql', '--db', 'schema.sql', '-f', 'json'], { cwd: dir });
    const result = JSON.parse(run.stdout) as LintResult;
    assert.deepEqual(result.errors.map((e) => `${e.file} ${e.sqlstate}`), ['schema.sql 42704']);
    assert.equal(result.postgresCheck, undefined);
    assert.ok(result.notices.some((n) => /not checked with Postgres: the schema did not load completely/.test(n.message)));
  });

  test('checkWithPostgres: positions in characters map to columns past multi-byte text; nothing is left prepared', async () => {
    const db = await useSchema(SCHEMA);
    const text = "-- größe 😀\nSELECT 'é😀' AS x,\n       nope FROM users;\nSELECT 1;";
    const check = await checkWithPostgres(db, [{ file: 'u.sql', text }]);
    assert.deepEqual(
      check.errors.map((e) => [e.file, e.line, e.column, e.sqlstate]),
      [['u.sql', 3, 8, '42703']],
    );
    assert.equal(check.checked, 2);
    const [prepared] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements');
    assert.equal(prepared!.n, 0);
  });

  test('a live server (--db postgres://): the same errors from the server itself, without its password', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const dir = workspace({ 'q.sql': QUERIES });
    const run = await runCli(['lint', 'q.sql', '--db', live.url, '-f', 'json'], { cwd: dir });
    assert.ok(!run.stdout.includes(TEST_PASSWORD) && !run.stderr.includes(TEST_PASSWORD));
    assert.equal(run.code, 2, run.stderr);
    const result = JSON.parse(run.stdout) as LintResult;
    assert.deepEqual(errorsOf(result), EXPECTED_ERRORS);
    assert.match(result.postgresCheck!.engine, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_/);
    assert.equal(result.postgresCheck!.checked, 7);
    // The UPDATE was prepared, never run.
    const [row] = await live.server.query<{ n: string }>(new URL(live.url).pathname.slice(1), 'SELECT count(*) AS n FROM orders');
    assert.equal(row!.n, '0');
  });
});
