import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSqlFiles } from '../../src/load/load-sql-files.js';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function load(files: Record<string, string>) {
  const dir = folder(files);
  const loaded = await loadSqlFiles([dir], dir);
  const tables = await loaded.db.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind IN ('r','p') AND relnamespace = 'public'::regnamespace ORDER BY 1");
  await loaded.db.close();
  return { ...loaded, tables: tables.map((t) => t.relname) };
}

describe('loading SQL files into embedded PostgreSQL', () => {
  test('applies a Flyway folder in version order and records where objects are defined', async () => {
    const loaded = await load({
      'V2__orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\n',
      'V1__users.sql': '-- the users\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE INDEX users_id_idx ON users (id);\n',
    });
    assert.deepEqual(loaded.errors, []);
    assert.equal(loaded.partial, false);
    assert.deepEqual(loaded.tables, ['orders', 'users']);
    assert.deepEqual(loaded.definedAt['public.users'], { file: 'V1__users.sql', line: 2, column: 1 });
    assert.deepEqual(loaded.definedAt['public.users_id_idx'], { file: 'V1__users.sql', line: 3, column: 1 });
    assert.deepEqual(loaded.definedAt['public.orders'], { file: 'V2__orders.sql', line: 1, column: 1 });
  });

  test('a syntax error gives file:line:column, stops there, and keeps what loaded before', async () => {
    const loaded = await load({
      '001_a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n',
      '002_b.sql': 'CREATE TABLE b (id int PRIMARY KEY);\n\nCREATE TABEL c (id int);\n',
      '003_d.sql': 'CREATE TABLE d (id int PRIMARY KEY);\n',
    });
    assert.equal(loaded.partial, true);
    assert.equal(loaded.errors.length, 1);
    const error = loaded.errors[0]!;
    assert.equal(error.file, '002_b.sql');
    assert.equal(error.line, 3);
    assert.equal(error.column, 8);
    assert.equal(error.sqlstate, '42601');
    assert.match(error.message, /syntax error at or near "TABEL"/);
    assert.deepEqual(loaded.tables, ['a', 'b']);
  });

  test('a statement Postgres rejects is reported with SQLSTATE, detail and our explanation', async () => {
    const loaded = await load({
      'schema.sql': `CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  created_at timestamptz NOT NULL
) PARTITION BY RANGE (created_at);
CREATE TABLE later (id int);
`,
    });
    assert.equal(loaded.partial, true);
    const error = loaded.errors[0]!;
    assert.equal(error.sqlstate, '0A000');
    assert.equal(error.line, 2);
    assert.match(error.detail ?? '', /lacks column "created_at"/);
    assert.match(error.explanation ?? '', /partition key/);
    assert.match(error.suggestion ?? '', /PRIMARY KEY \(id, created_at\)/);
    assert.deepEqual(loaded.tables, ['users']);
  });

  test('a foreign key to a partitioned table without a matching key is explained', async () => {
    const loaded = await load({
      'schema.sql': `CREATE TABLE orders (id bigint, created_at date, PRIMARY KEY (id, created_at)) PARTITION BY RANGE (created_at);
CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));
`,
    });
    const error = loaded.errors[0]!;
    assert.equal(error.sqlstate, '42830');
    assert.equal(error.line, 2);
    assert.match(error.explanation ?? '', /partition key/);
  });

  test('the error position Postgres gives points at the offending token', async () => {
    const loaded = await load({ 'schema.sql': 'CREATE TABLE a (id int);\nCREATE TABLE b (id int REFERENCES missing (id));\n' });
    const error = loaded.errors[0]!;
    assert.equal(error.sqlstate, '42P01');
    assert.equal(error.line, 2);
  });

  test('contrib extensions PGlite ships are loaded; one it lacks is reported and its objects named', async () => {
    const loaded = await load({
      'schema.sql': `CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE users (id bigint PRIMARY KEY, email citext NOT NULL);
CREATE TABLE places (id bigint PRIMARY KEY, location geometry(Point, 4326));
CREATE TABLE after_it (id bigint PRIMARY KEY);
`,
    });
    assert.deepEqual(loaded.errors, []);
    assert.equal(loaded.partial, true);
    assert.deepEqual(loaded.tables, ['after_it', 'users']);
    const unavailable = loaded.notices.find((n) => n.kind === 'extension-unavailable');
    assert.match(unavailable?.message ?? '', /"postgis" is not available/);
    const skipped = loaded.notices.find((n) => n.kind === 'statement-skipped');
    assert.match(skipped?.message ?? '', /public\.places/);
    assert.equal(skipped?.line, 4);
  });

  test('-- pgarchitect-ignore comments apply to the objects of the next statement', async () => {
    const loaded = await load({
      'schema.sql': `-- pgarchitect-ignore table-without-primary-key, wide-table: imported as is
CREATE TABLE legacy (a int);
CREATE TABLE other (a int);
-- pgarchitect-ignore
CREATE INDEX other_a ON other (a);
`,
    });
    assert.deepEqual(loaded.ignores['public.legacy'], ['table-without-primary-key', 'wide-table']);
    assert.equal(loaded.ignores['public.other'], undefined);
    assert.deepEqual(loaded.ignores['public.other_a'], ['*']);
  });

  test('a missing input is one clear user error', async () => {
    await assert.rejects(loadSqlFiles(['/nonexistent/schema.sql']), /\/nonexistent\/schema.sql: no such file or folder/);
  });
});

test('an empty file loads as no statements, not as an error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-empty-'));
  writeFileSync(join(dir, 'V1__empty.sql'), '');
  writeFileSync(join(dir, 'V2__t.sql'), 'CREATE TABLE t (id int PRIMARY KEY);\n');
  const loaded = await loadSqlFiles([dir], dir);
  await loaded.db.close();
  assert.deepEqual(loaded.errors, []);
  assert.equal(loaded.statementsRun, 1);
});
