import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import countForExistence from '../../../src/rules/query/count-for-existence.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('count-for-existence', () => {
  test('(SELECT count(*) ...) > 0 becomes EXISTS, = 0 becomes NOT EXISTS', async () => {
    const findings = await lintWith(
      countForExistence,
      `SELECT u.id FROM users u WHERE (SELECT count(*) FROM orders o WHERE o.user_id = u.id) > 0;
SELECT u.id FROM users u WHERE 0 = (SELECT count(1) FROM orders o WHERE o.user_id = u.id);`,
    );
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'warning');
    assert.match(findings[0]!.message, /^`\(SELECT count\(\*\) FROM orders o WHERE o\.user_id = u\.id\) > 0` counts every matching row to learn whether there is one: EXISTS stops at the first\./);
    assert.equal(findings[0]!.fix!.sql, 'SELECT u.id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);');
    assert.equal(findings[1]!.fix!.sql, 'SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id);');
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 40 });
    for (const f of findings) await assertParses(f.fix!.sql);
  });

  test('SELECT count(*) > 0 FROM ... becomes SELECT EXISTS (SELECT 1 FROM ...), keeping the alias', async () => {
    const [f] = await lintWith(countForExistence, "SELECT count(*) >= 1 AS has_open FROM tickets WHERE status = 'open'");
    assert.equal(f!.fix!.sql, "SELECT EXISTS (SELECT 1 FROM tickets WHERE status = 'open') AS has_open;");
    await assertParses(f!.fix!.sql);
  });

  test('count(column) fires without a rewrite (it skips NULLs)', async () => {
    const [f] = await lintWith(countForExistence, 'SELECT 1 FROM a WHERE (SELECT count(b.x) FROM b WHERE b.a = a.id) <> 0');
    assert.equal(f!.fix, null);
    assert.match(f!.message, /count of a column skips NULLs/);
  });

  test('near misses: count compared with another number, a grouped count, HAVING, a plain count', async () => {
    const sql = `SELECT 1 FROM a WHERE (SELECT count(*) FROM b WHERE b.a = a.id) > 5;
SELECT customer_id FROM orders GROUP BY customer_id HAVING count(*) > 0;
SELECT customer_id, count(*) > 0 FROM orders GROUP BY customer_id;
SELECT count(*) FROM orders;
SELECT 1 FROM a WHERE (SELECT count(*) FROM b GROUP BY b.k LIMIT 1) > 0;`;
    assert.deepEqual(await lintWith(countForExistence, sql), []);
  });
});
