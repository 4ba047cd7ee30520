import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import implicitCrossJoin from '../../../src/rules/query/implicit-cross-join.js';
import { snapshotOf } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';

describe('implicit-cross-join', () => {
  test('fires on comma-joined tables with no condition linking them, at the unjoined table', async () => {
    const findings = await lintWith(implicitCrossJoin, "SELECT o.id, c.name FROM orders o, customers c WHERE o.status = 'open'");
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^o and c are listed in FROM with no condition joining them/);
    assert.deepEqual(f!.evidence.unjoined, [['o'], ['c']]);
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 36 });
  });

  test('three tables where only two are linked; UPDATE ... FROM without a link', async () => {
    const [three] = await lintWith(implicitCrossJoin, 'SELECT 1 FROM a, b, c WHERE a.id = b.a_id');
    assert.deepEqual(three!.evidence.unjoined, [['a', 'b'], ['c']]);
    assert.equal((await lintWith(implicitCrossJoin, 'UPDATE t SET x = s.x FROM s WHERE t.flag')).length, 1);
  });

  test('with a schema, unqualified columns are placed: a missing link is found, a present one is seen', async () => {
    const schema = await snapshotOf('CREATE TABLE orders (id int, customer_id int, status text); CREATE TABLE customers (cid int, name text);');
    assert.equal((await lintWith(implicitCrossJoin, "SELECT 1 FROM orders, customers WHERE status = 'x'", { schema })).length, 1);
    assert.deepEqual(await lintWith(implicitCrossJoin, 'SELECT 1 FROM orders, customers WHERE customer_id = cid', { schema }), []);
  });

  test('near misses: a WHERE link, explicit JOIN and CROSS JOIN, a correlated EXISTS linking them, a subquery or function item, unplaceable columns', async () => {
    const sql = `SELECT 1 FROM orders o, customers c WHERE o.customer_id = c.id;
SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id;
SELECT 1 FROM sizes CROSS JOIN colors;
SELECT 1 FROM a, b WHERE EXISTS (SELECT 1 FROM c WHERE c.a_id = a.id AND c.b_id = b.id);
SELECT 1 FROM t, (SELECT max(at) AS latest FROM t) m WHERE t.at = m.latest;
SELECT 1 FROM t, generate_series(1, 3) g;
WITH params AS (SELECT 10 AS lim) SELECT 1 FROM t, params WHERE t.n < params.lim;
SELECT 1 FROM a, b WHERE x = y;
SELECT 1 FROM (SELECT id, ns FROM objects) x, namespaces n, owners o WHERE x.ns = n.id AND x.id = o.object_id;
SELECT 1 FROM publications p, LATERAL tables_of(p.name) t, classes c WHERE c.oid = t.relid;`;
    assert.deepEqual(await lintWith(implicitCrossJoin, sql), []);
  });
});
