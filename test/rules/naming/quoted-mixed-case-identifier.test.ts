import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/naming/quoted-mixed-case-identifier.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('quoted-mixed-case-identifier', () => {
  test('fires on a mixed-case table and column, and the renames apply and remove them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE "OrderItems" (id bigint PRIMARY KEY, "createdAt" timestamptz, "first name" text);
       INSERT INTO "OrderItems" VALUES (1, now(), 'Ada');`,
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [
        { type: 'table', schema: 'public', name: 'OrderItems' },
        { type: 'constraint', schema: 'public', table: 'OrderItems', name: 'OrderItems_pkey' },
        { type: 'column', schema: 'public', table: 'OrderItems', name: 'createdAt', column: 'createdAt' },
        { type: 'column', schema: 'public', table: 'OrderItems', name: 'first name', column: 'first name' },
      ],
    );
    assert.match(findings[0]!.message, /Table public\.OrderItems must be quoted in every query \(upper case letters\)/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public."OrderItems" RENAME TO order_items;');
    // The generated key name carries the quoted table name along.
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE public.order_items RENAME CONSTRAINT "OrderItems_pkey" TO order_items_pkey;');
    assert.equal(findings[2]!.fix!.sql, 'ALTER TABLE public.order_items RENAME COLUMN "createdAt" TO created_at;');
    assert.equal(findings[3]!.fix!.sql, 'ALTER TABLE public.order_items RENAME COLUMN "first name" TO first_name;');
    assert.equal(findings[0]!.fix!.safeOnline, true);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('covers schemas, views, sequences, indexes, constraints and functions, and all fixes apply', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE SCHEMA "Sales";
       CREATE TABLE "Sales".orders (id int CONSTRAINT "OrdersPK" PRIMARY KEY, "Order" int, CONSTRAINT "PositiveOrder" CHECK ("Order" > 0));
       CREATE INDEX "OrdersByOrder" ON "Sales".orders ("Order");
       CREATE SEQUENCE "Sales"."InvoiceNumbers";
       CREATE VIEW "Sales"."OpenOrders" AS SELECT id FROM "Sales".orders;
       CREATE FUNCTION "Sales"."GetOrder"(p_id int) RETURNS int LANGUAGE sql AS 'SELECT p_id';`,
    );
    assert.deepEqual(
      findings.map((f) => `${f.object.type} ${f.object.name}`),
      [
        'schema Sales',
        'function GetOrder',
        'sequence InvoiceNumbers',
        'view OpenOrders',
        'column Order',
        'index OrdersByOrder',
        'constraint OrdersPK',
        'constraint PositiveOrder',
      ],
    );
    const column = findings.find((f) => f.object.name === 'Order')!;
    // "Order" folds to a reserved word: the suggestion avoids it.
    assert.equal(column.fix!.sql, 'ALTER TABLE sales.orders RENAME COLUMN "Order" TO sort_order;');
    assert.equal(findings.find((f) => f.object.name === 'GetOrder')!.fix!.sql, 'ALTER FUNCTION sales."GetOrder"(p_id integer) RENAME TO get_order;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('gives no fix when the snake_case name is taken', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE t ("userId" int, user_id int);');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.fix, null);
    assert.equal(findings[0]!.evidence.suggestedNameTaken, true);
  });

  test('does not fire on snake_case or non-ASCII lower case names', async () => {
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE order_items (id int, created_at timestamptz, "café" text);'), []);
  });

  test('reports a partitioned table\'s column once, not again for each partition', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE events ("At" date) PARTITION BY RANGE ("At");
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`,
    );
    assert.deepEqual(findings.map((f) => `${f.object.table}.${f.object.name}`), ['events.At']);
  });
});
