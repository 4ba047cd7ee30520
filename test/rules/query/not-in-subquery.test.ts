import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import notInSubquery from '../../../src/rules/query/not-in-subquery.js';
import { snapshotOf } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';

describe('not-in-subquery', () => {
  test('fires on NOT IN (SELECT ...) with a NOT EXISTS suggestion and no rewrite', async () => {
    const findings = await lintWith(notInSubquery, 'SELECT id FROM users u WHERE u.id NOT IN (SELECT o.user_id FROM orders o WHERE o.total > 100)');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /`u\.id NOT IN \(SELECT o\.user_id \.\.\.\)` returns no rows at all if the subquery yields a NULL/);
    assert.equal(f!.evidence.suggestion, 'NOT EXISTS (SELECT FROM orders o WHERE (o.total > 100) AND o.user_id = u.id)');
    assert.equal(f!.fix, null);
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 35 }, 'at NOT');
  });

  test('<> ALL (SELECT ...) is the same trap', async () => {
    const [all] = await lintWith(notInSubquery, 'SELECT 1 FROM a WHERE x <> ALL (SELECT y FROM b)');
    assert.match(all!.message, /^`x <> ALL \(SELECT y \.\.\.\)` returns no rows at all/);
    assert.equal((await lintWith(notInSubquery, 'DELETE FROM a WHERE x NOT IN (SELECT y FROM b)')).length, 1);
  });

  test('near misses: IN, NOT EXISTS, NOT IN a list, a subquery filtering IS NOT NULL', async () => {
    const sql = `SELECT 1 FROM a WHERE x IN (SELECT y FROM b);
SELECT 1 FROM a WHERE NOT EXISTS (SELECT FROM b WHERE b.y = a.x);
SELECT 1 FROM a WHERE x NOT IN (1, 2);
SELECT 1 FROM a WHERE x NOT IN (SELECT y FROM b WHERE y IS NOT NULL AND z > 0);`;
    assert.deepEqual(await lintWith(notInSubquery, sql), []);
  });

  test('with a schema: no finding when the subquery column is NOT NULL, one when it is nullable', async () => {
    const schema = await snapshotOf(`CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL, coupon_id bigint);`);
    assert.deepEqual(await lintWith(notInSubquery, 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM orders)', { schema }), []);
    assert.equal((await lintWith(notInSubquery, 'SELECT id FROM users WHERE id NOT IN (SELECT coupon_id FROM orders)', { schema })).length, 1);
    assert.equal(
      (await lintWith(notInSubquery, 'SELECT id FROM users WHERE id NOT IN (SELECT o.user_id FROM users u LEFT JOIN orders o ON o.user_id = u.id)', { schema })).length,
      1,
      'a NOT NULL column on the nullable side of an outer join can still be NULL',
    );
  });
});
