import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import unionWithoutAll from '../../../src/rules/query/union-without-all.js';
import { lintWith } from '../../support/lint.js';

describe('union-without-all', () => {
  test('fires once per UNION, at the keyword', async () => {
    const findings = await lintWith(unionWithoutAll, 'SELECT id FROM a\nUNION\nSELECT id FROM b WHERE x IS NULL\nUNION SELECT id FROM c');
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'info');
    assert.deepEqual(findings.map((f) => f.location), [
      { file: 'q.sql', line: 2, column: 1 },
      { file: 'q.sql', line: 4, column: 1 },
    ]);
    assert.match(findings[0]!.message, /^UNION removes duplicate rows/);
    assert.equal(findings[0]!.fix, null, 'whether duplicates matter is the author\'s call: no rewrite');
    assert.notEqual(findings[0]!.fingerprint, findings[1]!.fingerprint);
  });

  test('near misses: UNION ALL, INTERSECT, EXCEPT', async () => {
    const sql = 'SELECT id FROM a UNION ALL SELECT id FROM b; SELECT id FROM a INTERSECT SELECT id FROM b; SELECT id FROM a EXCEPT SELECT id FROM b;';
    assert.deepEqual(await lintWith(unionWithoutAll, sql), []);
  });
});
