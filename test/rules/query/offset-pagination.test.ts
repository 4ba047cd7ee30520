import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import offsetPagination from '../../../src/rules/query/offset-pagination.js';
import { lintWith } from '../../support/lint.js';

describe('offset-pagination', () => {
  test('fires on a large constant OFFSET, with a keyset template from the ORDER BY', async () => {
    const findings = await lintWith(offsetPagination, 'SELECT id, title FROM posts ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 10000');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^OFFSET 10000 reads and discards 10,000 rows before returning any\. Use keyset pagination: `WHERE \(created_at, id\) < \(\$last1, \$last2\) ORDER BY created_at DESC, id DESC LIMIT 20`/);
    assert.deepEqual(f!.evidence.orderBy, ['created_at DESC', 'id DESC']);
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 79 });
  });

  test('without ORDER BY the message says the pages are not stable; mixed directions get no row comparison', async () => {
    const [plain] = await lintWith(offsetPagination, 'SELECT id FROM t OFFSET 5000');
    assert.match(plain!.message, /without ORDER BY the pages are not even stable/);
    const [mixed] = await lintWith(offsetPagination, 'SELECT id FROM t ORDER BY a DESC, id LIMIT 10 OFFSET 2000');
    assert.match(mixed!.message, /each key compared with the last row's value/);
  });

  test('the threshold is the minOffset option', async () => {
    assert.deepEqual(await lintWith(offsetPagination, 'SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 500'), []);
    assert.equal((await lintWith(offsetPagination, 'SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 500', { options: { minOffset: 100 } })).length, 1);
  });

  test('near misses: a small OFFSET, a parameter, keyset pagination', async () => {
    const sql = `SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 20;
SELECT id FROM t ORDER BY id LIMIT 10 OFFSET $1;
SELECT id FROM t WHERE id > $1 ORDER BY id LIMIT 10;`;
    assert.deepEqual(await lintWith(offsetPagination, sql), []);
  });
});
