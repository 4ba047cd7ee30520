/**
 * `pgarchitect migrate` through main(): argument parsing, the folder and configuration defaults,
 * text and JSON output, exit codes, one-line errors, and no password anywhere.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { MigrateResult } from '../../src/migrate/result.js';
import { liveDatabase } from '../support/live.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli, type CliRun } from '../support/run-cli.js';
import { migrationsFolder } from '../migrate/helpers.js';

/** A URL that is never connected to: the commands below stop before connecting. */
const UNUSED = { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/none' };

function assertNoPassword(run: CliRun): void {
  for (const secret of [TEST_PASSWORD, encodeURIComponent(TEST_PASSWORD), 's3cret']) {
    assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'a password must never be printed');
  }
}

describe('pgarchitect migrate (CLI)', () => {
  test('new: db/migrations by default, migrations when only that exists, the folder\'s layout and numbering', async () => {
    const project = migrationsFolder({});
    const first = await runCli(['migrate', 'new', 'init'], { cwd: project });
    assert.deepEqual([first.code, first.stdout, first.stderr], [0, `created ${join('db', 'migrations', 'V1__init.sql')}\n`, '']);
    assert.equal((await runCli(['migrate', 'new', 'add orders index'], { cwd: project })).stdout, `created ${join('db', 'migrations', 'V2__add_orders_index.sql')}\n`);

    const golang = migrationsFolder({ 'migrations/0007_a.up.sql': '', 'migrations/0007_a.down.sql': '' });
    const next = await runCli(['migrate', 'new', 'add_orders_index', '-f', 'json'], { cwd: golang });
    assert.equal(next.code, 0);
    assert.deepEqual(JSON.parse(next.stdout), { layout: 'golang-migrate', version: '0008', files: [join('migrations', '0008_add_orders_index.up.sql'), join('migrations', '0008_add_orders_index.down.sql')] });

    const empty = migrationsFolder({});
    assert.equal((await runCli(['migrate', 'new', 'init', '--layout', 'golang-migrate', '--dir', 'sql'], { cwd: empty })).code, 0);
    assert.ok(existsSync(join(empty, 'sql', '000001_init.up.sql')) && existsSync(join(empty, 'sql', '000001_init.down.sql')));
  });

  test('files that cannot run are refused before connecting: exit 2, one line each at file:line:col', async () => {
    const project = migrationsFolder({
      'db/migrations/V1__a.sql': 'CREATE TABLE a (id int);',
      'db/migrations/V1__b.sql': 'CREATE TABLE b (id int);',
      'db/migrations/V2__c.sql': 'CREATE TABLE c (id int);\nSELEC 1;\n',
      'db/migrations/V4__d.sql': 'SELECT 1;',
    });
    const run = await runCli(['migrate', 'up', '--no-gaps'], { cwd: project, env: UNUSED });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      [
        'db/migrations/V1__b.sql:1:1: duplicate version 1: db/migrations/V1__a.sql is the migration of that version too',
        'db/migrations/V2__c.sql:2:1: syntax error at or near "SELEC" (SQLSTATE 42601)',
        'db/migrations/V4__d.sql:1:1: gap before version 4: version 3 is missing (gaps are refused by --no-gaps or "noGaps" in the configuration)',
        'pgarchitect: 3 problems in the migration files; nothing was run',
        '',
      ].join('\n'),
    );
    assertNoPassword(run);
    // The configuration can ask for --no-gaps, and name the folder.
    const configured = migrationsFolder({ 'sql/V1__a.sql': 'SELECT 1;', 'sql/V3__b.sql': 'SELECT 1;', 'pgarchitect.config.json': JSON.stringify({ migrate: { dir: 'sql', noGaps: true } }) });
    const fromConfig = await runCli(['migrate', 'validate'], { cwd: configured, env: UNUSED });
    assert.equal(fromConfig.code, 2);
    assert.match(fromConfig.stderr, /^sql\/V3__b\.sql:1:1: gap before version 3: version 2 is missing/);
  });

  test('usage errors: exit 2, one clear line', async () => {
    const project = migrationsFolder({ 'db/migrations/V1__a.sql': 'SELECT 1;' });
    const noDb = await runCli(['migrate', 'status'], { cwd: project });
    assert.deepEqual([noDb.code, noDb.stderr], [2, 'pgarchitect: migrate status needs a database\n  give -d postgres://user@host/db, or set DATABASE_URL\n']);
    const toOnStatus = await runCli(['migrate', 'status', '--to', '3'], { cwd: project, env: UNUSED });
    assert.deepEqual([toOnStatus.code], [2]);
    assert.match(toOnStatus.stderr, /error: unknown option '--to'/);
    const badCount = await runCli(['migrate', 'down', 'all'], { cwd: project, env: UNUSED });
    assert.deepEqual([badCount.code, badCount.stderr], [2, 'pgarchitect: down: "all" is not a whole number of 1 or more\n']);
    const noFolder = await runCli(['migrate', 'up', '--dir', 'nowhere'], { cwd: project, env: UNUSED });
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.stderr, /^pgarchitect: nowhere: no such migrations folder\n/);
    const badConfig = migrationsFolder({ 'pgarchitect.config.json': JSON.stringify({ migrate: { folder: 'x' } }) });
    assert.match((await runCli(['migrate', 'status'], { cwd: badConfig, env: UNUSED })).stderr, /"migrate" has no key "folder"/);
  });

  test('up, status, validate, down and baseline on a server: text and JSON, exit codes, no password', async (t) => {
    const live = await liveDatabase(t, '');
    if (!live) return;
    const project = migrationsFolder({
      'migrations/0001_init.up.sql': 'CREATE TABLE items (id int PRIMARY KEY);',
      'migrations/0001_init.down.sql': 'DROP TABLE items;',
      'migrations/0002_index.up.sql': 'CREATE INDEX CONCURRENTLY items_id_idx ON items (id);',
      'migrations/0002_index.down.sql': 'DROP INDEX CONCURRENTLY items_id_idx;',
    });
    const cli = (...args: string[]) => runCli(['migrate', ...args, '-d', live.url, '--no-color'], { cwd: project });

    const up = await cli('up');
    assertNoPassword(up);
    assert.equal(up.code, 0, up.stderr);
    const [header, where, ...lines] = up.stdout.split('\n');
    assert.match(header!, /^pgarchitect migrate up: postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\d+_\d+$/);
    assert.equal(where, 'migrations (golang-migrate)');
    assert.match(lines[0]!, /^ {2}✔ applied {7}1 {6}migrations\/0001_init\.up\.sql +\d+ ms {2}in one transaction$/);
    assert.match(lines[1]!, /^ {2}✔ applied {7}2 {6}migrations\/0002_index\.up\.sql +\d+ ms {2}statement by statement, outside a transaction: CREATE INDEX CONCURRENTLY$/);
    assert.match(lines[2]!, /^2 migrations applied in \d+ ms; the database is at version 2\.$/);

    const status = await cli('status', '-f', 'json');
    assert.equal(status.code, 0);
    const parsed = JSON.parse(status.stdout) as MigrateResult;
    assert.equal(parsed.schemaVersion, 1);
    assert.deepEqual(parsed.migrations.map((m) => [m.version, m.state, m.transactional, m.hasDown]), [['1', 'applied', true, true], ['2', 'applied', false, true]]);
    assertNoPassword(status);

    writeFileSync(join(project, 'migrations', '0001_init.up.sql'), 'CREATE TABLE items (id bigint PRIMARY KEY);');
    const validate = await cli('validate');
    assert.equal(validate.code, 1);
    assert.match(validate.stdout, /^problem: migrations\/0001_init\.up\.sql: changed since it was applied/m);
    assert.match(validate.stdout, /^Invalid: 1 problem\.$/m);
    const blocked = await cli('up');
    assert.equal(blocked.code, 1);
    assert.match(blocked.stdout, /^Stopped before running anything: 1 problem\.$/m);
    assert.equal((await cli('repair')).code, 0);
    assert.equal((await cli('validate')).code, 0);

    const down = await cli('down', '2', '--dry-run');
    assert.equal(down.code, 0);
    assert.match(down.stdout, /· would revert {2}↓ 2 {4}migrations\/0002_index\.down\.sql +statement by statement, outside a transaction: DROP INDEX CONCURRENTLY/);
    assert.match(down.stdout, /^2 migrations would be reverted; nothing was written\.$/m);
    assert.equal((await cli('down', '2')).code, 0);

    // baseline --version (the program's own --version must not answer), then up runs what follows.
    const baseline = await cli('baseline', '--version', '1');
    assert.equal(baseline.code, 0, baseline.stderr);
    assert.match(baseline.stdout, /^note: baseline at version 1: 1 migration file up to it counts as applied and will not run$/m);
    const afterBaseline = await cli('up', '-f', 'json');
    assert.deepEqual((JSON.parse(afterBaseline.stdout) as MigrateResult).steps.map((s) => s.file), ['migrations/0002_index.up.sql']);
  });

  test('a failed migration: exit 1, its file, statement, line and the Postgres error', async (t) => {
    const live = await liveDatabase(t, '');
    if (!live) return;
    const project = migrationsFolder({
      'db/migrations/V1__ok.sql': 'CREATE TABLE a (id int);',
      'db/migrations/V2__bad.sql': "CREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nINSERT INTO b VALUES ('x');\nCREATE TABLE c (id int);\nCREATE TABLE d (id int);\n",
    });
    mkdirSync(join(project, 'unused'), { recursive: true });
    const run = await runCli(['migrate', 'up', '--no-color'], { cwd: project, env: { DATABASE_URL: live.url } });
    assertNoPassword(run);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^ {2}✘ failed {8}2 {6}db\/migrations\/V2__bad\.sql/m);
    assert.match(run.stdout, /^db\/migrations\/V2__bad\.sql:3:23: statement 3 of 5 failed: 22P02 invalid input syntax for type integer: "x"$/m);
    assert.match(run.stdout, /^ {2}rolled back: nothing of db\/migrations\/V2__bad\.sql stays applied; recorded as failed: the next `migrate up` starts from it$/m);
    assert.match(run.stdout, /^Failed: 1 migration applied before it; the database is at version 1\.$/m);
  });
});
