import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import equalsNull from '../../../src/rules/query/equals-null.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('equals-null', () => {
  test('fires on = NULL with the IS NULL rewrite, pointing at the operator', async () => {
    const findings = await lintWith(equalsNull, 'SELECT id FROM users\nWHERE deleted_at = NULL AND active');
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.rule, 'equals-null');
    assert.equal(finding!.severity, 'error');
    assert.deepEqual(finding!.object, { type: 'query', name: 'SELECT users' });
    assert.match(finding!.message, /`deleted_at = NULL` is never true/);
    assert.deepEqual(finding!.location, { file: 'q.sql', line: 2, column: 18 });
    assert.equal(finding!.fix!.sql, 'SELECT id FROM users\nWHERE deleted_at IS NULL AND active;');
    await assertParses(finding!.fix!.sql);
  });

  test('<> NULL and NULL = x: IS NOT NULL, operand moved first', async () => {
    const findings = await lintWith(equalsNull, 'UPDATE t SET a = 1 WHERE b <> NULL OR NULL = (c + 1)');
    assert.equal(findings.length, 2);
    assert.deepEqual(
      findings.map((f) => f.fix!.sql),
      ['UPDATE t SET a = 1 WHERE b IS NOT NULL OR NULL = (c + 1);', 'UPDATE t SET a = 1 WHERE b <> NULL OR (c + 1) IS NULL;'],
    );
    for (const f of findings) await assertParses(f.fix!.sql);
  });

  test('NOT IN with a NULL in the list: reported without a rewrite', async () => {
    const findings = await lintWith(equalsNull, 'SELECT * FROM t WHERE status NOT IN (1, 2, NULL)');
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /`status NOT IN \(\.\.\.\)` has NULL in its list/);
    assert.equal(findings[0]!.fix, null);
  });

  test('near misses: IS NULL, IS DISTINCT FROM NULL, SET x = NULL, IN (..., NULL)', async () => {
    const sql = `SELECT * FROM t WHERE a IS NULL AND b IS DISTINCT FROM NULL AND c IN (1, NULL);
UPDATE t SET a = NULL WHERE id = 1;
SELECT coalesce(a, NULL) = 1 FROM t;`;
    assert.deepEqual(await lintWith(equalsNull, sql), []);
  });
});
