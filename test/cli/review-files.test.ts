import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ReviewResult } from '../../src/result.js';
import { runCli } from '../support/run-cli.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const SCHEMA = `CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE audit (at timestamptz, what text);
`;

describe('pgarchitect review on SQL files', () => {
  test('text report: findings named, summary line, exit 1 for an error finding', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA });
    const run = await runCli(['review', 'schema.sql'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /public\.audit has no primary key\. \[table-without-primary-key\]/);
    assert.match(run.stdout, /schema\.sql:2/);
    assert.match(run.stdout, /\d+ errors?, \d+ warnings?, \d+ info \(\d+ rules run/);
  });

  test('--fail-on: exit 0 when nothing reaches the threshold', async () => {
    const dir = workspace({ 'schema.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n' });
    const run = await runCli(['review', 'schema.sql', '--rule', 'table-without-primary-key'], { cwd: dir });
    assert.equal(run.code, 0, run.stdout + run.stderr);
  });

  test('json output follows the contract', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA });
    const run = await runCli(['review', 'schema.sql', '--format', 'json'], { cwd: dir });
    const result = JSON.parse(run.stdout) as ReviewResult;
    assert.equal(result.schemaVersion, 1);
    assert.equal(result.source.kind, 'files');
    const finding = result.findings.find((f) => f.rule === 'table-without-primary-key')!;
    assert.deepEqual(finding.object, { type: 'table', schema: 'public', name: 'audit' });
    assert.equal(finding.severity, 'error');
    assert.equal(finding.category, 'keys');
    assert.match(finding.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(typeof finding.fix?.sql, 'string');
    assert.equal(typeof finding.fix?.safeOnline, 'boolean');
    assert.deepEqual(finding.location, { file: 'schema.sql', line: 2, column: 1 });
    assert.ok(Array.isArray(result.skipped) && Array.isArray(result.errors));
    const unused = result.skipped.find((s) => s.rule === 'unused-index');
    assert.match(unused?.reason ?? '', /needs a live server/, 'rules that need live data are listed as not checked, with the reason');
  });

  test('fingerprints are stable across runs and engines restarts', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA });
    const a = JSON.parse((await runCli(['review', 'schema.sql', '-f', 'json'], { cwd: dir })).stdout) as ReviewResult;
    const b = JSON.parse((await runCli(['review', 'schema.sql', '-f', 'json'], { cwd: dir })).stdout) as ReviewResult;
    assert.deepEqual(a.findings.map((f) => f.fingerprint), b.findings.map((f) => f.fingerprint));
  });

  test('--baseline reports only new findings', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA });
    const first = await runCli(['review', 'schema.sql', '-f', 'json', '-o', 'baseline.json'], { cwd: dir });
    assert.equal(first.stdout, '');
    writeFileSync(join(dir, 'schema.sql'), SCHEMA + 'CREATE TABLE more_audit (at timestamptz);\n');
    const run = await runCli(['review', 'schema.sql', '-f', 'json', '--baseline', 'baseline.json'], { cwd: dir });
    const result = JSON.parse(run.stdout) as ReviewResult;
    const pk = result.findings.filter((f) => f.rule === 'table-without-primary-key');
    assert.deepEqual(pk.map((f) => f.object.name), ['more_audit']);
    assert.ok(result.summary.suppressed >= 1);
  });

  test('configuration: severities, rules off and ignored objects', async () => {
    const dir = workspace({
      'schema.sql': SCHEMA,
      'pgarchitect.config.json': JSON.stringify({
        rules: { 'table-without-primary-key': 'warning' },
        ignore: [{ rule: 'table-without-primary-key', object: 'public.users*' }],
      }),
    });
    const run = await runCli(['review', 'schema.sql', '-f', 'json', '--rule', 'table-without-primary-key'], { cwd: dir });
    const result = JSON.parse(run.stdout) as ReviewResult;
    assert.deepEqual(result.findings.map((f) => [f.object.name, f.severity]), [['audit', 'warning']]);
    assert.equal(run.code, 0);
    const off = workspace({ 'schema.sql': SCHEMA, 'pgarchitect.config.json': '{"rules": {"table-without-primary-key": "off"}}' });
    const none = JSON.parse((await runCli(['review', 'schema.sql', '-f', 'json'], { cwd: off })).stdout) as ReviewResult;
    assert.equal(none.findings.filter((f) => f.rule === 'table-without-primary-key').length, 0);
  });

  test('a bad configuration is one clear line and exit 2', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA, 'pgarchitect.config.json': '{"rules": {"no-such-rule": "error"}}' });
    const run = await runCli(['review', 'schema.sql'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown rule "no-such-rule"/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    // A renamed rule says its new id.
    const renamed = workspace({ 'schema.sql': SCHEMA, 'pgarchitect.config.json': '{"rules": {"partitioned-table-without-future-partition": "off"}}' });
    const old = await runCli(['review', 'schema.sql'], { cwd: renamed });
    assert.equal(old.code, 2);
    assert.match(old.stderr, /rule "partitioned-table-without-future-partition" was renamed "partition-missing-future"/);
  });

  test('inline -- pgarchitect-ignore suppresses one rule for one statement', async () => {
    const dir = workspace({ 'schema.sql': '-- pgarchitect-ignore table-without-primary-key\nCREATE TABLE audit (at timestamptz);\nCREATE TABLE log (at timestamptz);\n' });
    const result = JSON.parse((await runCli(['review', 'schema.sql', '-f', 'json'], { cwd: dir })).stdout) as ReviewResult;
    assert.deepEqual(result.findings.filter((f) => f.rule === 'table-without-primary-key').map((f) => f.object.name), ['log']);
  });

  test('bad input: a syntax error names file:line:column and exits 2, the review is marked partial', async () => {
    const dir = workspace({ 'schema.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int,, x int);\n' });
    const run = await runCli(['review', 'schema.sql'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stdout, /schema\.sql:2:24: ERROR 42601: syntax error at or near ","/);
    assert.match(run.stdout, /PARTIAL/);
    const json = JSON.parse((await runCli(['review', 'schema.sql', '-f', 'json'], { cwd: dir })).stdout) as ReviewResult;
    assert.equal(json.partial, true);
    assert.deepEqual(json.errors.map((e) => [e.file, e.line, e.column, e.sqlstate]), [['schema.sql', 2, 24, '42601']]);
  });

  test('bad input: a missing file, an unknown format, no input: one line, exit 2, no stack trace', async () => {
    for (const args of [['review', 'nope.sql'], ['review', 'x.sql', '--format', 'yaml'], ['review'], ['nonsense']]) {
      const run = await runCli(args, { cwd: tmpdir() });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(run.stderr.trim().length > 0);
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    }
  });

  test('--debug adds the stack trace', async () => {
    const dir = workspace({ 'pgarchitect.config.json': '{not json' , 'schema.sql': SCHEMA });
    const run = await runCli(['review', 'schema.sql', '--debug'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\n\s+at /);
  });

  test('--fix-sql writes one script; applying it and reviewing again removes those findings', async () => {
    const dir = workspace({
      'schema.sql': `CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);
