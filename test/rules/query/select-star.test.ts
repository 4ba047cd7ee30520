import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import selectStar from '../../../src/rules/query/select-star.js';
import { snapshotOf } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('select-star', () => {
  test('fires on SELECT * and t.* in the output, at the star', async () => {
    const findings = await lintWith(selectStar, 'SELECT * FROM orders;\nSELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id;');
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'info');
    assert.match(findings[0]!.message, /^`SELECT \*` returns every column/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 8 });
    assert.match(findings[1]!.message, /`SELECT o\.\*` returns every column of o/);
    assert.equal(findings[0]!.fix, null, 'no schema: no column list');
  });

  test('fires in each arm of a UNION, in a view and in INSERT ... SELECT', async () => {
    const sql = `SELECT * FROM a UNION ALL SELECT * FROM b;
CREATE VIEW v AS SELECT * FROM a;
INSERT INTO archive SELECT * FROM orders WHERE placed_at < now() - interval '1 year';`;
    assert.equal((await lintWith(selectStar, sql)).length, 4);
  });

  test('near misses: EXISTS (SELECT *), count(*), a subquery or CTE read by named columns', async () => {
    const sql = `SELECT id FROM a WHERE EXISTS (SELECT * FROM b WHERE b.a_id = a.id);
SELECT count(*) FROM a;
SELECT x.id FROM (SELECT * FROM a) x;
WITH recent AS (SELECT * FROM orders) SELECT id, total FROM recent;`;
    assert.deepEqual(await lintWith(selectStar, sql), []);
  });

  test('with a schema: the fix lists the columns, qualified when there are several tables', async () => {
    const schema = await snapshotOf(`CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, "Display Name" text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);`);
    const [single] = await lintWith(selectStar, 'SELECT * FROM users WHERE id = $1', { schema });
    assert.equal(single!.fix!.sql, 'SELECT id, email, "Display Name" FROM users WHERE id = $1;');
    assert.deepEqual(single!.evidence.columns, ['id', 'email', '"Display Name"']);
    const [joined] = await lintWith(selectStar, 'SELECT * FROM users u JOIN orders o ON o.user_id = u.id', { schema });
    assert.equal(joined!.fix!.sql, 'SELECT u.id, u.email, u."Display Name", o.id, o.user_id, o.total FROM users u JOIN orders o ON o.user_id = u.id;');
    const [qualified] = await lintWith(selectStar, 'SELECT o.*, u.email FROM users u JOIN orders o ON o.user_id = u.id', { schema });
    assert.equal(qualified!.fix!.sql, 'SELECT o.id, o.user_id, o.total, u.email FROM users u JOIN orders o ON o.user_id = u.id;');
    for (const f of [single!, joined!, qualified!]) await assertParses(f.fix!.sql);
  });

  test('with a schema: no fix when * merges columns (USING) or reads an unknown relation or a CTE', async () => {
    const schema = await snapshotOf('CREATE TABLE users (id bigint PRIMARY KEY, email text); CREATE TABLE orders (id bigint, user_id bigint);');
    const sql = `SELECT * FROM users JOIN orders USING (id);
SELECT * FROM missing_table;
WITH users AS (SELECT 1 AS one) SELECT * FROM users;`;
    const findings = await lintWith(selectStar, sql, { schema });
    assert.equal(findings.length, 3);
    assert.deepEqual(findings.map((f) => f.fix), [null, null, null]);
  });
});
