import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/rename-column.js';
import { lintWith } from '../../support/lint.js';

describe('rename-column', () => {
  test('fires on RENAME COLUMN of an existing table', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE public.users RENAME COLUMN email TO email_address;');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^RENAME COLUMN email TO email_address on public\.users breaks the code that is running while the migration deploys/);
    assert.deepEqual(f!.object, { type: 'column', schema: 'public', table: 'users', name: 'email', column: 'email' });
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 40 });
    assert.equal(f!.evidence.lock, 'ACCESS EXCLUSIVE');
    assert.equal(f!.fix, null);
  });

  test('near misses: a table created earlier in the file, renaming a table, a constraint or an index', async () => {
    const sql = `CREATE TABLE fresh (a int);
ALTER TABLE fresh RENAME COLUMN a TO b;
ALTER TABLE users RENAME TO people;
ALTER TABLE users RENAME CONSTRAINT c1 TO c2;
ALTER INDEX users_email_idx RENAME TO users_mail_idx;`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });
});
