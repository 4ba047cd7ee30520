import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-char-n.js';
import reviewRule from '../../../src/rules/types/avoid-char-n.js';
import { findingsFor } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-char-n', () => {
  test('fires on char(n) in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE; the fix declares varchar(n)', async () => {
    const sql = `CREATE TABLE countries (code char(2) NOT NULL, flags character(3)[] COLLATE "C", kind "char");
ALTER TABLE orders ADD COLUMN currency character;
ALTER TABLE orders ALTER COLUMN status TYPE char(10) USING status::char(10);`;
    const findings = await lintWith(rule, sql);
    assert.deepEqual(findings.map((f) => f.evidence.column), ['countries.code', 'countries.flags', 'orders.currency', 'orders.status']);
    assert.equal(findings[0]!.severity, 'warning');
    assert.equal(findings[0]!.category, 'types');
    assert.equal(findings[0]!.message, 'Column countries.code is declared char(2): values are blank-padded to 2 characters, with no speed or size benefit over varchar or text. Declare it varchar(2) (or text).');
    assert.deepEqual(findings[0]!.object, { type: 'column', table: 'countries', name: 'code', column: 'code' });
    assert.equal(findings[0]!.fix!.sql, 'CREATE TABLE countries (code varchar(2) NOT NULL, flags character(3)[] COLLATE "C", kind "char");');
    assert.equal(findings[1]!.fix!.sql, 'CREATE TABLE countries (code char(2) NOT NULL, flags varchar(3)[] COLLATE "C", kind "char");');
    assert.equal(findings[2]!.fix!.sql, 'ALTER TABLE orders ADD COLUMN currency varchar(1);');
    assert.equal(findings[3]!.fix!.safeOnline, false);
    await fixesParse(findings);
  });

  test('the same judgement as the review: the fixed table gives avoid-char-n nothing to say', async () => {
    const [f] = await lintWith(rule, 'CREATE TABLE countries (code char(2) NOT NULL);');
    assert.equal((await findingsFor(reviewRule, 'CREATE TABLE countries (code char(2) NOT NULL);')).length, 1);
    assert.deepEqual(await findingsFor(reviewRule, f!.fix!.sql), []);
  });

  test('near misses: varchar, text, the internal "char" type', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (a varchar(2), b text, c "char");\nALTER TABLE t ADD COLUMN d varchar;'), []);
  });
});
