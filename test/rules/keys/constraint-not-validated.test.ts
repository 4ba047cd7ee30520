import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/keys/constraint-not-validated.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('constraint-not-validated', () => {
  test('fires on a NOT VALID foreign key and CHECK, and VALIDATE removes them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE customers (id bigint PRIMARY KEY);
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total numeric);
       ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers NOT VALID;
       ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0) NOT VALID;`,
    );
    assert.deepEqual(findings.map((f) => f.object.name), ['orders_customer_fk', 'orders_total_check']);
    assert.deepEqual(findings[0]!.object, { type: 'constraint', schema: 'public', table: 'orders', name: 'orders_customer_fk' });
    assert.match(findings[0]!.message, /foreign key public\.orders\.orders_customer_fk was added NOT VALID/);
    assert.match(findings[1]!.message, /CHECK constraint public\.orders\.orders_total_check/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_customer_fk;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('reports a partitioned table once, not per partition', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE events (at date NOT NULL, amount int) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       ALTER TABLE events ADD CONSTRAINT events_amount_check CHECK (amount > 0) NOT VALID;`,
    );
    assert.deepEqual(findings.map((f) => `${f.object.table}.${f.object.name}`), ['events.events_amount_check']);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on validated constraints, nor on NOT ENFORCED ones', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE customers (id bigint PRIMARY KEY);
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric CHECK (total >= 0),
                            discount numeric CONSTRAINT orders_discount_check CHECK (discount < 1) NOT ENFORCED);
       ALTER TABLE orders ADD CONSTRAINT orders_id_check CHECK (id > 0) NOT VALID;
       ALTER TABLE orders VALIDATE CONSTRAINT orders_id_check;`,
    );
    assert.deepEqual(findings, []);
  });
});
