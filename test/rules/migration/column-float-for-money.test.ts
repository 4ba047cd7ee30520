import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/column-float-for-money.js';
import { lintWith } from '../../support/lint.js';
import { fixesParse } from '../../support/migration.js';

describe('column-float-for-money', () => {
  test('fires on real and double precision columns named like money; the fix declares numeric(19,4)', async () => {
    const findings = await lintWith(rule, 'CREATE TABLE products (id int, unit_price double precision, "taxRates" real[], weight float8);\nALTER TABLE products ADD COLUMN discounts float;');
    assert.deepEqual(findings.map((f) => f.evidence.matchedWord), ['price', 'tax', 'discount']);
    assert.match(findings[0]!.message, /^Column products\.unit_price is declared double precision but its name says it holds money \("price"\)/);
    assert.equal(findings[0]!.fix!.sql, 'CREATE TABLE products (id int, unit_price numeric(19,4), "taxRates" real[], weight float8);');
    assert.equal(findings[1]!.fix!.sql, 'CREATE TABLE products (id int, unit_price double precision, "taxRates" numeric(19,4)[], weight float8);');
    await fixesParse(findings);
  });

  test('near misses: other names, numeric money columns; the words option', async () => {
    assert.deepEqual(await lintWith(rule, 'CREATE TABLE t (weight float8, price numeric(10,2), ratio real);'), []);
    const custom = await lintWith(rule, 'CREATE TABLE t (weight float8, price real);', { options: { words: ['weight'] } });
    assert.deepEqual(custom.map((f) => f.evidence.column), ['t.weight']);
  });
});
