/**
 * Reading a migrations folder (no server): layouts, pairing, checksums, the problems that refuse a
 * folder before anything runs, which statements refuse a transaction, and `migrate new`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { orderMigrations, parseMigrationFileName } from '../../src/load/discover.js';
import { MigrationFilesError, readMigrationFolder, scriptChecksum } from '../../src/migrate/migration-files.js';
import { newMigration } from '../../src/migrate/new-migration.js';
import { isConcurrentOperation, nonTransactionalReason } from '../../src/migrate/transaction-safety.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { migrationsFolder } from './helpers.js';

async function problems(files: Record<string, string>, options: { noGaps?: boolean } = {}): Promise<string[]> {
  const dir = migrationsFolder(files);
  try {
    await readMigrationFolder(dir, { cwd: dir, ...options });
  } catch (error) {
    if (error instanceof MigrationFilesError) return error.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('migration folders', () => {
  test('Flyway: versions in numeric order, repeatables apart, undo files paired with their version', async () => {
    const dir = migrationsFolder({
      'V10__late.sql': 'SELECT 10;',
      'V2__second.sql': 'SELECT 2;',
      'sub/V1.1__patch.sql': 'SELECT 11;',
      'V1__init.sql': 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n',
      'U2__second.sql': 'SELECT -2;',
      'R__views.sql': 'CREATE VIEW v AS SELECT 1;',
      'README.md': 'not SQL, not read',
    });
    const folder = await readMigrationFolder(dir, { cwd: dir });
    assert.equal(folder.layout, 'flyway');
    assert.deepEqual(
      folder.versioned.map((m) => [m.version, m.description, m.up.display, m.down?.file ?? null]),
      [
        ['1', 'init', 'V1__init.sql', null],
        ['1.1', 'patch', join('sub', 'V1.1__patch.sql'), null],
        ['2', 'second', 'V2__second.sql', 'U2__second.sql'],
        ['10', 'late', 'V10__late.sql', null],
      ],
    );
    assert.deepEqual(folder.repeatable.map((r) => r.description), ['views']);
    const init = folder.versioned[0]!.up;
    assert.equal(init.statements.length, 2);
    assert.equal(init.checksum, scriptChecksum('CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n'));
    assert.deepEqual(init.locate(init.statements[1]!.offset), { line: 2, column: 1 });
  });

  test('golang-migrate: up and down files paired by version; versions normalised (0003 is 3)', async () => {
    const dir = migrationsFolder({
      '0001_init.up.sql': 'CREATE TABLE t (id int);',
      '0001_init.down.sql': 'DROP TABLE t;',
      '0003_more.up.sql': 'ALTER TABLE t ADD c int;',
      '0002_add_x.up.sql': 'BEGIN;\nALTER TABLE t ADD x int;\nCOMMIT;\n',
      '0002_add_x.down.sql': 'ALTER TABLE t DROP x;',
    });
    const folder = await readMigrationFolder(dir, { cwd: dir });
    assert.equal(folder.layout, 'golang-migrate');
    assert.deepEqual(folder.versioned.map((m) => [m.version, m.description, m.down?.file ?? null]), [
      ['1', 'init', '0001_init.down.sql'],
      ['2', 'add x', '0002_add_x.down.sql'],
      ['3', 'more', null],
    ]);
    // The file's own BEGIN … COMMIT is left to the runner, which owns the transaction.
    const addX = folder.versioned[1]!.up;
    assert.equal(addX.ownTransaction, true);
    assert.deepEqual(addX.statements.map((s) => s.text), ['ALTER TABLE t ADD x int']);
  });

  test('checksums ignore a byte-order mark and CRLF line ends, and see any other change', () => {
    assert.equal(scriptChecksum('\uFEFFSELECT 1;\r\nSELECT 2;\r\n'), scriptChecksum('SELECT 1;\nSELECT 2;\n'));
    assert.notEqual(scriptChecksum('SELECT 1;\n'), scriptChecksum('SELECT 1; \n'));
  });

  test('refused before anything runs, one line each at file:line:col: duplicates, unknown names, unparsable SQL, stray transaction control, orphan down files', async () => {
    assert.deepEqual(
      await problems({
        'V1__init.sql': 'CREATE TABLE t (id int);',
        'V1.0__again.sql': 'SELECT 1;',
        'V2__broken.sql': 'CREATE TABLE a (id int);\n\nCREATE TABEL b (id int);\n',
        'V3__commits.sql': 'CREATE TABLE c (id int);\nCOMMIT;\nCREATE TABLE d (id int);\n',
        'U4__orphan.sql': 'SELECT 1;',
        'notes.sql': 'SELECT 1;',
        'V5__psql.sql': 'CREATE TABLE e (id int);\n\\i other.sql\n',
      }),
      [
        'U4__orphan.sql:1:1: no migration of version 4 for this undo file to undo',
        'V1__init.sql:1:1: duplicate version 1: V1.0__again.sql is the migration of that version too',
        'V2__broken.sql:3:8: syntax error at or near "TABEL" (SQLSTATE 42601)',
        'V3__commits.sql:2:1: COMMIT inside a migration: pgarchitect runs each migration in its own transaction (a file may only wrap all of itself in BEGIN … COMMIT)',
        'V5__psql.sql:2:1: syntax error at or near "\\" (SQLSTATE 42601)',
        'notes.sql:1:1: not a migration file name: expected V<version>__<description>.sql, R__<description>.sql or U<version>__<description>.sql (Flyway), or <version>_<description>.up.sql and .down.sql (golang-migrate)',
      ],
    );
  });

  test('one layout per folder; golang-migrate duplicates and orphan down files', async () => {
    assert.deepEqual(
      await problems({
        '0001_a.up.sql': 'SELECT 1;',
        '001_b.up.sql': 'SELECT 1;',
        '0002_c.down.sql': 'SELECT 1;',
        '0003_d.up.sql': 'SELECT 1;',
        'V9__flyway.sql': 'SELECT 1;',
      }),
      [
        '0002_c.down.sql:1:1: no migration of version 2 for this down file to undo',
        '001_b.up.sql:1:1: duplicate version 1: 0001_a.up.sql is the migration of that version too',
        'V9__flyway.sql:1:1: a flyway name in a folder of golang-migrate migrations: use one layout',
      ],
    );
  });

  test('gaps are refused only when asked', async () => {
    const files = { 'V1__a.sql': 'SELECT 1;', 'V1.1__b.sql': 'SELECT 1;', 'V2__c.sql': 'SELECT 1;', 'V5__d.sql': 'SELECT 1;', 'V7__e.sql': 'SELECT 1;' };
    assert.deepEqual(await problems(files), []);
    assert.deepEqual(await problems(files, { noGaps: true }), [
      'V5__d.sql:1:1: gap before version 5: versions 3 to 4 are missing (gaps are refused by --no-gaps or "noGaps" in the configuration)',
      'V7__e.sql:1:1: gap before version 7: version 6 is missing (gaps are refused by --no-gaps or "noGaps" in the configuration)',
    ]);
  });

  test('a folder that does not exist is a user error', async () => {
    await assert.rejects(readMigrationFolder('/nonexistent/migrations', { cwd: '/' }), (error: unknown) => error instanceof UserError && /no such migrations folder/.test(error.message));
  });

  test('file names: the review keeps its order; parseMigrationFileName reads the same patterns', () => {
    assert.deepEqual(parseMigrationFileName('V1_1__add_orders.sql'), { layout: 'flyway', kind: 'versioned', version: '1_1', versionParts: [1n, 1n], description: 'add orders' });
    assert.deepEqual(parseMigrationFileName('000012_add_index.down.sql'), { layout: 'golang-migrate', kind: 'down', version: '000012', versionParts: [12n], description: 'add index' });
    assert.equal(parseMigrationFileName('R__views.sql')?.kind, 'repeatable');
    assert.equal(parseMigrationFileName('schema.sql'), null);
    assert.deepEqual(orderMigrations(['V2__b.sql', 'V1__a.sql', 'R__v.sql', 'U2__b.sql']).files, ['V1__a.sql', 'V2__b.sql', 'R__v.sql']);
  });
});

describe('statements that refuse a transaction block', () => {
  const reason = async (sql: string, version = 150000) => {
    await ensureParser();
    const node = parseSync(sql).stmts![0]!.stmt as Record<string, unknown>;
    return nonTransactionalReason(node, version);
  };

  test('read from the parse tree', async () => {
    assert.equal(await reason('CREATE INDEX CONCURRENTLY i ON t (a)'), 'CREATE INDEX CONCURRENTLY');
    assert.equal(await reason('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)'), 'CREATE INDEX CONCURRENTLY');
    assert.equal(await reason('DROP INDEX CONCURRENTLY IF EXISTS i'), 'DROP INDEX CONCURRENTLY');
    assert.equal(await reason('REINDEX INDEX CONCURRENTLY i'), 'REINDEX CONCURRENTLY');
    assert.equal(await reason('REINDEX SCHEMA s'), 'REINDEX SCHEMA');
    assert.equal(await reason('VACUUM (ANALYZE) t'), 'VACUUM');
    assert.equal(await reason('CREATE DATABASE x'), 'CREATE DATABASE');
    assert.equal(await reason("ALTER SYSTEM SET work_mem = '64MB'"), 'ALTER SYSTEM');
    assert.equal(await reason('ALTER TABLE p DETACH PARTITION c CONCURRENTLY'), 'DETACH PARTITION CONCURRENTLY');
    assert.equal(await reason('CLUSTER'), 'CLUSTER without a table');
  });

  test('near misses stay in the transaction', async () => {
    assert.equal(await reason('CREATE INDEX i ON t (a)'), null);
    assert.equal(await reason('DROP INDEX i'), null);
    assert.equal(await reason('REINDEX INDEX i'), null);
    assert.equal(await reason('ANALYZE t'), null);
    assert.equal(await reason('CLUSTER t USING i'), null);
    assert.equal(await reason('ALTER TABLE p DETACH PARTITION c'), null);
    assert.equal(await reason('REFRESH MATERIALIZED VIEW CONCURRENTLY mv'), null);
    assert.equal(await reason("SELECT 'CREATE INDEX CONCURRENTLY'"), null);
    assert.equal(await reason("CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p WITH (create_slot = false)"), null);
  });

  test('the server version is data: ALTER TYPE … ADD VALUE refused a transaction before PostgreSQL 12', async () => {
    assert.equal(await reason("ALTER TYPE mood ADD VALUE 'meh'", 110000), 'ALTER TYPE … ADD VALUE (before PostgreSQL 12)');
    assert.equal(await reason("ALTER TYPE mood ADD VALUE 'meh'", 120000), null);
    assert.equal(await reason("ALTER TYPE mood RENAME VALUE 'a' TO 'b'", 110000), null);
  });

  test('CONCURRENTLY operations are told apart (they run without lock_timeout)', async () => {
    await ensureParser();
    const node = (sql: string) => parseSync(sql).stmts![0]!.stmt as Record<string, unknown>;
    assert.equal(isConcurrentOperation(node('CREATE INDEX CONCURRENTLY i ON t (a)')), true);
    assert.equal(isConcurrentOperation(node('VACUUM t')), false);
  });
});

describe('migrate new', () => {
  test('an empty (or absent) folder gets Flyway V1__name.sql, or golang-migrate files when asked', () => {
    const dir = migrationsFolder({});
    assert.deepEqual(newMigration({ dir: 'db/migrations', name: 'init', cwd: dir }), { layout: 'flyway', version: '1', files: [join('db', 'migrations', 'V1__init.sql')] });
    assert.equal(readFileSync(join(dir, 'db', 'migrations', 'V1__init.sql'), 'utf8'), '-- init\n\n');
    const golang = migrationsFolder({});
    assert.deepEqual(newMigration({ dir: '.', name: 'create users', cwd: golang, layout: 'golang-migrate' }).files, ['000001_create_users.up.sql', '000001_create_users.down.sql']);
  });

  test('the next version in the folder\'s layout, zero-padded like its neighbours', () => {
    const flyway = migrationsFolder({ 'V1__a.sql': '', 'V2.1__b.sql': '', 'R__v.sql': '' });
    assert.deepEqual(newMigration({ dir: '.', name: 'add_orders_index', cwd: flyway }).files, ['V3__add_orders_index.sql']);
    const golang = migrationsFolder({ '0009_a.up.sql': '', '0009_a.down.sql': '', '0010_b.up.sql': '' });
    assert.deepEqual(newMigration({ dir: '.', name: 'add-orders-index', cwd: golang }).files, ['0011_add_orders_index.up.sql', '0011_add_orders_index.down.sql']);
    assert.deepEqual(readdirSync(golang).sort(), ['0009_a.down.sql', '0009_a.up.sql', '0010_b.up.sql', '0011_add_orders_index.down.sql', '0011_add_orders_index.up.sql']);
  });

  test('refuses a name it cannot use, a layout the folder does not have, a folder it cannot read', () => {
    const flyway = migrationsFolder({ 'V1__a.sql': '' });
    assert.throws(() => newMigration({ dir: '.', name: 'drop; table', cwd: flyway }), /is not a migration name/);
    assert.throws(() => newMigration({ dir: '.', name: 'x', cwd: flyway, layout: 'golang-migrate' }), /--layout golang-migrate: \. holds flyway migrations|holds flyway migrations/);
    const mixed = migrationsFolder({ 'V1__a.sql': '', 'schema.sql': '' });
    assert.throws(() => newMigration({ dir: '.', name: 'x', cwd: mixed }), /schema\.sql: not a migration file name/);
    assert.equal(existsSync(join(mixed, 'V2__x.sql')), false);
  });
});
