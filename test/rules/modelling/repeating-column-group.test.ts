import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/modelling/repeating-column-group.js';
import { findingsFor } from '../../support/embedded.js';

describe('repeating-column-group', () => {
  test('fires on numbered columns and suggests a child table keyed by the parent', async () => {
    const findings = await findingsFor(
      rule,
      'CREATE TABLE customers (id bigint PRIMARY KEY, phone1 text, phone2 text, phone3 text, tag_1 text, tag_2 text);',
    );
    assert.equal(findings.length, 2);
    const phones = findings.find((f) => f.evidence.stem === 'phone')!;
    assert.deepEqual(phones.object, { type: 'table', schema: 'public', name: 'customers' });
    assert.match(phones.message, /public\.customers stores one attribute in 3 numbered columns \(phone1, phone2, phone3\)/);
    assert.equal(phones.fix, null);
    assert.match(String(phones.evidence.suggestedDesign), /CREATE TABLE public\.customer_phones \(\n  customer_id bigint NOT NULL,/);
    assert.match(String(phones.evidence.suggestedDesign), /REFERENCES public\.customers \(id\) ON DELETE CASCADE/);
    assert.ok(findings.some((f) => f.evidence.stem === 'tag'));
  });

  test('the suggested child table is valid SQL', async () => {
    const [finding] = await findingsFor(rule, 'CREATE TABLE orders (id int PRIMARY KEY, email text, email2 text, email3 text);');
    assert.deepEqual(finding!.evidence.columns, ['email', 'email2', 'email3']);
    await findingsFor(rule, `CREATE TABLE orders (id int PRIMARY KEY); ${String(finding!.evidence.suggestedDesign)}`);
  });

  test('does not fire on address lines, non-sequences, single letters, mixed types or small groups', async () => {
    const sql = `CREATE TABLE t (
      id int PRIMARY KEY, address_line1 text, address_line2 text, address1 text, address2 text,
      ipv4 inet, ipv6 inet, sha1 bytea, sha256 bytea, x1 int, x2 int, code1 text, code2 int, note1 text)`;
    assert.deepEqual(await findingsFor(rule, sql), []);
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE t (phone1 text, phone2 text)', { minGroupSize: 3 }), []);
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE t (phone1 text, phone2 text)', { allow: ['phone'] }), []);
  });
});
