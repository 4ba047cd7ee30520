import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CatalogSnapshot } from '../../src/catalog/types.js';
import { readSnapshot } from '../../src/catalog/read-snapshot.js';
import { snapshotOf, sharedEmbedded } from '../support/embedded.js';
import { liveDatabase } from '../support/live.js';

const DDL = `
CREATE SCHEMA shop;
CREATE TABLE shop.users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255) NOT NULL UNIQUE,
  name text COLLATE "C",
  price numeric(10,2) DEFAULT 0 CHECK (price >= 0),
  tags text[],
  created_at timestamptz NOT NULL DEFAULT now(),
  full_name text GENERATED ALWAYS AS (name || '!') STORED
);
CREATE TABLE shop.orders (
  id bigint NOT NULL,
  user_id bigint NOT NULL,
  created_at date NOT NULL,
  PRIMARY KEY (id, created_at),
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES shop.users (id) ON DELETE CASCADE
) PARTITION BY RANGE (created_at);
CREATE TABLE shop.orders_2026_01 PARTITION OF shop.orders FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE shop.orders_default PARTITION OF shop.orders DEFAULT;
CREATE INDEX orders_user_idx ON shop.orders (user_id DESC NULLS LAST) INCLUDE (created_at);
CREATE INDEX users_lower_email ON shop.users (lower(email)) WHERE created_at > '2020-01-01';
CREATE SEQUENCE shop.counter AS integer;
CREATE TABLE shop.legacy (id serial PRIMARY KEY, note char(10));
ALTER TABLE shop.legacy ADD CONSTRAINT legacy_note_check CHECK (note <> '') NOT VALID;
CREATE VIEW shop.active_users AS SELECT id, email FROM shop.users;
CREATE MATERIALIZED VIEW shop.user_counts AS SELECT count(*) AS n FROM shop.users;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON shop.users FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON shop.users USING (email = current_user);
GRANT SELECT ON shop.active_users TO PUBLIC;
`;

/** The schema part of a snapshot: what must be identical on every engine and version. */
function schemaPart(s: CatalogSnapshot) {
  return {
    schemas: s.schemas.map(({ name }) => name),
    tables: s.tables.map(({ totalBytes, tableBytes, rowEstimate, stats, owner, ...t }) => t),
    columns: s.columns.map(({ stats, ...c }) => c),
    constraints: s.constraints,
    indexes: s.indexes.map(({ bytes, stats, ...i }) => i),
    sequences: s.sequences.map(({ lastValue, ...q }) => q),
    // View text is Postgres's own deparse, which changed in 16 (no `users.` column prefixes).
    views: s.views.map(({ bytes, owner, definition, ...v }) => v),
    functions: s.functions.map(({ owner, ...f }) => f),
    triggers: s.triggers,
    policies: s.policies,
    privileges: s.privileges.filter((p) => p.grantee === 'PUBLIC' && p.objectType === 'table'),
  };
}

describe('catalog snapshot', () => {
  test('reads every kind of object in a fixed number of queries', async () => {
    const db = await sharedEmbedded();
    await snapshotOf(DDL);
    const { snapshot, queryCount } = await readSnapshot(db, { source: 'files', description: 'test' });
    assert.ok(queryCount <= 20, `${queryCount} queries`);
    const orders = snapshot.tables.find((t) => t.name === 'orders')!;
    assert.equal(orders.kind, 'partitioned table');
    assert.equal(orders.partitionStrategy, 'range');
    assert.deepEqual(orders.partitionKeyColumns, ['created_at']);
    const january = snapshot.tables.find((t) => t.name === 'orders_2026_01')!;
    assert.deepEqual(january.parent, { schema: 'shop', name: 'orders' });
    assert.deepEqual(january.partitionRange, { from: ['2026-01-01'], to: ['2026-02-01'] });
    assert.equal(snapshot.tables.find((t) => t.name === 'orders_default')!.isDefaultPartition, true);
    const index = snapshot.indexes.find((i) => i.name === 'orders_user_idx')!;
    assert.deepEqual(index.keyColumns, ['user_id']);
    assert.deepEqual(index.includeColumns, ['created_at']);
    assert.deepEqual(index.keyOptions, [{ desc: true, nullsFirst: false }]);
    const expression = snapshot.indexes.find((i) => i.name === 'users_lower_email')!;
    assert.deepEqual(expression.keyColumns, [null]);
    assert.deepEqual(expression.keys, ['lower(email::text)']);
    assert.match(expression.predicate ?? '', /created_at > /);
    const fk = snapshot.constraints.find((c) => c.name === 'orders_user_fk')!;
    assert.deepEqual(fk.references, { schema: 'shop', table: 'users', columns: ['id'], onUpdate: 'no action', onDelete: 'cascade', matchType: 'simple' });
    assert.equal(snapshot.constraints.find((c) => c.name === 'legacy_note_check')!.validated, false);
    const id = snapshot.columns.find((c) => c.table === 'users' && c.name === 'id')!;
    assert.equal(id.identity, 'always');
    assert.equal(snapshot.columns.find((c) => c.table === 'users' && c.name === 'full_name')!.generated, 'stored');
    assert.equal(snapshot.columns.find((c) => c.table === 'legacy' && c.name === 'id')!.ownedSequence, 'shop.legacy_id_seq');
    assert.equal(snapshot.columns.find((c) => c.table === 'users' && c.name === 'tags')!.isArray, true);
    assert.equal(snapshot.sequences.find((s) => s.name === 'counter')!.dataType, 'integer');
    assert.ok(snapshot.views.some((v) => v.name === 'user_counts' && v.materialized));
    assert.deepEqual(snapshot.functions.find((f) => f.name === 'touch')!.config, ['search_path=pg_catalog']);
    assert.equal(snapshot.tables.find((t) => t.name === 'users')!.rowSecurity, true);
    assert.equal(snapshot.policies[0]!.name, 'users_self');
    assert.ok(snapshot.privileges.some((p) => p.name === 'active_users' && p.grantee === 'PUBLIC' && p.privilege === 'SELECT'));
    assert.ok(snapshot.extensions.some((e) => e.name === 'plpgsql' && e.installedVersion));
  });

  test('a live PostgreSQL server and embedded PostgreSQL 18 give the same schema model', async (t) => {
    const live = await liveDatabase(t, DDL);
    if (!live) return;
    const fromServer = await live.snapshot();
    const fromFiles = await snapshotOf(DDL);
    assert.equal(fromServer.source.kind, 'live');
    assert.deepEqual(schemaPart(fromServer), schemaPart(fromFiles));
  });

  test('JSON round trip keeps the snapshot whole', async () => {
    const snapshot = await snapshotOf(DDL);
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });
});
