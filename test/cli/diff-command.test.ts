import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { DiffResult } from '../../src/diff/diff-result.js';
import { splitStatements } from '../../src/sql/split-statements.js';
import { snapshotOf } from '../support/embedded.js';
import { liveDatabase } from '../support/live.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli, type CliRun } from '../support/run-cli.js';

const FROM = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, legacy_code text);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric(10,2));
`;
const TO = `
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric(12,2));
CREATE INDEX orders_customer_idx ON orders (customer_id);
`;

let dir: string;

function assertNoPassword(run: CliRun): void {
  assert.ok(!run.stdout.includes(TEST_PASSWORD) && !run.stderr.includes(TEST_PASSWORD), 'the password must never be printed');
}

describe('pgarchitect diff', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pgarchitect-diff-'));
    writeFileSync(join(dir, 'from.sql'), FROM);
    writeFileSync(join(dir, 'to.sql'), TO);
    writeFileSync(join(dir, 'broken.sql'), 'CREATE TABLE ok (id int);\nCREATE TABLE bad (id int REFERENCES nowhere);\n');
    writeFileSync(join(dir, 'from.json'), JSON.stringify(await snapshotOf(FROM)));
    writeFileSync(join(dir, 'to.json'), JSON.stringify(await snapshotOf(TO)));
  });

  test('SQL files on both sides: the migration on stdout, exit 1; the same schema twice: exit 0', async () => {
    const run = await runCli(['diff', '--from', 'from.sql', '--to', 'to.sql'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^-- Migration from from\.sql to to\.sql, written by pgarchitect diff\.\n/);
    assert.ok(run.stdout.includes('CREATE INDEX CONCURRENTLY orders_customer_idx ON public.orders USING btree (customer_id);'));
    assert.ok(run.stdout.includes('ALTER TABLE public.orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers(id) NOT VALID;'));
    assert.ok(run.stdout.includes('-- ALTER TABLE public.customers DROP COLUMN legacy_code;'), 'a drop is a comment without --allow-drops');
    const same = await runCli(['diff', '--from', 'to.sql', '--to', 'to.sql'], { cwd: dir });
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /-- No differences\.\n$/);
  });

  test('--format json lists the steps; --allow-drops writes the destructive ones', async () => {
    const run = await runCli(['diff', '--from', 'from.json', '--to', 'to.json', '--format', 'json'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const result = JSON.parse(run.stdout) as DiffResult;
    assert.equal(result.schemaVersion, 1);
    assert.deepEqual(result.options, { allowDrops: false, concurrently: true });
    const drop = result.steps.find((s) => s.kind === 'drop column')!;
    assert.deepEqual(
      { object: drop.object, destructive: drop.destructive, applied: drop.applied },
      { object: { type: 'column', schema: 'public', table: 'customers', name: 'legacy_code' }, destructive: true, applied: false },
    );
    assert.match(drop.loses ?? '', /values of legacy_code/);
    const retype = result.steps.find((s) => s.kind === 'alter column type')!;
    assert.equal(retype.safeOnline, true, 'numeric(10,2) -> numeric(12,2) needs no rewrite');
    assert.ok(result.steps.every((s) => typeof s.sql === 'string' && Array.isArray(s.notes)));
    const allowed = JSON.parse((await runCli(['diff', '--from', 'from.json', '--to', 'to.json', '-f', 'json', '--allow-drops'], { cwd: dir })).stdout) as DiffResult;
    assert.ok(allowed.steps.every((s) => s.applied));
  });

  test('--no-concurrently writes plain index statements; -o writes a file and says so', async () => {
    const run = await runCli(['diff', '--from', 'from.json', '--to', 'to.json', '--no-concurrently', '-o', 'migration.sql'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /wrote \d+ steps to migration\.sql \(1 as comments/);
    const sql = readFileSync(join(dir, 'migration.sql'), 'utf8');
    assert.ok(sql.includes('CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id);'));
    assert.ok(sql.includes('CREATE UNIQUE INDEX customers_email_key ON public.customers USING btree (email);'));
    assert.ok(!sql.includes('INDEX CONCURRENTLY'));
  });

  test('bad input exits 2 with one clear line', async () => {
    const missing = await runCli(['diff', '--from', 'from.json'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--to <inputs\.\.\.>/);
    const absent = await runCli(['diff', '--from', 'nothing-here.json', '--to', 'to.json'], { cwd: dir });
    assert.equal(absent.code, 2);
    assert.match(absent.stderr, /nothing-here\.json: no such file/);
    const rejected = await runCli(['diff', '--from', 'from.json', '--to', 'broken.sql'], { cwd: dir });
    assert.equal(rejected.code, 2);
    assert.match(rejected.stderr, /--to: .*broken\.sql:2:\d+: ERROR 42P01: relation "nowhere" does not exist/);
    assert.equal(rejected.stdout, '');
    const old = JSON.parse(readFileSync(join(dir, 'from.json'), 'utf8')) as Record<string, unknown>;
    delete old.types;
    writeFileSync(join(dir, 'old.json'), JSON.stringify(old));
    const outdated = await runCli(['diff', '--from', 'old.json', '--to', 'to.json'], { cwd: dir });
    assert.equal(outdated.code, 2);
    assert.match(outdated.stderr, /--from: the snapshot .* lacks what diff needs[\s\S]*take the snapshot again/);
    assert.ok(!existsSync(join(dir, 'nothing-here.json')));
  });

  test('a live server as from: its migration, applied as psql would, leaves no difference (PostgreSQL 15)', async (t) => {
    const live = await liveDatabase(t, `${FROM}\nDROP EXTENSION IF EXISTS hypopg;\nDROP EXTENSION IF EXISTS pg_stat_statements;\nINSERT INTO customers (email) VALUES ('a@example.com');`);
    if (!live) return;
    const run = await runCli(['diff', '--from', live.url, '--to', 'to.sql', '--allow-drops'], { cwd: dir });
    assertNoPassword(run);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^-- Migration from postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\S+ to to\.sql/);
    for (const statement of await splitStatements(run.stdout)) await live.admin(statement.text);
    const again = await runCli(['diff', '--from', live.url, '--to', 'to.sql'], { cwd: dir });
    assert.equal(again.code, 0, again.stdout);
    assertNoPassword(again);
  });
});
