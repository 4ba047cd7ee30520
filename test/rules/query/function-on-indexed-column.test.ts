import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lint } from '../../../src/lint/lint.js';
import functionOnIndexedColumn from '../../../src/rules/query/function-on-indexed-column.js';
import { currentSnapshot, execStatements, sharedEmbedded, snapshotOf } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';

const SCHEMA = `CREATE TABLE users (id bigint PRIMARY KEY, email varchar(200) NOT NULL, code text, created_at timestamptz);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_code_idx ON users (code);
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, ref text);`;

describe('function-on-indexed-column', () => {
  test('fires on lower(email) = ... when email has an index but lower(email) has none; the fix creates it and clears the finding', async () => {
    const schema = await snapshotOf(SCHEMA);
    const sql = 'SELECT id FROM users u WHERE lower(u.email) = lower($1)';
    const findings = await lintWith(functionOnIndexedColumn, sql, { schema });
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^`lower\(u\.email\)` wraps users\.email in lower\(\), so index users_email_key on email cannot serve this condition/);
    assert.deepEqual(f!.evidence.columnIndexes, ['users_email_key']);
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 30 });
    assert.equal(f!.fix!.sql, 'CREATE INDEX CONCURRENTLY ON public.users (lower(email));');
    await execStatements(await sharedEmbedded(), f!.fix!.sql);
    assert.deepEqual(await lintWith(functionOnIndexedColumn, sql, { schema: await currentSnapshot() }), [], 'lower((email)::text) in the index matches lower(email)');
  });

  test('casts and functions with constant arguments; a cast to a time-zone dependent type gets no fix', async () => {
    const schema = await snapshotOf(SCHEMA);
    const findings = await lintWith(
      functionOnIndexedColumn,
      `SELECT 1 FROM users WHERE substr(code, 1, 3) IN ('abc', 'def');
SELECT 1 FROM users WHERE id::text = $1;
UPDATE users SET code = NULL WHERE upper(code) LIKE 'X%';`,
      { schema },
    );
    assert.deepEqual(
      findings.map((f) => f.fix?.sql),
      [
        'CREATE INDEX CONCURRENTLY ON public.users (substr(code, 1, 3));',
        'CREATE INDEX CONCURRENTLY ON public.users ((id::text));',
        'CREATE INDEX CONCURRENTLY ON public.users (upper(code));',
      ],
    );
    await execStatements(await sharedEmbedded(), findings.map((f) => f.fix!.sql).join('\n'));
    const after = await lintWith(functionOnIndexedColumn, `SELECT 1 FROM users WHERE substr(code, 1, 3) IN ('abc', 'def'); SELECT 1 FROM users WHERE id::text = $1;`, { schema: await currentSnapshot() });
    assert.deepEqual(after, []);
  });

  test('near misses: no index on the column, the bare column, a date wrapper, the select list, a varchar-to-text cast', async () => {
    const schema = await snapshotOf(SCHEMA);
    const sql = `SELECT 1 FROM orders WHERE lower(ref) = 'x';
SELECT 1 FROM users WHERE email = lower($1);
SELECT 1 FROM users WHERE date_trunc('day', created_at) = '2024-01-01';
SELECT 1 FROM users WHERE created_at::date = '2024-01-01';
SELECT lower(email) FROM users WHERE id = 1;
SELECT 1 FROM users WHERE email::text = 'a@b.c';`;
    assert.deepEqual(await lintWith(functionOnIndexedColumn, sql, { schema }), []);
  });

  test('an existing expression index: no finding', async () => {
    const schema = await snapshotOf(`${SCHEMA}\nCREATE INDEX users_lower_email ON users (lower(email));`);
    assert.deepEqual(await lintWith(functionOnIndexedColumn, 'SELECT 1 FROM users WHERE lower(email) = $1', { schema }), []);
  });

  test('without a schema the rule is skipped with the reason', async () => {
    const result = await lint({ text: 'SELECT 1 FROM users WHERE lower(email) = $1' }, { rules: [functionOnIndexedColumn] });
    assert.deepEqual(result.findings, []);
    assert.equal(result.skipped[0]!.rule, 'function-on-indexed-column');
    assert.match(result.skipped[0]!.reason, /needs a schema/);
  });
});
