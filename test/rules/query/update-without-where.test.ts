import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import updateWithoutWhere from '../../../src/rules/query/update-without-where.js';
import { lintWith } from '../../support/lint.js';

describe('update-without-where', () => {
  test('fires on UPDATE with no WHERE, naming the columns', async () => {
    const findings = await lintWith(updateWithoutWhere, "UPDATE accounts SET balance = 0, note = 'reset'");
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.severity, 'error');
    assert.match(findings[0]!.message, /^UPDATE accounts has no WHERE clause: it changes balance, note in every row/);
    assert.deepEqual(findings[0]!.evidence, { table: 'accounts', columns: ['balance', 'note'], from: false });
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 8 });
  });

  test('UPDATE ... FROM without WHERE says each row takes an arbitrary FROM row', async () => {
    const findings = await lintWith(updateWithoutWhere, 'UPDATE a SET x = b.x FROM b');
    assert.match(findings[0]!.message, /arbitrary row of the FROM list/);
  });

  test('near misses: WHERE, an UPDATE inside a CTE with WHERE, INSERT ... ON CONFLICT DO UPDATE', async () => {
    const sql = `UPDATE accounts SET balance = 0 WHERE id = $1;
WITH u AS (UPDATE t SET a = 1 WHERE id = 2 RETURNING id) SELECT * FROM u;
INSERT INTO t (id, a) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET a = excluded.a;`;
    assert.deepEqual(await lintWith(updateWithoutWhere, sql), []);
  });
});
