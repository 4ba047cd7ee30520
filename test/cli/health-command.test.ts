/** `pgarchitect health` end to end through main(): formats, exit codes, options, errors. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { HealthResult } from '../../src/health/result.js';
import { healthCheckIds } from '../../src/health/health.js';
import { STANDBY_SIDE_CHECKS } from '../health/facts-fixture.js';
import { liveDatabase } from '../support/live.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli } from '../support/run-cli.js';

describe('pgarchitect health', () => {
  test('usage errors: no server, not a URL, an unknown check', async () => {
    const none = await runCli(['health']);
    assert.deepEqual([none.code, none.stderr], [2, 'pgarchitect: no server to examine\n  give a postgres:// URL, or set DATABASE_URL (or the PG* variables)\n']);
    const file = await runCli(['health', 'schema.sql']);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /"schema\.sql" is not a postgres:\/\/ URL/);
    const unknown = await runCli(['health', 'postgres://localhost/x', '-r', 'fk-without-index']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--rule: "fk-without-index" is not a health check/);
  });

  test('text by default; exit 1 only for findings at or above --fail-on; json, markdown, sarif; -o; --baseline; -r; a config', async (t) => {
    const db = await liveDatabase(t, 'CREATE TABLE t (id serial PRIMARY KEY); SELECT setval(\'t_id_seq\', 1200000000);');
    if (!db) return;
    const text = await runCli(['health', db.url]);
    // int-key-exhaustion: 56% of the range is a warning; the rest here is info: exit 0 at the default --fail-on error.
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^pgarchitect health: postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+\n/);
    assert.match(text.stdout, /Column public\.t\.id has used 55\.9% of its range/);
    assert.ok(text.stdout.includes(`\nChecks run (${healthCheckIds().length - STANDBY_SIDE_CHECKS.length})\n`));
    assert.ok(!text.stdout.includes(TEST_PASSWORD) && !text.stderr.includes(TEST_PASSWORD), 'no password in the output');
    assert.equal((await runCli(['health', db.url, '--fail-on', 'warning'])).code, 1);

    const json = await runCli(['health', db.url, '--format', 'json']);
    const result = JSON.parse(json.stdout) as HealthResult;
    assert.deepEqual([result.schemaVersion, result.checks.length, result.skipped.map((s) => s.rule)], [1, healthCheckIds().length - STANDBY_SIDE_CHECKS.length, STANDBY_SIDE_CHECKS]);
    assert.ok(result.findings.some((f) => f.rule === 'int-key-exhaustion' && f.severity === 'warning'));
    assert.match((await runCli(['health', db.url, '--format', 'markdown'])).stdout, /^# pgarchitect health: /);
    assert.equal(JSON.parse((await runCli(['health', db.url, '--format', 'sarif'])).stdout).version, '2.1.0');

    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-health-'));
    const written = await runCli(['health', db.url, '--format', 'json', '-o', 'health.json'], { cwd: dir });
    assert.deepEqual([written.code, written.stdout], [0, '']);
    const baseline = await runCli(['health', db.url, '--baseline', 'health.json', '--fail-on', 'info', '--format', 'json'], { cwd: dir });
    assert.equal(baseline.code, 0, 'every finding is in the baseline');
    // (Server-wide counters such as the cache hit ratio may cross their threshold between two runs.)
    const baselined = JSON.parse(baseline.stdout) as HealthResult;
    assert.deepEqual(baselined.findings, []);
    assert.ok(baselined.summary.suppressed >= 3);

    const only = JSON.parse((await runCli(['health', db.url, '-r', 'track-io-timing-off', 'int-key-exhaustion', '--format', 'json'])).stdout) as HealthResult;
    assert.deepEqual(only.checks.map((c) => c.rule), ['int-key-exhaustion', 'track-io-timing-off']);

    writeFileSync(join(dir, 'pgarchitect.config.json'), JSON.stringify({ rules: { 'int-key-exhaustion': { options: { warnPercent: 60 } }, 'track-io-timing-off': 'off' } }));
    const configured = JSON.parse((await runCli(['health', db.url, '--format', 'json'], { cwd: dir })).stdout) as HealthResult;
    assert.ok(!configured.findings.some((f) => f.rule === 'int-key-exhaustion' || f.rule === 'track-io-timing-off'));
    assert.ok(!configured.checks.some((c) => c.rule === 'track-io-timing-off'), 'a check turned off is not run');
    assert.equal(readFileSync(join(dir, 'health.json'), 'utf8').length > 0, true);
  });

  test('DATABASE_URL when no URL is given', async (t) => {
    const db = await liveDatabase(t, '');
    if (!db) return;
    const run = await runCli(['health', '-r', 'wal-archiving-off'], { env: { DATABASE_URL: db.url } });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Checks run \(1\)\n {2}archiving +wal-archiving-off +1 +archive_mode = off\n/);
  });
});
