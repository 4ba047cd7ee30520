import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import deleteWithoutWhere from '../../../src/rules/query/delete-without-where.js';
import { lintWith } from '../../support/lint.js';

describe('delete-without-where', () => {
  test('fires on DELETE with no WHERE, also inside a CTE', async () => {
    const findings = await lintWith(deleteWithoutWhere, 'DELETE FROM public.sessions;\nWITH gone AS (DELETE FROM carts RETURNING id) SELECT count(*) FROM gone;');
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'error');
    assert.match(findings[0]!.message, /^DELETE FROM public\.sessions has no WHERE clause: it deletes every row/);
    assert.deepEqual(findings[0]!.location, { file: 'q.sql', line: 1, column: 13 });
    assert.equal(findings[1]!.evidence.table, 'carts');
    assert.equal(findings[0]!.fix, null);
  });

  test('near misses: a WHERE clause, WHERE CURRENT OF, TRUNCATE', async () => {
    const sql = 'DELETE FROM sessions WHERE expires_at < now();\nDELETE FROM t WHERE CURRENT OF c;\nTRUNCATE sessions;';
    assert.deepEqual(await lintWith(deleteWithoutWhere, sql), []);
  });

  test('a -- pgarchitect-ignore comment before the statement suppresses it', async () => {
    const sql = '-- pgarchitect-ignore delete-without-where: test fixture reset\nDELETE FROM sessions;\nDELETE FROM carts;';
    const findings = await lintWith(deleteWithoutWhere, sql);
    assert.deepEqual(findings.map((f) => f.evidence.table), ['carts']);
  });
});
