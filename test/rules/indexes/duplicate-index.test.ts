import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import duplicateIndex from '../../../src/rules/indexes/duplicate-index.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('duplicate-index', () => {
  test('fires on the second of two identical indexes, and dropping it removes the finding', async () => {
    const findings = await findingsFor(
      duplicateIndex,
      `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, placed_at timestamptz);
       CREATE INDEX orders_customer_a ON orders (customer_id, placed_at DESC) WHERE customer_id IS NOT NULL;
       CREATE INDEX orders_customer_b ON orders (customer_id, placed_at DESC) WHERE customer_id IS NOT NULL;`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'index', schema: 'public', table: 'orders', name: 'orders_customer_b' });
    assert.match(findings[0]!.message, /public\.orders\.orders_customer_b duplicates orders_customer_a/);
    assert.equal(findings[0]!.evidence.keptIndex, 'orders_customer_a');
    assert.deepEqual(findings[0]!.fix, { sql: 'DROP INDEX CONCURRENTLY public.orders_customer_b;', safeOnline: true });
    assert.deepEqual(await findingsAfterFixes(duplicateIndex, findings), []);
  });

  test('keeps the unique index and reports the plain one', async () => {
    const findings = await findingsFor(
      duplicateIndex,
      `CREATE TABLE users (id bigint, email text);
       CREATE INDEX a_users_email ON users (lower(email));
       CREATE UNIQUE INDEX z_users_email ON users (lower(email));`,
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.object.name, 'a_users_email');
    assert.deepEqual(await findingsAfterFixes(duplicateIndex, findings), []);
  });

  test('two constraints on the same columns: reported without a fix', async () => {
    const findings = await findingsFor(
      duplicateIndex,
      `CREATE TABLE country (code text PRIMARY KEY);
       ALTER TABLE country ADD CONSTRAINT country_code_key UNIQUE (code);`,
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.object.name, 'country_code_key');
    assert.match(findings[0]!.message, /constraints country_code_key and country_pkey enforce the same thing twice/);
    assert.equal(findings[0]!.fix, null);
  });

  test('reports a duplicate on a partitioned table once, with a plain DROP INDEX', async () => {
    const findings = await findingsFor(
      duplicateIndex,
      `CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE INDEX events_at_1 ON events (at);
       CREATE INDEX events_at_2 ON events (at);`,
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.object.name, 'events_at_2');
    assert.equal(findings[0]!.fix!.sql, 'DROP INDEX public.events_at_2;');
    assert.equal(findings[0]!.fix!.safeOnline, false);
    assert.deepEqual(await findingsAfterFixes(duplicateIndex, findings), []);
  });

  test('does not fire when order, operator class, collation, INCLUDE, predicate or method differ', async () => {
    const findings = await findingsFor(
      duplicateIndex,
      `CREATE TABLE t (a text, b int, c int);
       CREATE INDEX t1 ON t (a);
       CREATE INDEX t2 ON t (a DESC);
       CREATE INDEX t3 ON t (a text_pattern_ops);
       CREATE INDEX t4 ON t (a COLLATE "C");
       CREATE INDEX t5 ON t (a) INCLUDE (b);
       CREATE INDEX t6 ON t (a) WHERE b > 0;
       CREATE INDEX t7 ON t USING hash (a);
       CREATE INDEX t8 ON t (a, b);`,
    );
    assert.deepEqual(findings, []);
  });

  test('leaves a plain twin of a primary key to index-duplicates-constraint', async () => {
    assert.deepEqual(await findingsFor(duplicateIndex, 'CREATE TABLE t (id int PRIMARY KEY); CREATE INDEX t_id ON t (id);'), []);
  });
});
