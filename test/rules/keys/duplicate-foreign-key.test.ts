import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/keys/duplicate-foreign-key.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('duplicate-foreign-key', () => {
  test('fires once per redundant constraint, keeps the validated one, and dropping removes the findings', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE customers (id bigint PRIMARY KEY);
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
       ALTER TABLE orders ADD CONSTRAINT a_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
       ALTER TABLE orders ADD CONSTRAINT b_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
       ALTER TABLE orders ADD CONSTRAINT c_customer_fk FOREIGN KEY (customer_id) REFERENCES customers;`,
    );
    assert.deepEqual(
      findings.map((f) => f.object.name),
      ['a_customer_fk', 'c_customer_fk'],
    );
    assert.deepEqual(findings[0]!.object, { type: 'constraint', schema: 'public', table: 'orders', name: 'a_customer_fk' });
    assert.match(findings[0]!.message, /public\.orders\.a_customer_fk repeats b_customer_fk/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public.orders DROP CONSTRAINT a_customer_fk;');
    assert.match(findings[1]!.fix!.note!, /ON DELETE cascade vs no action/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('treats the same column pairs in another order as the same reference', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE parts (maker int, code int, PRIMARY KEY (maker, code));
       CREATE TABLE stock (maker int, code int,
                           CONSTRAINT stock_part_fkey FOREIGN KEY (maker, code) REFERENCES parts (maker, code),
                           CONSTRAINT stock_part_fkey2 FOREIGN KEY (code, maker) REFERENCES parts (code, maker));`,
    );
    assert.deepEqual(findings.map((f) => f.object.name), ['stock_part_fkey2']);
  });

  test('does not fire on keys to different tables or columns', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE);
       CREATE TABLE messages (id bigint PRIMARY KEY, sender_id bigint REFERENCES users, recipient_id bigint REFERENCES users,
                              sender_email text REFERENCES users (email));`,
    );
    assert.deepEqual(findings, []);
  });
});
