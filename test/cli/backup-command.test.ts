/** `pgarchitect backup audit|create|verify` end to end through main(): reports, exit codes, usage errors, help, no password in any output. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BackupAuditResult, BackupVerifyResult } from '../../src/backup/result.js';
import { manyTypesDatabase, restoreLeftovers, scratchDir } from '../backup/helpers.js';
import { TEST_PASSWORD } from '../support/pg-server.js';
import { runCli } from '../support/run-cli.js';

describe('pgarchitect backup', () => {
  test('usage errors: one line each, exit 2', async () => {
    const empty = scratchDir();
    const cases: [string[], RegExp][] = [
      [['backup', 'audit'], /^pgarchitect: no server given\n  give a postgres:\/\/ URL, or set DATABASE_URL \(or the PG\* variables\)\n$/],
      [['backup', 'audit', 'shop.sql'], /^pgarchitect: "shop\.sql" is not a postgres:\/\/ URL\n/],
      [['backup', 'audit', 'postgres://localhost/x', '--dump-dir', join(empty, 'nope')], /^pgarchitect: --dump-dir: .*nope is not a folder\n/],
      [['backup', 'audit', 'postgres://localhost/x', '--max-backup-age', 'soon'], /^pgarchitect: --max-backup-age: "soon" is not a duration in hours or days\n/],
      [['backup', 'create', 'postgres://localhost/x'], /^pgarchitect: backup create needs --out <folder>\n/],
      [['backup', 'create', 'postgres://localhost/x', '--out', join(empty, 'b'), '--jobs', '0'], /^pgarchitect: --jobs: "0" is not a whole number from 1 to 64\n$/],
      [['backup', 'verify', join(empty, 'missing')], /^pgarchitect: .*missing: no such folder\n/],
      [['backup', 'verify', empty], /^pgarchitect: .*: no manifest\.json: not a backup written by pgarchitect backup create\n/],
      [['backup', 'verify', empty, '--target', 'shop_verify'], /^pgarchitect: --target: "shop_verify" is not a postgres:\/\/ URL\n/],
    ];
    for (const [args, expected] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, expected, args.join(' '));
      assert.equal(run.stdout, '');
    }
    const format = await runCli(['backup', 'create', 'postgres://localhost/x', '--out', 'x', '--dump-format', 'tar']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /argument 'tar' is invalid\. Allowed choices are directory, custom\./);
  });

  test('--help for the group and for each subcommand', async () => {
    const group = await runCli(['backup', '--help']);
    assert.equal(group.code, 0);
    assert.match(group.stdout, /audit \[options\] \[url\]/);
    assert.match(group.stdout, /create \[options\] \[url\]/);
    assert.match(group.stdout, /verify \[options\] <dir>/);
    for (const [sub, option] of [['audit', '--pgbackrest-stanza <stanza>'], ['create', '--dump-format <format>'], ['verify', '--target <url>']] as const) {
      const help = await runCli(['backup', sub, '--help']);
      assert.equal(help.code, 0, sub);
      assert.ok(help.stdout.includes(option), `${sub}: ${help.stdout}`);
    }
  });

  test('create, verify, a damaged copy, an existing target, audit: text and json, never a password', async (t) => {
    const source = await manyTypesDatabase(t);
    if (!source) return;
    const dir = scratchDir();
    const out = join(dir, 'backups', 'nightly');
    const created = await runCli(['backup', 'create', source.url, '--out', out, '-j', '2']);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`^pgarchitect backup create: ${out.replace(/[/.]/g, '\\$&')}\\ndatabase ${source.name}, PostgreSQL 15\\.\\d+, snapshot of .+\\npg_dump 15 \\(.+\\), directory format, 2 jobs: [\\d.]+ s\\n8 tables \\(2,006 rows\\), 4 sequences, 2 large objects\\n`));
    assert.match(created.stderr, /^pgarchitect: pg_dump 15 \(.+\): directory format, 2 jobs, into /);
    assert.match(created.stderr, /\npgarchitect: manifest written: 8 tables, \d+ files\n$/);

    const verified = await runCli(['backup', 'verify', out, '--target', source.server.url(`${source.name}_cli`)]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    assert.match(verified.stdout, /\nMeasured restore time \(RTO\): [\d.]+ s for .+ \(.+\/s, pg_restore 1 job\)\n/);
    assert.match(verified.stdout, /\nChecks run \(6\)\n {2}backup-files +✓ {2}\d+ files, .+: sizes and sha256 against the manifest\n/);
    assert.match(verified.stdout, /\nVERIFIED: the backup restores, and every table matches the manifest\n0 errors, 0 warnings, 0 info \(6 checks run\)\n$/);

    const copy = join(dir, 'damaged');
    mkdirSync(copy);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { tables: { name: string; dataFile: string }[] };
    const { cpSync } = await import('node:fs');
    cpSync(out, copy, { recursive: true });
    const kindsFile = manifest.tables.find((x) => x.name === 'kinds')!.dataFile;
    writeFileSync(join(copy, kindsFile), readFileSync(join(copy, kindsFile)).subarray(0, 100));
    const failed = await runCli(['backup', 'verify', copy, '--target', source.server.url(`${source.name}_cli`), '--format', 'json', '--quiet']);
    assert.equal(failed.code, 1);
    assert.equal(failed.stderr, '');
    const json = JSON.parse(failed.stdout) as BackupVerifyResult;
    assert.equal(json.ok, false);
    assert.ok(json.findings.some((f) => f.rule === 'backup-files' && f.message.startsWith(`File ${kindsFile} (the rows of table public.kinds) is truncated: 100 bytes`)));
    const failedText = await runCli(['backup', 'verify', copy, '--target', source.server.url(`${source.name}_cli`), '--quiet']);
    assert.equal(failedText.code, 1);
    assert.match(failedText.stdout, /\nFAILED: the backup does not restore as it was taken\n/);

    await source.server.createDatabase(`${source.name}_taken`);
    const refused = await runCli(['backup', 'verify', out, '--target', source.server.url(`${source.name}_taken`)]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, new RegExp(`^pgarchitect: the target database ${source.name}_taken already exists on postgres://postgres@127\\.0\\.0\\.1:\\d+/${source.name}_taken: refusing to restore over it\\n {2}--force restores beside it`));
    assert.deepEqual(await restoreLeftovers(source.server), []);

    const audit = await runCli(['backup', 'audit', source.url, '--dump-dir', join(dir, 'backups')]);
    assert.equal(audit.code, 1, 'full_page_writes is off on the test server: an error');
    assert.match(audit.stdout, /^pgarchitect backup audit: postgres:\/\/postgres@127\.0\.0\.1:\d+\/bk_\d+_\d+\n/);
    assert.match(audit.stdout, /\nRecovery point objective: up to \d+ s of commits \(no WAL archive: everything since the last backup\)\nRecovery time objective: {2}about [\d.]+ s \(.+ measured by the restore drill of .+\)\n/);
    assert.match(audit.stdout, /\nNot run \(1\)\n {2}backup-pgbackrest: no --pgbackrest-stanza given: pgBackRest backups were not examined\n/);
    const auditJson = await runCli(['backup', 'audit', source.url, '--format', 'json', '--fail-on', 'info']);
    const result = JSON.parse(auditJson.stdout) as BackupAuditResult;
    assert.equal(auditJson.code, 1);
    assert.equal(result.schemaVersion, 1);
    assert.ok(result.findings.every((f) => /^[0-9a-f]{16}$/.test(f.fingerprint)));

    for (const run of [created, verified, failed, failedText, refused, audit, auditJson]) {
      assert.ok(!run.stdout.includes(TEST_PASSWORD) && !run.stderr.includes(TEST_PASSWORD), 'no password in any output');
    }
  });
});
