import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/add-foreign-key-validating.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';
import { GB, sizedSnapshotOf } from '../../support/migration.js';

const SCHEMA = `CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE shops (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
INSERT INTO users VALUES (1); INSERT INTO orders VALUES (10, 1);`;

describe('add-foreign-key-validating', () => {
  test('fires on ADD FOREIGN KEY without NOT VALID; the fix adds it NOT VALID, then validates, on PostgreSQL', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^Foreign key orders_user_id_fkey is checked against every existing row of orders as it is added, holding SHARE ROW EXCLUSIVE locks on orders and users, which block writes \(reads go on\) on both/);
    assert.equal(f!.evidence.lock, 'SHARE ROW EXCLUSIVE');
    assert.equal(f!.evidence.referencedTable, 'users');
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 24 });
    assert.equal(
      f!.fix!.sql,
      'ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_id_fkey;',
    );
    await assertParses(f!.fix!.sql);
    const db = await useSchema(SCHEMA);
    await execStatements(db, f!.fix!.sql);
    const [fk] = await db.query<{ convalidated: boolean }>("SELECT convalidated FROM pg_constraint WHERE conname = 'orders_user_id_fkey'");
    assert.equal(fk!.convalidated, true);
  });

  test('a foreign key on a new column: the column first, then the key NOT VALID and VALIDATE', async () => {
    const [f] = await lintWith(rule, 'ALTER TABLE orders ADD COLUMN shop_id bigint REFERENCES shops (id) ON DELETE SET NULL;');
    assert.match(f!.message, /^Foreign key orders_shop_id_fkey with new column shop_id .* holding an ACCESS EXCLUSIVE lock on orders, which blocks reads and writes, and a SHARE ROW EXCLUSIVE lock on shops/);
    assert.equal(
      f!.fix!.sql,
      [
        'ALTER TABLE orders ADD COLUMN shop_id bigint;',
        'ALTER TABLE orders ADD CONSTRAINT orders_shop_id_fkey FOREIGN KEY (shop_id) REFERENCES shops (id) ON DELETE SET NULL NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_shop_id_fkey;',
      ].join('\n'),
    );
    const db = await useSchema(SCHEMA);
    await execStatements(db, f!.fix!.sql);
  });

  test('near misses: NOT VALID, a table created earlier in the file, CREATE TABLE with REFERENCES, VALIDATE CONSTRAINT', async () => {
    const sql = `ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT fk;
CREATE TABLE lines (id bigint, order_id bigint REFERENCES orders);
ALTER TABLE lines ADD FOREIGN KEY (order_id) REFERENCES orders;`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('size: a large table is an error with the scan estimate', async () => {
    const schema = await sizedSnapshotOf(SCHEMA, { orders: { tableBytes: 30 * GB, rows: 200_000_000 } });
    const [f] = await lintWith(rule, 'ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users;', { schema });
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /as it is added \(here it scans 200 million rows \(30 GB\)\)/);
  });

  test('a partitioned table before PostgreSQL 18: each partition NOT VALID and validated, then the parent adopts them', async () => {
    const schema = await snapshotOf(`CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE events (user_id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');`);
    schema.server.versionNum = 170004; // our snapshot model's server version: the advice for PostgreSQL 17
    const [f] = await lintWith(rule, 'ALTER TABLE events ADD CONSTRAINT events_user_fk FOREIGN KEY (user_id) REFERENCES users;', { schema });
    assert.equal(
      f!.fix!.sql,
      [
        'ALTER TABLE public.events_2024 ADD CONSTRAINT events_user_fk FOREIGN KEY (user_id) REFERENCES users NOT VALID;',
        'ALTER TABLE public.events_2024 VALIDATE CONSTRAINT events_user_fk;',
        'ALTER TABLE events ADD CONSTRAINT events_user_fk FOREIGN KEY (user_id) REFERENCES users;',
      ].join('\n'),
    );
    assert.match(f!.fix!.note!, /Before PostgreSQL 18 a partitioned table refuses NOT VALID foreign keys/);
    await assertParses(f!.fix!.sql);
  });
});
