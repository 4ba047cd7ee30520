import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/keys/fk-type-mismatch.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('fk-type-mismatch', () => {
  test('fires on an integer column referencing a bigint key, and changing its type removes it', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE customers (id bigint PRIMARY KEY);
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer REFERENCES customers);`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'constraint', schema: 'public', table: 'orders', name: 'orders_customer_id_fkey' });
    assert.match(findings[0]!.message, /public\.orders\.orders_customer_id_fkey compares customer_id \(integer\) with public\.customers\.id \(bigint\)/);
    assert.match(findings[0]!.message, /cannot hold every referenced key/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public.orders ALTER COLUMN customer_id TYPE bigint USING customer_id::bigint;');
    assert.equal(findings[0]!.fix!.safeOnline, false);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('fires on varchar referencing text, and on a wider integer referencing a narrower key', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE countries (code text PRIMARY KEY);
       CREATE TABLE plans (id integer PRIMARY KEY);
       CREATE TABLE accounts (id bigint PRIMARY KEY, country varchar(50) REFERENCES countries, plan_id bigint REFERENCES plans);`,
    );
    assert.deepEqual(
      findings.map((f) => f.object.name),
      ['accounts_country_fkey', 'accounts_plan_id_fkey'],
    );
    assert.match(findings[0]!.message, /country \(character varying\(50\)\) with public\.countries\.code \(text\)/);
    assert.match(findings[1]!.fix!.note!, /widening it to bigint/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on matching types, nor on a domain over the referenced type', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE DOMAIN customer_ref AS bigint;
       CREATE TABLE customers (id bigint PRIMARY KEY);
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, payer customer_ref REFERENCES customers);`,
    );
    assert.deepEqual(findings, []);
  });
});
