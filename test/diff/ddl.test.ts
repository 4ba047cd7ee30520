/** The pure pieces of diff: definition equality, type change costs, sequence options, index statements. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Index } from '../../src/catalog/types.js';
import { createIndex, sequenceNumber, sequenceOptions, typeChangeCost } from '../../src/diff/ddl.js';
import { sameSql } from '../../src/diff/same-sql.js';
import { ensureParser } from '../../src/sql/parser.js';

describe('diff helpers', () => {
  before(() => ensureParser());

  test('definitions are equal when Postgres would store them the same way', () => {
    // What a CHECK (status IN (...)) on a varchar column prints, and what that text, read again, prints.
    const written = "CHECK (status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[]))";
    const reread = "CHECK (status::text = ANY (ARRAY['a'::character varying::text, 'b'::character varying::text]))";
    assert.ok(sameSql(written, reread, 'constraint'));
    assert.ok(!sameSql(written, "CHECK (status::text = ANY (ARRAY['a'::character varying::text, 'c'::character varying::text]))", 'constraint'));
    // PostgreSQL 15 qualifies the columns of a one-table view, 16 does not; with a join, both do.
    assert.ok(sameSql(' SELECT users.id,\n    users.email\n   FROM users;', ' SELECT id,\n    email\n   FROM users;', 'query'));
    assert.ok(sameSql('SELECT u.id FROM users u WHERE u.active', 'SELECT id FROM users u WHERE active', 'query'));
    assert.ok(!sameSql('SELECT u.id FROM users u JOIN orders o ON o.user_id = u.id', 'SELECT id FROM users u JOIN orders o ON o.user_id = u.id', 'query'));
    assert.ok(!sameSql('SELECT id FROM users', 'SELECT id FROM customers', 'query'));
    assert.ok(sameSql("nextval('s'::regclass)", "nextval('s'::regclass)", 'expression'));
    assert.ok(!sameSql('0', null, 'expression'));
  });

  test('type changes say whether they rewrite the table', () => {
    assert.equal(typeChangeCost('character varying(20)', 'character varying(50)').rewrite, false);
    assert.equal(typeChangeCost('character varying(50)', 'character varying(20)').rewrite, true);
    assert.equal(typeChangeCost('character varying(20)', 'text').rewrite, false);
    assert.equal(typeChangeCost('numeric(10,2)', 'numeric(12,2)').rewrite, false);
    assert.equal(typeChangeCost('numeric(10,2)', 'numeric(12,4)').rewrite, true);
    assert.equal(typeChangeCost('integer', 'bigint').rewrite, true);
    assert.match(typeChangeCost('timestamp without time zone', 'timestamp with time zone').note, /no rewrite when the session TimeZone is UTC/);
  });

  test('sequence options: only what differs from the defaults, bigint bounds exact', () => {
    const base = { dataType: 'bigint', increment: 1, minValue: 1, maxValue: 9223372036854775807, startValue: 1, cache: 1, cycle: false };
    assert.deepEqual(sequenceOptions(base, true), ['AS bigint']);
    assert.deepEqual(sequenceOptions({ ...base, dataType: 'integer', maxValue: 2147483647, startValue: 100, cache: 20 }, false), ['START WITH 100', 'CACHE 20']);
    assert.deepEqual(sequenceOptions({ ...base, increment: -1, minValue: -9223372036854775808, maxValue: -1, startValue: -1 }, false), ['INCREMENT BY -1']);
    assert.equal(sequenceNumber(9223372036854775807), '9223372036854775807');
    assert.equal(sequenceNumber(-9223372036854775808), '-9223372036854775808');
  });

  test('index statements: CONCURRENTLY, a new name, and no ONLY for a partitioned table', () => {
    const index = { definition: 'CREATE UNIQUE INDEX "Orders_key" ON ONLY public.orders USING btree (id, created_at)' } as Index;
    assert.equal(createIndex(index, false), 'CREATE UNIQUE INDEX "Orders_key" ON public.orders USING btree (id, created_at);');
    assert.equal(createIndex(index, true, 'orders_key_new'), 'CREATE UNIQUE INDEX CONCURRENTLY orders_key_new ON public.orders USING btree (id, created_at);');
  });
});
