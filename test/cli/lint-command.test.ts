import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import * as AjvDraft04 from 'ajv-draft-04';
import type { CliIo } from '../../src/cli/cli-io.js';
import { lintCommand, type LintCommandOptions } from '../../src/cli/lint-command.js';
import { UserError } from '../../src/errors.js';
import type { LintResult } from '../../src/lint/lint-result.js';

// A CommonJS package whose class is its default export: under NodeNext it sits on .default.
const Ajv = AjvDraft04.default.default ?? AjvDraft04.default;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-lint-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(inputs: string[], options: Partial<LintCommandOptions>, cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, env: {}, cwd };
  const code = await lintCommand(inputs, { format: 'text', failOn: 'error', ...options }, io);
  return { code, stdout, stderr };
}

const QUERIES = `SELECT id FROM users WHERE lower(email) = $1;
DELETE FROM sessions;
SELECT * FROM users;
`;

describe('lintCommand', () => {
  test('text: one line per finding with file:line:column, fixes, skipped rules, summary; exit 1 on an error finding', async () => {
    const dir = workspace({ 'q.sql': QUERIES });
    const { code, stdout } = await run(['q.sql'], {}, dir);
    assert.equal(code, 1);
    assert.match(stdout, /^pgarchitect lint: 1 file, 3 statements\nno schema: rules that need one are not checked/);
    assert.match(stdout, /\nq\.sql:2:13: error: DELETE FROM sessions has no WHERE clause: it deletes every row\..* \[delete-without-where\]\n/);
    assert.match(stdout, /\nq\.sql:3:8: info: `SELECT \*` returns every column/);
    assert.match(stdout, /Not checked \(1 rule\)\n {2}function-on-indexed-column: needs a schema/);
    assert.match(stdout, /1 error, 0 warnings, 1 info \(43 rules run, 1 not checked\)\n$/);
  });

  test('--db schema.sql runs the schema-aware rules; --fail-on; --rule', async () => {
    const dir = workspace({
      'q.sql': QUERIES,
      'schema.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\nCREATE UNIQUE INDEX users_email ON users (email);\nCREATE TABLE sessions (id bigint);\n',
    });
    const { code, stdout } = await run(['q.sql'], { db: 'schema.sql', format: 'json', failOn: 'warning', rule: ['function-on-indexed-column,select-star'] }, dir);
    const result = JSON.parse(stdout) as LintResult;
    assert.equal(code, 1, 'a warning at --fail-on warning');
    assert.deepEqual(result.findings.map((f) => f.rule), ['function-on-indexed-column', 'select-star']);
    assert.equal(result.source.schema?.description, 'schema.sql');
    assert.equal(result.findings[1]!.fix!.sql, 'SELECT id, email FROM users;');
    assert.deepEqual(result.skipped, []);
  });

  test('a statement that does not parse: exit 2, file:line:column and the parser message', async () => {
    const dir = workspace({ 'bad.sql': 'SELECT 1;\nSELECT * FORM t;\n' });
    const { code, stdout } = await run(['bad.sql'], { failOn: 'info' }, dir);
    assert.equal(code, 2);
    assert.match(stdout, /\nbad\.sql:2:10: ERROR 42601: syntax error at or near "FORM"\n/);
    assert.match(stdout, /1 statement not parsed, see above\n$/);
  });

  test('exit 0 when nothing reaches --fail-on', async () => {
    const dir = workspace({ 'ok.sql': 'SELECT id FROM users WHERE id = $1;\n' });
    assert.equal((await run(['ok.sql'], {}, dir)).code, 0);
  });

  test('sarif is valid SARIF 2.1.0 with the statement locations', async () => {
    const dir = workspace({ 'q.sql': QUERIES });
    const { stdout } = await run(['q.sql'], { format: 'sarif' }, dir);
    const log = JSON.parse(stdout);
    const require = createRequire(import.meta.url);
    const schemaDir = dirname(require.resolve('@microsoft/jest-sarif/package.json'));
    const schema = JSON.parse(readFileSync(join(schemaDir, 'lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    assert.equal(ajv.validate(schema, log), true, JSON.stringify(ajv.errors));
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation, { artifactLocation: { uri: 'q.sql' }, region: { startLine: 2, startColumn: 13 } });
  });

  test('usage errors: unknown rule, no input, a URL as input', async () => {
    const dir = workspace({});
    await assert.rejects(run(['q.sql'], { rule: ['no-such-rule'] }, dir), (e: unknown) => e instanceof UserError && /unknown lint rule "no-such-rule"/.test(e.message));
    await assert.rejects(run([], {}, dir), (e: unknown) => e instanceof UserError && /nothing to lint/.test(e.message));
    await assert.rejects(run(['postgres://x@y/z'], {}, dir), UserError);
  });
});
