import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/modelling/stored-derived-value.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('stored-derived-value', () => {
  test('fires on a total beside its parts, and the CHECK fix applies and removes it', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE orders (
         id bigint PRIMARY KEY, subtotal numeric(12,2) NOT NULL, tax numeric(12,2), shipping numeric(12,2) NOT NULL,
         discount numeric(12,2), total numeric(12,2));
       INSERT INTO orders VALUES (1, 100, 20, 5, 10, 115), (2, 50, NULL, 0, NULL, 50);`,
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.deepEqual(finding!.object, { type: 'column', schema: 'public', table: 'orders', name: 'total', column: 'total' });
    assert.match(finding!.message, /public\.orders\.total stores a value derived from subtotal, tax, shipping, discount/);
    assert.equal(
      finding!.fix!.sql,
      'ALTER TABLE public.orders ADD CONSTRAINT orders_total_consistent CHECK (total = subtotal + coalesce(tax, 0) + shipping - coalesce(discount, 0)) NOT VALID;\n' +
        'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_total_consistent;',
    );
    assert.equal(finding!.fix!.safeOnline, true);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('fires on a full name beside its parts, and the fix removes it', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE people (id int PRIMARY KEY, first_name text, last_name text, full_name text);
       INSERT INTO people VALUES (1, 'Ada', 'Lovelace', 'Ada Lovelace');`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.fix!.sql, /CHECK \(full_name = concat_ws\(' ', first_name, last_name\)\) NOT VALID;/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('fires without a fix on an age stored beside a birth date', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE members (id int PRIMARY KEY, birth_date date, age int);');
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /public\.members\.age stores a value derived from birth_date that goes stale/);
    assert.equal(findings[0]!.fix, null);
  });

  test('does not fire on a generated total, an existing CHECK, or a total without parts', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE a (subtotal numeric, tax numeric, total numeric GENERATED ALWAYS AS (subtotal + tax) STORED);
       CREATE TABLE b (subtotal numeric, tax numeric, total numeric, CHECK (total = subtotal + tax));
       CREATE TABLE c (subtotal numeric, total numeric);
       CREATE TABLE d (subtotal text, tax text, total text);`,
    );
    assert.deepEqual(findings, []);
  });
});
