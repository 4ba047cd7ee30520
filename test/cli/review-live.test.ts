import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LiveDb } from '../../src/db/live-db.js';
import type { ReviewResult } from '../../src/result.js';
import { liveDatabase } from '../support/live.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli, type CliRun } from '../support/run-cli.js';

const SCHEMA = `
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE audit (at timestamptz, what text);
INSERT INTO users (email) SELECT 'u' || g || '@example.com' FROM generate_series(1, 100) g;
`;

function assertNoPassword(run: CliRun): void {
  assert.ok(!run.stdout.includes(TEST_PASSWORD) && !run.stderr.includes(TEST_PASSWORD), 'the password must never be printed');
  assert.ok(!run.stdout.includes(encodeURIComponent(TEST_PASSWORD)) && !run.stderr.includes(encodeURIComponent(TEST_PASSWORD)));
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('pgarchitect review on a live server', () => {
  test('reviews a URL; the report names the server without its password', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const run = await runCli(['review', live.url, '-f', 'json']);
    assertNoPassword(run);
    const result = JSON.parse(run.stdout) as ReviewResult;
    assert.equal(result.source.kind, 'live');
    assert.match(result.source.description, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_/);
    assert.ok(result.findings.some((f) => f.rule === 'table-without-primary-key' && f.object.name === 'audit'));
    assert.ok(result.source.serverVersionNum >= 140000);
    assert.equal(run.code, 1);
    const text = await runCli(['review', live.url]);
    assertNoPassword(text);
  });

  test('DATABASE_URL and the libpq PG* variables are used when no input is given', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const viaUrl = await runCli(['review', '-f', 'json'], { env: { DATABASE_URL: live.url } });
    assert.equal((JSON.parse(viaUrl.stdout) as ReviewResult).source.kind, 'live');
    const url = new URL(live.url);
    const env = { PGHOST: url.hostname, PGPORT: url.port, PGUSER: 'postgres', PGPASSWORD: TEST_PASSWORD, PGDATABASE: url.pathname.slice(1) };
    const viaEnv = await runCli(['review', '-f', 'json'], { env });
    assertNoPassword(viaEnv);
    const result = JSON.parse(viaEnv.stdout) as ReviewResult;
    assert.equal(result.source.database, url.pathname.slice(1));
  });

  test('~/.pgpass supplies the password when the URL has none', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const url = new URL(live.url);
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-pgpass-'));
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `127.0.0.1:${url.port}:*:postgres:${TEST_PASSWORD}\n`, { mode: 0o600 });
    const previous = process.env.PGPASSFILE;
    process.env.PGPASSFILE = passfile; // read by pg's pgpass support, which only looks at process.env
    try {
      const run = await runCli(['review', `postgres://postgres@127.0.0.1:${url.port}${url.pathname}`, '-f', 'json']);
      assert.equal((JSON.parse(run.stdout) as ReviewResult).source.kind, 'live', run.stderr);
    } finally {
      if (previous === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = previous;
    }
  });

  test('the analysis session is read only, bounded by timeouts and named pgarchitect', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const db = await LiveDb.connect({ url: live.url, statementTimeoutMs: 12_000, lockTimeoutMs: 1_500 });
    try {
      const [settings] = await db.query<Record<string, string>>(
        "SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('application_name') AS app",
      );
      assert.deepEqual(settings, { ro: 'on', st: '12s', lt: '1500ms', app: 'pgarchitect' });
      await assert.rejects(db.query('CREATE TABLE should_not_exist (id int)'), /read-only transaction/);
    } finally {
      await db.close();
    }
  });

  test('a wrong password: one line, exit 2, no password, no stack trace', async (t) => {
    const live = await liveDatabase(t, '');
    if (!live) return;
    const bad = live.url.replace(encodeURIComponent(TEST_PASSWORD), 'not-the-password-42');
    const run = await runCli(['review', bad]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^pgarchitect: cannot connect to postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\w+: password authentication failed/);
    assert.ok(!run.stderr.includes('not-the-password-42'));
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  test('a database that does not exist, and an unreachable server: one line each, exit 2', async (t) => {
    const live = await liveDatabase(t, '');
    if (!live) return;
    const url = new URL(live.url);
    url.pathname = '/no_such_database';
    const missing = await runCli(['review', url.toString()]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /database "no_such_database" does not exist/);
    assertNoPassword(missing);
    const port = await closedPort();
    const refused = await runCli(['review', `postgres://app:secret-pw-9@127.0.0.1:${port}/shop`]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /cannot connect to postgres:\/\/app@127\.0\.0\.1:\d+\/shop: connection refused/);
    assert.ok(!refused.stderr.includes('secret-pw-9'));
    assert.equal(refused.stderr.trim().split('\n').length, 2, 'the message and its hint');
  });

  test('snapshot, then review the snapshot offline: same findings as the live review', async (t) => {
    const live = await liveDatabase(t, SCHEMA);
    if (!live) return;
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-snap-'));
    const snap = await runCli(['snapshot', live.url], { cwd: dir });
    assert.equal(snap.code, 0, snap.stderr);
    assertNoPassword(snap);
    writeFileSync(join(dir, 'snap.json'), snap.stdout);
    const offline = JSON.parse((await runCli(['review', 'snap.json', '-f', 'json'], { cwd: dir })).stdout) as ReviewResult;
    const online = JSON.parse((await runCli(['review', live.url, '-f', 'json'])).stdout) as ReviewResult;
    assert.equal(offline.source.kind, 'snapshot');
    assert.deepEqual(offline.findings.map((f) => f.fingerprint), online.findings.map((f) => f.fingerprint));
  });
});
