/** `pgarchitect indexes advise` through the CLI: JSON, the migration file, --verify, and clear failures. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseBudget } from '../../src/cli/indexes-command.js';
import { liveDatabase } from '../support/live.js';
import { runCli } from '../support/run-cli.js';

const SCHEMA = `
  CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, created_at timestamptz NOT NULL, total numeric NOT NULL);
  INSERT INTO orders SELECT i, i % 5000, timestamptz '2026-01-01' + (i || ' minutes')::interval, i % 100 FROM generate_series(1, 100000) i;
  ANALYZE orders;
`;

const WORKLOAD = `-- weight: 50
SELECT id, total FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 10;
-- not a query: left out
CREATE TABLE x (a int);
`;

describe('indexes advise (CLI)', () => {
  test('writes the report as JSON and the migration file; the password never shows', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-advise-'));
    writeFileSync(join(dir, 'w.sql'), WORKLOAD);
    const run = await runCli(['indexes', 'advise', db.url, '--workload', 'w.sql', '--format', 'json', '--out', 'plan.sql'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.equal(result.command, 'indexes advise');
    assert.deepEqual(result.indexes[0].columns, ['customer_id', 'created_at']);
    assert.equal(result.workload.skipped.length, 1);
    assert.match(result.workload.skipped[0].origin, /^w\.sql:4$/);
    const migration = readFileSync(join(dir, 'plan.sql'), 'utf8');
    assert.match(migration, /^CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON public\.orders \(customer_id, created_at\);$/m);
    const password = new URL(db.url).password;
    assert.ok(!run.stdout.includes(password) && !migration.includes(password));

    const text = await runCli(['indexes', 'advise', db.url, '--workload', 'w.sql'], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Add 1 index/);
    assert.match(text.stdout, /helps q1 \(w\.sql:2\)/);
  });

  test('--verify builds the indexes, measures before and after, and drops them; --keep keeps them', async (t) => {
    const db = await liveDatabase(t, SCHEMA);
    if (!db) return;
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-advise-'));
    writeFileSync(join(dir, 'w.sql'), 'SELECT id, total FROM orders WHERE customer_id = 17 ORDER BY created_at DESC LIMIT 10;\nSELECT total FROM orders WHERE customer_id = $1 AND created_at > $2;\n');
    const indexCount = async (): Promise<number> => Number((await db.server.query<{ n: string }>(new URL(db.url).pathname.slice(1), "SELECT count(*)::text AS n FROM pg_indexes WHERE tablename = 'orders'"))[0]!.n);
    const run = await runCli(['indexes', 'advise', db.url, '--workload', 'w.sql', '--verify', '--format', 'json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const { verification } = JSON.parse(run.stdout);
    assert.equal(verification.error, null);
    assert.equal(verification.built.length, 1);
    assert.ok(verification.built[0].bytes > 0);
    assert.equal(verification.queries.length, 2);
    for (const q of verification.queries) {
      assert.ok(q.estimatedAfter < q.estimatedBefore / 5, JSON.stringify(q));
      assert.ok(q.actualMsBefore > 0 && q.actualMsAfter >= 0, JSON.stringify(q));
    }
    assert.match(verification.queries.find((q: { id: string }) => q.id === 'q2').note, /executed with values from the column statistics: \$1 = '\d+', \$2 = '2026-/);
    assert.ok(verification.weightedMsAfter < verification.weightedMsBefore);
    assert.equal(await indexCount(), 1, 'only the primary key is left');

    const kept = await runCli(['indexes', 'advise', db.url, '--workload', 'w.sql', '--verify', '--keep'], { cwd: dir });
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /kept \(--keep\)/);
    assert.equal(await indexCount(), 2);
  });

  test('without hypopg: one clear line with the step to take, exit 2', async (t) => {
    const db = await liveDatabase(t, SCHEMA + 'DROP EXTENSION IF EXISTS hypopg;');
    if (!db) return;
    const run = await runCli(['indexes', 'advise', db.url, '--workload', '/dev/null']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /hypopg is not installed in this database/);
    assert.match(run.stderr, /CREATE EXTENSION hypopg;/);
  });

  test('bad options: one line, exit 2', async () => {
    for (const [args, message] of [
      [['indexes', 'advise', 'schema.sql'], /not a postgres:\/\/ URL/],
      [['indexes', 'advise', 'postgres://x@127.0.0.1:1/db', '--budget', 'lots'], /--budget: "lots" is not a size/],
      [['indexes', 'advise', 'postgres://x@127.0.0.1:1/db', '--keep'], /--keep goes with --verify/],
      [['indexes', 'advise', 'postgres://x@127.0.0.1:1/db', '--max-indexes', '0'], /--max-indexes: "0" is not a positive whole number/],
      [['indexes', 'advise'], /needs a server/],
    ] as const) {
      const run = await runCli([...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length <= 2, true, run.stderr);
    }
  });

  test('budgets: sizes and a share of the database', () => {
    assert.deepEqual(parseBudget('2GB'), { budgetBytes: 2 * 1024 ** 3 });
    assert.deepEqual(parseBudget('500 MiB'), { budgetBytes: 500 * 1024 ** 2 });
    assert.deepEqual(parseBudget('4096'), { budgetBytes: 4096 });
    assert.deepEqual(parseBudget('10%'), { budgetShare: 0.1 });
  });
});
