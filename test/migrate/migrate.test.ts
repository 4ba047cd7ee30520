/**
 * The runner on a real server (one per file, a fresh database per test): both layouts, the history
 * table, failures rolled back, non-transactional migrations and their partial state, drift, down,
 * baseline, validate, repair and dry runs.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { migrateBaseline, migrateDown, migrateRepair, migrateStatus, migrateUp, migrateValidate, type MigrateOptions } from '../../src/migrate/migrate.js';
import { UserError } from '../../src/errors.js';
import { liveDatabase } from '../support/live.js';
import { historyRows, migrationsFolder, relationExists, rows } from './helpers.js';

/** A fresh database and a folder of `files`; the options every call shares. */
async function setUp(t: TestContext, files: Record<string, string>, schema = ''): Promise<{ url: string; dir: string; options: MigrateOptions } | null> {
  const live = await liveDatabase(t, schema);
  if (!live) return null;
  const dir = migrationsFolder(files);
  return { url: live.url, dir, options: { dir, cwd: dir, connection: { url: live.url }, env: {}, retryDelayMs: 50 } };
}

const FIVE_STATEMENTS = `CREATE TABLE customers (id int PRIMARY KEY);
CREATE TABLE invoices (id int PRIMARY KEY, customer_id int REFERENCES customers);
INSERT INTO invoices VALUES (1, 42);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
INSERT INTO customers VALUES (42);
`;

