import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/rename-table.js';
import { execStatements, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('rename-table', () => {
  test('fires on RENAME TO; the fix keeps the old name as an updatable view, on PostgreSQL', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE app.customers RENAME TO clients;');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.match(f!.message, /^RENAME TO clients breaks the code that is running while the migration deploys: its queries on app\.customers fail/);
    assert.equal(f!.fix!.sql, 'ALTER TABLE app.customers RENAME TO clients;\nCREATE VIEW app.customers AS SELECT * FROM app.clients;');
    await assertParses(f!.fix!.sql);
    const db = await useSchema('CREATE SCHEMA app; CREATE TABLE app.customers (id serial PRIMARY KEY, name text, tier int DEFAULT 1);');
    await execStatements(db, f!.fix!.sql);
    const [row] = await db.query<{ id: number; tier: number }>("INSERT INTO app.customers (name) VALUES ('old code') RETURNING id, tier");
    assert.deepEqual(row, { id: 1, tier: 1 }, 'old code still inserts through the view, with the table\'s defaults');
  });

  test('near misses: a table created earlier in the file, a column rename, an index rename', async () => {
    const sql = `CREATE TABLE staging (a int);
ALTER TABLE staging RENAME TO loaded;
ALTER TABLE users RENAME COLUMN a TO b;
ALTER INDEX users_a_idx RENAME TO users_b_idx;`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });
});
