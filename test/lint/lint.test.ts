import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EMPTY_CONFIG } from '../../src/config/config.js';
import { lint } from '../../src/lint/lint.js';
import { defineQueryRule } from '../../src/rules/query-rule.js';
import { queryRules } from '../../src/rules/query/index.js';
import { snapshotOf } from '../support/embedded.js';

const rule = (id: string) => queryRules.find((r) => r.meta.id === id)!;

describe('lint', () => {
  test('an empty file is no statements, not an error', async () => {
    const result = await lint({ text: '', file: 'empty.sql' });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.findings, []);
  });

  test('statements the parser rejects are errors with file:line:column; the others are still linted', async () => {
    const sql = "SELECT 1;\nSELEC id FROM t;\nDELETE FROM a;\nSELECT 'é' FROM t WHERE x = NULL;\nSELECT (;\nDELETE FROM b";
    const result = await lint({ text: sql, file: 'queries.sql' }, { rules: [rule('delete-without-where'), rule('equals-null')] });
    assert.deepEqual(result.errors, [
      { file: 'queries.sql', line: 2, column: 1, sqlstate: '42601', message: 'syntax error at or near "SELEC"' },
      { file: 'queries.sql', line: 5, column: 9, sqlstate: '42601', message: 'syntax error at or near ";"' },
    ]);
    assert.equal(result.partial, true);
    assert.deepEqual(
      result.findings.map((f) => [f.rule, f.location]),
      [
        ['delete-without-where', { file: 'queries.sql', line: 3, column: 13 }],
        ['equals-null', { file: 'queries.sql', line: 4, column: 27 }],
        ['delete-without-where', { file: 'queries.sql', line: 6, column: 13 }],
      ],
    );
    assert.equal(result.summary.statements, 4);
  });

  test('an unterminated string: the error, and the statements before it are linted', async () => {
    const result = await lint({ text: "DELETE FROM a;\nSELECT 'abc FROM t;\nDELETE FROM b;" }, { rules: [rule('delete-without-where')] });
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.line, 2);
    assert.match(result.errors[0]!.message, /unterminated quoted string/);
    assert.deepEqual(result.findings.map((f) => f.location?.line), [1]);
  });

  test('columns count characters, not bytes, after non-ASCII text', async () => {
    const result = await lint({ text: "SELECT 'naïve café' AS t, * FROM t WHERE a = NULL" }, { rules: [rule('equals-null'), rule('select-star')] });
    assert.deepEqual(result.findings.map((f) => [f.rule, f.location!.column]), [['select-star', 27], ['equals-null', 44]]);
  });

  test('fingerprints ignore where the statement is, its formatting and its constants; they differ by rule and statement', async () => {
    const rules = [rule('select-star'), rule('equals-null')];
    const a = await lint({ text: "SELECT * FROM t WHERE a = NULL AND b = 'x'", file: 'a.sql' }, { rules });
    const b = await lint({ text: "SELECT 1;\n\n-- moved\nSELECT *\n  FROM t\n WHERE a = NULL AND b = 'y'", file: 'b.sql' }, { rules });
    assert.deepEqual(a.findings.map((f) => f.fingerprint), b.findings.map((f) => f.fingerprint));
    assert.notEqual(a.findings[0]!.fingerprint, a.findings[1]!.fingerprint);
    const other = await lint({ text: 'SELECT * FROM u WHERE a = NULL' }, { rules });
    assert.notEqual(other.findings[0]!.fingerprint, a.findings[0]!.fingerprint);
    for (const f of a.findings) assert.match(f.fingerprint, /^[0-9a-f]{16}$/);
  });

  test('-- pgarchitect-ignore suppresses the named rules (or all) for the next statement only; unknown ids are noted', async () => {
    const sql = `-- pgarchitect-ignore select-star: the report needs every column
SELECT * FROM t WHERE a = NULL;
/* other */
-- pgarchitect-ignore
SELECT * FROM t WHERE a = NULL;
-- pgarchitect-ignore no-such-rule
SELECT * FROM t;`;
    const result = await lint({ text: sql, file: 'q.sql' }, { rules: [rule('select-star'), rule('equals-null')] });
    assert.deepEqual(result.findings.map((f) => [f.rule, f.location!.line]), [['equals-null', 2], ['select-star', 7]]);
    assert.equal(result.summary.suppressed, 3);
    assert.deepEqual(result.notices, [{ kind: 'ignored-directive', message: '-- pgarchitect-ignore names unknown rule "no-such-rule"', file: 'q.sql', line: 7, column: 1 }]);
  });

  test('configuration: severity, off, options, ignore by file pattern; --rule; baseline', async () => {
    const sql = 'SELECT * FROM t OFFSET 500';
    const result = await lint(
      { text: sql, file: 'reports/monthly.sql' },
      { config: { rules: { 'select-star': { severity: 'warning' }, 'offset-pagination': { options: { minOffset: 100 } } }, ignore: [] } },
    );
    assert.deepEqual(result.findings.map((f) => [f.rule, f.severity]), [['select-star', 'warning'], ['offset-pagination', 'warning']]);
    const off = await lint({ text: sql }, { config: { rules: { 'select-star': { severity: 'off' } }, ignore: [] } });
    assert.deepEqual(off.findings, []);
    const ignored = await lint({ text: sql, file: 'reports/monthly.sql' }, { config: { ...EMPTY_CONFIG, ignore: [{ rule: 'select-star', object: 'reports/*' }] } });
    assert.deepEqual(ignored.findings, []);
    assert.equal(ignored.summary.suppressed, 1);
    const only = await lint({ text: 'SELECT * FROM t; DELETE FROM t' }, { only: ['delete-without-where'] });
    assert.deepEqual(only.findings.map((f) => f.rule), ['delete-without-where']);
    const baseline = new Set(only.findings.map((f) => f.fingerprint));
    const again = await lint({ text: 'SELECT * FROM t; DELETE FROM t' }, { only: ['delete-without-where'], baseline });
    assert.deepEqual(again.findings, []);
  });

  test('schema-aware rules are skipped with the reason without a schema, and run with one', async () => {
    const sql = 'SELECT id FROM users WHERE lower(email) = $1';
    const without = await lint({ text: sql });
    assert.deepEqual(without.skipped.map((s) => s.rule), ['function-on-indexed-column']);
    assert.equal(without.source.schema, null);
    const schema = await snapshotOf('CREATE TABLE users (id int PRIMARY KEY, email text); CREATE INDEX ON users (email);');
    const withSchema = await lint({ text: sql }, { schema });
    assert.deepEqual(withSchema.skipped, []);
    assert.deepEqual(withSchema.findings.map((f) => f.rule), ['function-on-indexed-column']);
    assert.equal(withSchema.source.schema?.serverVersionNum && withSchema.source.schema.serverVersionNum >= 180000, true);
  });

  test('a rule that throws is listed as skipped with the place; the other rules still run', async () => {
    const broken = defineQueryRule({
      meta: { id: 'broken-rule', category: 'query', defaultSeverity: 'warning', description: 'Breaks.', fixable: false, defaultOptions: {} },
      visitors: {
        DeleteStmt() {
          throw new Error('boom');
        },
      },
    });
    const result = await lint({ text: 'SELECT 1;\nDELETE FROM t;', file: 'x.sql' }, { rules: [broken, rule('delete-without-where')] });
    assert.deepEqual(result.findings.map((f) => f.rule), ['delete-without-where']);
    assert.deepEqual(result.skipped, [{ rule: 'broken-rule', reason: 'the rule failed at x.sql:2:1: boom; not run after that (please report this)' }]);
    assert.equal(result.summary.rulesRun, 1);
  });

  test('files and folders: relative paths, sorted findings, summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-lint-'));
    mkdirSync(join(dir, 'queries'));
    writeFileSync(join(dir, 'queries', '2_b.sql'), 'DELETE FROM b;\n');
    writeFileSync(join(dir, 'queries', '10_c.sql'), 'SELECT * FROM c;\n');
    writeFileSync(join(dir, 'a.sql'), 'UPDATE a SET x = 1;\nSELECT * FROM a ORDER BY random();\n');
    const result = await lint(['a.sql', 'queries'].map((p) => join(dir, p)), { cwd: dir });
    assert.deepEqual(result.source.files, ['a.sql', 'queries/2_b.sql', 'queries/10_c.sql']);
    assert.deepEqual(
      result.findings.map((f) => `${f.location!.file}:${f.location!.line}:${f.location!.column} ${f.rule}`),
      ['a.sql:1:8 update-without-where', 'a.sql:2:8 select-star', 'a.sql:2:26 order-by-random', 'queries/10_c.sql:1:8 select-star', 'queries/2_b.sql:1:13 delete-without-where'],
    );
    assert.deepEqual(
      { ...result.summary },
      { error: 2, warning: 1, info: 2, total: 5, rulesRun: 43, rulesSkipped: 1, suppressed: 0, files: 3, statements: 4 },
    );
    assert.equal(result.command, 'lint');
  });
});