describe('migrate on a live server', () => {
  test('Flyway: applies versioned then repeatable migrations, each recorded in the history table', async (t) => {
    const env = await setUp(t, {
      'V1__init.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, total numeric);\nINSERT INTO orders VALUES (1, 1, 10), (2, 2, 20);\n',
      'V1.1__add_status.sql': "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
      'R__views.sql': 'CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 15;',
    });
    if (!env) return;
    const result = await migrateUp(env.options);
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.map((s) => [s.version, s.file, s.outcome, s.transactional]), [
      ['1', 'V1__init.sql', 'applied', true],
      ['1.1', 'V1.1__add_status.sql', 'applied', true],
      [null, 'R__views.sql', 'applied', true],
    ]);
    assert.equal(result.currentVersion, '1.1');
    const history = await rows<Record<string, unknown>>(env.url, 'SELECT version, description, type, script, installed_by, success, transactional, statements_run, statements_total, execution_ms >= 0 AS timed, installed_at <= now() AS dated, length(checksum) AS checksum_length FROM pgarchitect.migration_history ORDER BY installed_rank');
    assert.deepEqual(history, [
      { version: '1', description: 'init', type: 'versioned', script: 'V1__init.sql', installed_by: 'postgres', success: true, transactional: true, statements_run: 2, statements_total: 2, timed: true, dated: true, checksum_length: 64 },
      { version: '1.1', description: 'add status', type: 'versioned', script: 'V1.1__add_status.sql', installed_by: 'postgres', success: true, transactional: true, statements_run: 1, statements_total: 1, timed: true, dated: true, checksum_length: 64 },
      { version: null, description: 'views', type: 'repeatable', script: 'R__views.sql', installed_by: 'postgres', success: true, transactional: true, statements_run: 1, statements_total: 1, timed: true, dated: true, checksum_length: 64 },
    ]);
    assert.deepEqual(await rows(env.url, 'SELECT id FROM big_orders'), [{ id: '2' }]);

    // Nothing left to do; a changed repeatable runs again, alone.
    assert.deepEqual((await migrateUp(env.options)).steps, []);
    writeFileSync(join(env.dir, 'R__views.sql'), 'CREATE OR REPLACE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 5;');
    const again = await migrateUp(env.options);
    assert.deepEqual(again.steps.map((s) => s.file), ['R__views.sql']);
    assert.equal((await rows(env.url, 'SELECT id FROM big_orders')).length, 2);
  });

  test('golang-migrate: up, down N with the .down.sql files, and a clear stop where a down file is missing', async (t) => {
    const env = await setUp(t, {
      '0001_init.up.sql': 'CREATE TABLE users (id int PRIMARY KEY);',
      '0001_init.down.sql': 'DROP TABLE users;',
      '0002_add_email.up.sql': 'BEGIN;\nALTER TABLE users ADD COLUMN email text;\nCOMMIT;\n',
      '0002_add_email.down.sql': 'ALTER TABLE users DROP COLUMN email;',
      '0003_add_name.up.sql': 'ALTER TABLE users ADD COLUMN name text;',
      '0003_add_name.down.sql': 'ALTER TABLE users DROP COLUMN name;',
    });
    if (!env) return;
    const up = await migrateUp(env.options);
    assert.equal(up.layout, 'golang-migrate');
    assert.deepEqual(up.steps.map((s) => [s.version, s.ownTransaction]), [['1', false], ['2', true], ['3', false]]);
    assert.equal(up.currentVersion, '3');

    const down = await migrateDown({ ...env.options, count: 2 });
    assert.equal(down.ok, true);
    assert.deepEqual(down.steps.map((s) => [s.direction, s.version, s.file, s.outcome]), [
      ['down', '3', '0003_add_name.down.sql', 'reverted'],
      ['down', '2', '0002_add_email.down.sql', 'reverted'],
    ]);
    assert.deepEqual((await historyRows(env.url)).map((r) => r.version), ['1']);
    assert.deepEqual(await rows(env.url, "SELECT attname FROM pg_attribute WHERE attrelid = 'users'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"), [{ attname: 'id' }]);

    await assert.rejects(migrateDown({ ...env.options, count: 2 }), (error: unknown) => error instanceof UserError && /^down 2: only 1 migration is applied$/.test(error.message));
    // Up again, then a down file goes missing: nothing is reverted, and the message names the file it needs.
    await migrateUp(env.options);
    const { rmSync } = await import('node:fs');
    rmSync(join(env.dir, '0002_add_email.down.sql'));
    await assert.rejects(
      migrateDown({ ...env.options, count: 2 }),
      (error: unknown) => error instanceof UserError && error.message === '0002_add_email.up.sql: no down file (0002_add_email.down.sql): version 2 cannot be reverted',
    );
    assert.deepEqual((await historyRows(env.url)).map((r) => r.version), ['1', '2', '3']);
  });

  test('Flyway undo files revert too', async (t) => {
    const env = await setUp(t, { 'V1__a.sql': 'CREATE TABLE a (id int);', 'V2__b.sql': 'CREATE TABLE b (id int);', 'U2__b.sql': 'DROP TABLE b;' });
    if (!env) return;
    await migrateUp(env.options);
    const down = await migrateDown(env.options);
    assert.deepEqual(down.steps.map((s) => [s.file, s.outcome]), [['U2__b.sql', 'reverted']]);
    assert.equal(await relationExists(env.url, 'b'), false);
    assert.equal(down.currentVersion, '1');
    assert.equal((await migrateStatus(env.options)).currentVersion, '1');
  });

  test('a failure in statement three of five leaves nothing of that migration; it is recorded as failed and the next up starts from it', async (t) => {
    const env = await setUp(t, { 'V1__base.sql': 'CREATE TABLE log (line text);', 'V2__billing.sql': FIVE_STATEMENTS, 'V3__later.sql': 'CREATE TABLE later (id int);' });
    if (!env) return;
    const result = await migrateUp(env.options);
    assert.equal(result.ok, false);
    assert.deepEqual(result.steps.map((s) => [s.file, s.outcome]), [['V1__base.sql', 'applied'], ['V2__billing.sql', 'failed']]);
    const failure = result.failure!;
    assert.deepEqual(
      { file: failure.file, line: failure.line, statement: failure.statement, statements: failure.statements, sqlstate: failure.sqlstate, transactional: failure.transactional, applied: failure.applied },
      { file: 'V2__billing.sql', line: 3, statement: 3, statements: 5, sqlstate: '23503', transactional: true, applied: [] },
    );
    assert.match(failure.message, /violates foreign key constraint "invoices_customer_id_fkey"/);
    assert.match(failure.detail!, /Key \(customer_id\)=\(42\) is not present/);
    assert.deepEqual(result.steps[1]!.statements.map((s) => s.outcome), ['rolled back', 'rolled back', 'failed', 'not run', 'not run']);
    // Nothing of V2 stays: not its tables, not its index; V3 never ran.
    assert.equal(await relationExists(env.url, 'customers'), false);
    assert.equal(await relationExists(env.url, 'invoices'), false);
    assert.equal(await relationExists(env.url, 'later'), false);
    const history = await historyRows(env.url);
    assert.deepEqual(history.map((r) => [r.version, r.success, r.statements_run]), [['1', true, 1], ['2', false, 0]]);
    assert.equal(history[1]!.error, 'statement 3 of 5 (line 3): 23503 insert or update on table "invoices" violates foreign key constraint "invoices_customer_id_fkey"');
    assert.equal((await migrateStatus(env.options)).migrations.find((m) => m.version === '2')!.state, 'failed');

    // The fix: insert the customer first. The next up starts from V2; the failed row goes.
    writeFileSync(join(env.dir, 'V2__billing.sql'), FIVE_STATEMENTS.replace('INSERT INTO customers VALUES (42);\n', '').replace('INSERT INTO invoices', 'INSERT INTO customers VALUES (42);\nINSERT INTO invoices'));
    const retry = await migrateUp(env.options);
    assert.equal(retry.ok, true);
    assert.deepEqual(retry.steps.map((s) => s.file), ['V2__billing.sql', 'V3__later.sql']);
    assert.deepEqual((await historyRows(env.url)).map((r) => [r.version, r.success]), [['1', true], ['2', true], ['3', true]]);
  });

  test('CREATE INDEX CONCURRENTLY runs statement by statement, marked so in the history', async (t) => {
    const env = await setUp(t, {
      'V1__orders.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int);\nINSERT INTO orders SELECT g, g % 10 FROM generate_series(1, 100) g;',
      'V2__orders_user_idx.sql': '-- online\nCREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);\nANALYZE orders;\n',
    });
    if (!env) return;
    const result = await migrateUp(env.options);
    assert.equal(result.ok, true);
    const step = result.steps[1]!;
    assert.equal(step.transactional, false);
    assert.deepEqual(step.nonTransactional, [{ statement: 1, line: 2, reason: 'CREATE INDEX CONCURRENTLY' }]);
    assert.deepEqual((await historyRows(env.url)).map((r) => [r.version, r.transactional]), [['1', true], ['2', false]]);
    assert.deepEqual(await rows(env.url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_user_idx'::regclass"), [{ indisvalid: true }]);
  });

  test('a failed non-transactional migration reports its partial state: what ran, what failed, the INVALID index left behind', async (t) => {
    const env = await setUp(t, {
      'V1__users.sql': "CREATE TABLE users (id int, email text);\nINSERT INTO users VALUES (1, 'a@x'), (2, 'a@x');",
      'V2__unique_email.sql': 'ALTER TABLE users ADD COLUMN created_at timestamptz;\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nCREATE INDEX CONCURRENTLY users_created_idx ON users (created_at);\n',
    });
    if (!env) return;
    const result = await migrateUp(env.options);
    assert.equal(result.ok, false);
    const failure = result.failure!;
    assert.deepEqual(
      { file: failure.file, line: failure.line, statement: failure.statement, sqlstate: failure.sqlstate, transactional: failure.transactional, applied: failure.applied, invalid: failure.invalidIndexes },
      { file: 'V2__unique_email.sql', line: 2, statement: 2, sqlstate: '23505', transactional: false, applied: [1], invalid: ['users_email_key'] },
    );
    assert.deepEqual(result.steps[1]!.statements.map((s) => s.outcome), ['ran', 'failed', 'not run']);
    // Statement 1 stayed (no transaction to roll it back); the index is there, INVALID; statement 3 never ran.
    assert.deepEqual(await rows(env.url, "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'created_at'"), [{ n: 1 }]);
    assert.deepEqual(await rows(env.url, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_key'::regclass"), [{ indisvalid: false }]);
    assert.equal(await relationExists(env.url, 'users_created_idx'), false);
    const [, failed] = await historyRows(env.url);
    assert.deepEqual([failed!.success, failed!.transactional, failed!.statements_run], [false, false, 1]);
    assert.match(failed!.error!, /^statement 2 of 3 \(line 2\): 23505 could not create unique index "users_email_key"; statement 1 stayed applied$/);
  });

  test('a changed checksum stops up, with the file named, until validate and repair have been through it', async (t) => {
    const env = await setUp(t, { 'V1__a.sql': 'CREATE TABLE a (id int);', 'V2__b.sql': 'CREATE TABLE b (id int);' });
    if (!env) return;
    await migrateUp(env.options);
    writeFileSync(join(env.dir, 'V1__a.sql'), 'CREATE TABLE a (id bigint);');
    writeFileSync(join(env.dir, 'V3__c.sql'), 'CREATE TABLE c (id int);');

    const up = await migrateUp(env.options);
    assert.equal(up.ok, false);
    assert.deepEqual(up.steps, []);
    assert.deepEqual(up.problems.map((p) => [p.kind, p.file]), [['drifted', 'V1__a.sql']]);
    assert.match(up.problems[0]!.message, /^V1__a\.sql: changed since it was applied \(checksum [0-9a-f]{12} in the history, [0-9a-f]{12} now\): restore the file, or accept the change with `pgarchitect migrate repair`$/);
    assert.equal(await relationExists(env.url, 'c'), false);

    const validate = await migrateValidate(env.options);
    assert.equal(validate.ok, false);
    assert.deepEqual(validate.migrations.map((m) => [m.version, m.state]), [['1', 'drifted'], ['2', 'applied'], ['3', 'pending']]);

    const dryRepair = await migrateRepair({ ...env.options, dryRun: true });
    assert.deepEqual(dryRepair.repairs.map((r) => [r.action, r.file]), [['checksum-realigned', 'V1__a.sql']]);
    assert.equal((await migrateValidate(env.options)).ok, false, 'a dry run changes nothing');
    await migrateRepair(env.options);
    assert.equal((await migrateValidate(env.options)).ok, true);
    assert.deepEqual((await migrateUp(env.options)).steps.map((s) => s.file), ['V3__c.sql']);
  });

  test('validate reports failed and missing migrations; repair removes failed entries and leaves missing ones to the user', async (t) => {
    const env = await setUp(t, { 'V1__a.sql': 'CREATE TABLE a (id int);', 'V2__bad.sql': 'CREATE TABLE b (id int);\nSELECT 1/0;' });
    if (!env) return;
    await migrateUp(env.options);
    const { rmSync } = await import('node:fs');
    rmSync(join(env.dir, 'V1__a.sql'));
    const validate = await migrateValidate(env.options);
    assert.equal(validate.ok, false);
    assert.deepEqual(validate.problems.map((p) => [p.kind, p.file]), [['missing', 'V1__a.sql'], ['failed', 'V2__bad.sql']]);
    assert.match(validate.problems[1]!.message, /its last attempt failed \(statement 2 of 2 \(line 2\): 22012 division by zero\)/);

    const repair = await migrateRepair(env.options);
    assert.deepEqual(repair.repairs.map((r) => [r.action, r.version, r.file]), [['failed-entry-removed', '2', 'V2__bad.sql']]);
    assert.deepEqual((await historyRows(env.url)).map((r) => [r.version, r.success]), [['1', true]]);
    const after = await migrateValidate(env.options);
    assert.deepEqual(after.problems.map((p) => p.kind), ['missing']);
    assert.deepEqual(after.migrations.map((m) => [m.version, m.state]), [['1', 'missing'], ['2', 'pending']]);
  });

  test('baseline: versions up to it count as applied and never run; refused once migrations are recorded', async (t) => {
    const env = await setUp(t, { 'V1__a.sql': 'CREATE TABLE a (id int);', 'V2__b.sql': 'CREATE TABLE b (id int);', 'V3__c.sql': 'CREATE TABLE c (id int);', 'U3__c.sql': 'DROP TABLE c;' }, 'CREATE TABLE a (id int); CREATE TABLE b (id int);');
    if (!env) return;
    const baseline = await migrateBaseline({ ...env.options, version: '2' });
    assert.equal(baseline.currentVersion, '2');
    assert.deepEqual(baseline.notices, ['baseline at version 2: 2 migration files up to it count as applied and will not run']);
    const status = await migrateStatus(env.options);
    assert.deepEqual(status.migrations.map((m) => [m.version, m.type, m.state]), [['1', 'versioned', 'below-baseline'], ['2', 'versioned', 'below-baseline'], ['2', 'baseline', 'baseline'], ['3', 'versioned', 'pending']]);
    const up = await migrateUp(env.options);
    assert.deepEqual(up.steps.map((s) => s.file), ['V3__c.sql']);
    await assert.rejects(migrateBaseline({ ...env.options, version: '3' }), (error: unknown) => error instanceof UserError && /already has migrations recorded .* \(now at version 3\)/.test(error.message));
    // down stops at the baseline.
    await migrateDown(env.options);
    const nothing = await migrateDown(env.options);
    assert.deepEqual(nothing.notices, ['nothing applied above the baseline (version 2): nothing to revert']);
  });

  test('--dry-run lists files, statements and how they would run, and writes nothing (not even the history table)', async (t) => {
    const env = await setUp(t, {
      'V1__a.sql': 'CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);',
      'U1__a.sql': 'DROP TABLE a;',
      'V2__a_idx.sql': 'CREATE INDEX CONCURRENTLY a_idx ON a (id);',
    });
    if (!env) return;
    const dry = await migrateUp({ ...env.options, dryRun: true });
    assert.equal(dry.dryRun, true);
    assert.deepEqual(
      dry.steps.map((s) => [s.file, s.outcome, s.transactional, s.statements.map((x) => [x.index, x.line, x.summary, x.outcome, x.nonTransactional ?? null])]),
      [
        ['V1__a.sql', 'would apply', true, [[1, 1, 'CREATE TABLE a (id int)', 'would run', null], [2, 2, 'INSERT INTO a VALUES (1)', 'would run', null]]],
        ['V2__a_idx.sql', 'would apply', false, [[1, 1, 'CREATE INDEX CONCURRENTLY a_idx ON a (id)', 'would run', 'CREATE INDEX CONCURRENTLY']]],
      ],
    );
    assert.equal(await relationExists(env.url, 'pgarchitect.migration_history'), false);
    assert.equal(await relationExists(env.url, 'a'), false);

    await migrateUp({ ...env.options, to: '1' });
    const dryDown = await migrateDown({ ...env.options, dryRun: true });
    assert.deepEqual(dryDown.steps.map((s) => [s.file, s.outcome]), [['U1__a.sql', 'would revert']]);
    assert.equal(await relationExists(env.url, 'a'), true);
    assert.deepEqual((await historyRows(env.url)).map((r) => r.version), ['1']);
  });

  test('--to stops at a version; a pending version below the applied one is refused without --out-of-order', async (t) => {
    const env = await setUp(t, { 'V1__a.sql': 'CREATE TABLE a (id int);', 'V3__c.sql': 'CREATE TABLE c (id int);', 'V4__d.sql': 'CREATE TABLE d (id int);' });
    if (!env) return;
    assert.deepEqual((await migrateUp({ ...env.options, to: '3' })).steps.map((s) => s.version), ['1', '3']);
    writeFileSync(join(env.dir, 'V2__b.sql'), 'CREATE TABLE b (id int);');
    const refused = await migrateUp(env.options);
    assert.equal(refused.ok, false);
    assert.deepEqual(refused.problems.map((p) => [p.kind, p.file]), [['out-of-order', 'V2__b.sql']]);
    assert.equal(await relationExists(env.url, 'd'), false);
    assert.deepEqual((await migrateUp({ ...env.options, outOfOrder: true })).steps.map((s) => s.version), ['2', '4']);
  });
});
