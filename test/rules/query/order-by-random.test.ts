import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import orderByRandom from '../../../src/rules/query/order-by-random.js';
import { lintWith } from '../../support/lint.js';

describe('order-by-random', () => {
  test('fires on ORDER BY random(), at the call, also in a subquery', async () => {
    const findings = await lintWith(
      orderByRandom,
      'SELECT id FROM products ORDER BY random() LIMIT 5;\nSELECT * FROM (SELECT id FROM t ORDER BY pg_catalog.random()) s;',
    );
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'warning');
    assert.match(findings[0]!.message, /^`ORDER BY random\(\)` reads and sorts every row to return a few\. For a sample use `TABLESAMPLE SYSTEM/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 34 });
    assert.equal(findings[0]!.fix, null);
  });

  test('near misses: random() in the select list, a column named random_rank, setseed, a user function random(x)', async () => {
    const sql = `SELECT id, random() FROM t ORDER BY id;
SELECT id FROM t ORDER BY random_rank;
SELECT id FROM t ORDER BY random(id);
SELECT id FROM t ORDER BY app.random();`;
    assert.deepEqual(await lintWith(orderByRandom, sql), []);
  });
});
