import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import distinctHidesJoinFanout from '../../../src/rules/query/distinct-hides-join-fanout.js';
import { snapshotOf } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';

const SQL = 'SELECT DISTINCT u.id, u.email AS mail FROM users u JOIN orders o ON o.user_id = u.id WHERE o.total > 100 ORDER BY u.email LIMIT 10';

describe('distinct-hides-join-fanout', () => {
  test('fires on DISTINCT over a join selecting one table only, with the EXISTS form', async () => {
    const findings = await lintWith(distinctHidesJoinFanout, SQL);
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^SELECT DISTINCT over a join returns columns of users u only: the DISTINCT removes the copies the join to orders o makes/);
    assert.equal(
      f!.evidence.suggestion,
      'SELECT u.id, u.email AS mail FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id AND o.total > 100) ORDER BY u.email LIMIT 10',
    );
    assert.equal(f!.fix, null, 'without a schema nobody knows whether u.id, u.email repeat on their own');
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 17 });
  });

  test("with a schema: the rewrite is the fix when the output holds the table's primary key", async () => {
    const schema = await snapshotOf(`CREATE TABLE users (id bigint PRIMARY KEY, email text);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric);`);
    const [f] = await lintWith(distinctHidesJoinFanout, SQL, { schema });
    assert.equal(f!.fix!.sql, `${f!.evidence.suggestion as string};`);
    await assertParses(f!.fix!.sql);
    const [comma] = await lintWith(distinctHidesJoinFanout, 'SELECT DISTINCT u.* FROM users u, orders o WHERE o.user_id = u.id', { schema });
    assert.equal(comma!.fix!.sql, 'SELECT u.* FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);');
    const [noKey] = await lintWith(distinctHidesJoinFanout, 'SELECT DISTINCT u.email FROM users u JOIN orders o ON o.user_id = u.id', { schema });
    assert.equal(noKey!.fix, null, 'emails may repeat: DISTINCT may still be needed');
  });

  test('near misses: columns of both tables, DISTINCT ON, a LEFT JOIN, no join, an aggregate', async () => {
    const sql = `SELECT DISTINCT u.id, o.status FROM users u JOIN orders o ON o.user_id = u.id;
SELECT DISTINCT ON (u.id) u.id, u.email FROM users u JOIN orders o ON o.user_id = u.id;
SELECT DISTINCT u.id FROM users u LEFT JOIN orders o ON o.user_id = u.id;
SELECT DISTINCT status FROM orders;
SELECT DISTINCT count(o.id) FROM users u JOIN orders o ON o.user_id = u.id;
SELECT DISTINCT id FROM users u JOIN orders o ON o.user_id = u.id;`;
    assert.deepEqual(await lintWith(distinctHidesJoinFanout, sql), []);
  });
});
