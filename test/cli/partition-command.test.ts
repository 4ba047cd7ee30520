/** `pgarchitect partition advise | convert | maintain` end to end through main(): help, bad input, output files, formats. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { MaintainResult } from '../../src/partition/maintain-result.js';
import { liveDatabase } from '../support/live.js';
import { runCli } from '../support/run-cli.js';

const SETUP = `
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), seen_at timestamptz, label text, n int NOT NULL DEFAULT 0);
INSERT INTO events (created_at, label) SELECT now() - make_interval(days => i), 'e' || i FROM generate_series(1, 200) i;
CREATE TABLE metrics (at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE metrics_default PARTITION OF metrics DEFAULT;
INSERT INTO metrics VALUES (current_date, 1), (current_date - 40, 2);`;

describe('pgarchitect partition', () => {
  test('--help for each subcommand', async () => {
    for (const sub of ['advise', 'convert', 'maintain']) {
      const run = await runCli(['partition', sub, '--help']);
      assert.equal(run.code, 0);
      assert.match(run.stdout, new RegExp(`^Usage: pgarchitect partition ${sub} \\[options\\] \\[url\\]`));
    }
    assert.match((await runCli(['partition', 'convert', '--help'])).stdout, /--interval <interval>/);
    assert.match((await runCli(['partition', 'maintain', '--help'])).stdout, /--dry-run/);
  });

  test('bad input: one clear line, exit 2, nothing written', async (t) => {
    const db = await liveDatabase(t, SETUP);
    if (!db) return;
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-partition-cli-'));
    const convert = (...args: string[]) => runCli(['partition', 'convert', db.url, '--out', 'convert.sql', ...args], { cwd: dir });
    const cases: [string[], RegExp][] = [
      [['--table', 'public.events', '--key', 'made_at', '--interval', 'month'], /^pgarchitect: public\.events has no column "made_at"\n {2}columns that can be a range key: id, created_at, seen_at, n\n$/],
      [['--table', 'public.events', '--key', 'seen_at', '--interval', 'month'], /^pgarchitect: public\.events\.seen_at is nullable: a row with a NULL key fits no range partition\n/],
      [['--table', 'public.metrics', '--key', 'at', '--interval', 'month'], /^pgarchitect: public\.metrics is already partitioned \(RANGE \(at\)\)\n/],
      [['--table', 'public.events', '--key', 'created_at', '--interval', '1000'], /^pgarchitect: --interval 1000 does not fit public\.events\.created_at \(timestamp with time zone\): a width of 1000 fits integer keys, not timestamptz/],
      [['--table', 'public.events', '--key', 'n', '--interval', 'month'], /^pgarchitect: --interval month does not fit public\.events\.n \(integer\): month fits date and timestamp keys, not integers/],
      [['--table', 'public.events', '--key', 'label', '--interval', 'month'], /^pgarchitect: public\.events\.label is text: a range key must be a date, timestamp, timestamptz or integer column\n/],
      [['--table', 'public.nope', '--key', 'at', '--interval', 'month'], /^pgarchitect: public\.nope: no such table\n$/],
      [['--table', 'public.events', '--key', 'created_at', '--interval', 'fortnight'], /^pgarchitect: --interval: "fortnight" is not hour, day, week, month, quarter, year or a whole number\n$/],
    ];
    for (const [args, expected] of cases) {
      const run = await convert(...args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, expected);
      assert.equal(run.stdout, '');
      assert.doesNotMatch(run.stderr, /pgarchitect-test-secret/);
      assert.equal(existsSync(join(dir, 'convert.sql')), false, 'nothing written');
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ tables: [{ table: 'public.events', interval: 'month' }] }));
    const notPartitioned = await runCli(['partition', 'maintain', db.url, '--config', 'bad.json'], { cwd: dir });
    assert.deepEqual([notPartitioned.code, notPartitioned.stderr], [2, 'pgarchitect: public.events is not partitioned\n  convert it first: pgarchitect partition convert\n']);
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ tables: [{ table: 'public.metrics', retention: 'forever' }] }));
    const typo = await runCli(['partition', 'maintain', db.url, '--config', 'typo.json'], { cwd: dir });
    assert.deepEqual([typo.code, typo.stderr], [2, 'pgarchitect: typo.json: tables[0] (public.metrics): retention "forever" is not a period such as "90 days", "12 months", "1 year"\n']);
    const none = await runCli(['partition', 'advise']);
    assert.equal(none.code, 2);
  });

  test('convert writes the migration with --out; maintain --dry-run prints the SQL and changes nothing; json', async (t) => {
    const db = await liveDatabase(t, SETUP);
    if (!db) return;
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-partition-cli-'));
    const convert = await runCli(['partition', 'convert', db.url, '--table', 'public.events', '--key', 'created_at', '--interval', 'month', '--premake', '2', '--default', '--out', 'convert.sql'], { cwd: dir });
    assert.equal(convert.code, 0, convert.stderr);
    assert.match(convert.stdout, /^\d+ partitions from \d{4}-\d{2}-01 00:00:00\+00 to \d{4}-\d{2}-01 00:00:00\+00\n/);
    assert.match(convert.stdout, /\nMigration written to convert\.sql \(not run: review it, then psql -v ON_ERROR_STOP=1 -f convert\.sql\)\n$/);
    const script = readFileSync(join(dir, 'convert.sql'), 'utf8');
    assert.match(script, /\nCREATE TABLE public\.events_default PARTITION OF public\.events_partitioned DEFAULT;\n/);
    assert.doesNotMatch(script, /pgarchitect-test-secret/);

    writeFileSync(join(dir, 'partitions.json'), JSON.stringify({ tables: [{ table: 'public.metrics', interval: 'month', premake: 1 }] }));
    const dry = await runCli(['partition', 'maintain', db.url, '--config', 'partitions.json', '--dry-run'], { cwd: dir });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^pgarchitect partition maintain: postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ \(dry run: nothing changed\)\n/);
    assert.match(dry.stdout, /\n {4}ALTER TABLE public\.metrics ATTACH PARTITION public\.metrics_p\d{4}_\d{2} FOR VALUES FROM \('\d{4}-\d{2}-01'\) TO \('\d{4}-\d{2}-01'\);\n/);
    assert.match(dry.stdout, /\nWould do: 2 created, 1 moved out of the default partition \(2 rows\), 0 detached, 0 dumped, 0 dropped\.\n$/);
    const json = await runCli(['partition', 'maintain', db.url, '--config', 'partitions.json', '--format', 'json'], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout) as MaintainResult;
    assert.equal(result.schemaVersion, 1);
    assert.equal(result.summary.created + result.summary.moved, 3);
    const again = await runCli(['partition', 'maintain', db.url, '--config', 'partitions.json'], { cwd: dir });
    assert.match(again.stdout, /\n {2}nothing to do\n/);

    const advise = await runCli(['partition', 'advise', db.url, '--table', 'public.events', '--format', 'json']);
    assert.equal(advise.code, 0, advise.stderr);
    assert.equal(JSON.parse(advise.stdout).advice[0].table, 'public.events');
  });
});