CREATE INDEX users_email_dup ON users (email);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));
CREATE TABLE audit (at timestamptz);
`,
    });
    const run = await runCli(['review', 'schema.sql', '-f', 'json', '--fix-sql', 'fix.sql', '--unsafe-fixes'], { cwd: dir });
    const before = JSON.parse(run.stdout) as ReviewResult;
    const fixable = before.findings.filter((f) => f.fix);
    assert.ok(fixable.length >= 1);
    const script = readFileSync(join(dir, 'fix.sql'), 'utf8');
    writeFileSync(join(dir, 'fixed.sql'), readFileSync(join(dir, 'schema.sql'), 'utf8') + '\n' + script);
    const after = JSON.parse((await runCli(['review', 'fixed.sql', '-f', 'json'], { cwd: dir })).stdout) as ReviewResult;
    assert.deepEqual(after.errors, []);
    const remaining = new Set(after.findings.map((f) => `${f.rule} ${f.object.schema}.${f.object.table ?? ''}.${f.object.name}`));
    for (const f of fixable) assert.ok(!remaining.has(`${f.rule} ${f.object.schema}.${f.object.table ?? ''}.${f.object.name}`), `still there after the fix: ${f.rule} ${f.object.name}`);
  });

  test('sarif and markdown formats are produced', async () => {
    const dir = workspace({ 'schema.sql': SCHEMA });
    const sarif = JSON.parse((await runCli(['review', 'schema.sql', '-f', 'sarif'], { cwd: dir })).stdout);
    assert.equal(sarif.version, '2.1.0');
    const markdown = (await runCli(['review', 'schema.sql', '-f', 'markdown'], { cwd: dir })).stdout;
    assert.match(markdown, /^# pgarchitect review/);
    assert.match(markdown, /\| `table-without-primary-key` \| `public\.audit` \|/);
  });

  test('rules lists every rule; rules <id> shows its doc page', async () => {
    const list = await runCli(['rules']);
    assert.match(list.stdout, /^  table-without-primary-key\s+error/m);
    const doc = await runCli(['rules', 'table-without-primary-key']);
    assert.match(doc.stdout, /^# table-without-primary-key/);
    assert.equal((await runCli(['rules', 'nope'])).code, 2);
  });

  test('--help and --version exit 0', async () => {
    const help = await runCli(['review', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--fix-sql <file>/);
    assert.equal((await runCli(['--version'])).code, 0);
  });
});
