import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/keys/missing-foreign-key.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('missing-foreign-key', () => {
  test('fires on <name>_id columns matching a table (singular or plural), and the NOT VALID + VALIDATE fix removes them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE users (id bigint PRIMARY KEY);
       CREATE TABLE categories (id integer PRIMARY KEY);
       CREATE TABLE address (id bigint PRIMARY KEY);
       CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, category_id bigint, address_id bigint);
       CREATE TABLE user_profiles (user_id bigint PRIMARY KEY, bio text);`,
    );
    assert.deepEqual(
      findings.map((f) => `${f.object.table}.${f.object.name} -> ${f.evidence.referencedTable}`),
      ['orders.address_id -> public.address', 'orders.category_id -> public.categories', 'orders.user_id -> public.users', 'user_profiles.user_id -> public.users'],
    );
    const userId = findings.find((f) => f.object.table === 'orders' && f.object.name === 'user_id')!;
    assert.deepEqual(userId.object, { type: 'column', schema: 'public', table: 'orders', name: 'user_id', column: 'user_id' });
    assert.match(userId.message, /public\.orders\.user_id looks like a reference to public\.users\.id but has no foreign key/);
    assert.equal(
      userId.fix!.sql,
      'ALTER TABLE public.orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users (id) NOT VALID;\n' +
        'ALTER TABLE public.orders VALIDATE CONSTRAINT orders_user_id_fkey;',
    );
    assert.equal(userId.fix!.safeOnline, true);
    assert.match(userId.fix!.note!, /make it fail/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('fires on parent_id, the usual self-reference of a tree, and the fix removes it', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE categories (id integer PRIMARY KEY, parent_id integer, name text);');
    assert.deepEqual(findings.map((f) => `${f.object.table}.${f.object.name} -> ${f.evidence.referencedTable}.${f.evidence.referencedColumn}`), [
      'categories.parent_id -> public.categories.id',
    ]);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on polymorphic pairs, own keys, incompatible types, existing foreign keys or unknown tables', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE users (user_id bigint PRIMARY KEY, account_id uuid);
       CREATE TABLE accounts (id bigint PRIMARY KEY);
       CREATE TABLE comments (id bigint PRIMARY KEY, commentable_id bigint, commentable_type text,
                              user_id bigint REFERENCES users, external_id text);
       CREATE TABLE commentables (id bigint PRIMARY KEY);`,
    );
    assert.deepEqual(findings, []);
  });

  test('fires on a partitioned table too, keeping the NOT VALID form on PostgreSQL 18', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE devices (id integer PRIMARY KEY);
       CREATE TABLE readings (at date NOT NULL, device_id integer) PARTITION BY RANGE (at);
       CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`,
    );
    assert.deepEqual(findings.map((f) => `${f.object.table}.${f.object.name}`), ['readings.device_id']);
    assert.match(findings[0]!.fix!.sql, /NOT VALID;/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });
});
