import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-money.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-money', () => {
  test('fires on a money column; the fix declares numeric(19,4)', async () => {
    const findings = await lintWith(rule, 'CREATE TABLE invoices (id int, total money NOT NULL DEFAULT 0);\nALTER TABLE invoices ADD COLUMN fees money[];');
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message, /^Column invoices\.total is declared money, whose scale and text form depend on the lc_monetary setting\. Declare it numeric\(19,4\)\.$/);
    assert.equal(findings[0]!.fix!.sql, 'CREATE TABLE invoices (id int, total numeric(19,4) NOT NULL DEFAULT 0);');
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE invoices ADD COLUMN fees numeric(19,4)[];');
    await fixesParse(findings);
  });

  test('near misses: numeric, a type of that name in another schema', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (a numeric(12,2), b billing.money);'), []);
  });
});
