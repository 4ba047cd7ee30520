import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readSnapshot } from '../../src/catalog/read-snapshot.js';
import { CATALOG_DDL as DDL, schemaPart } from '../support/catalog-fixture.js';
import { snapshotOf, sharedEmbedded } from '../support/embedded.js';
import { liveDatabase } from '../support/live.js';

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
    // What `diff` needs to write DDL: full definitions, types, comments, view dependencies.
    assert.equal(snapshot.columns.find((c) => c.table === 'users' && c.name === 'full_name')!.generationExpression, "(name || '!'::text)");
    const touch = snapshot.functions.find((f) => f.name === 'touch')!;
    assert.match(touch.definition ?? '', /^CREATE OR REPLACE FUNCTION shop\.touch\(\)\n RETURNS trigger/);
    assert.equal(touch.argumentTypes, '');
    assert.equal(touch.comment, 'does nothing');
    assert.deepEqual(snapshot.types.find((t) => t.name === 'status')!.labels, ['new', 'paid', 'shipped']);
    const positive = snapshot.types.find((t) => t.name === 'positive')!;
    assert.deepEqual([positive.kind, positive.baseType, positive.notNull, positive.default], ['domain', 'integer', true, '1']);
    assert.deepEqual(positive.constraints, [{ name: 'positive_check', definition: 'CHECK (VALUE > 0)', validated: true }]);
    assert.deepEqual(snapshot.types.find((t) => t.name === 'amount')!.attributes, [
      { name: 'value', type: 'numeric(12,2)' },
      { name: 'currency', type: 'character(3)' },
    ]);
    const paid = snapshot.views.find((v) => v.name === 'paid')!;
    assert.deepEqual(paid.options, ['check_option=local']);
    assert.equal(paid.comment, 'payments done');
    assert.deepEqual(
      paid.dependsOn.map((d) => [d.kind, d.name, d.column]),
      [
        ['relation', 'payments', 'id'],
        ['relation', 'payments', 'status'],
        ['type', 'status', null],
      ],
    );
    assert.equal(snapshot.indexes.find((i) => i.name === 'orders_user_idx')!.comment, 'orders of a user');
    assert.equal(snapshot.constraints.find((c) => c.name === 'legacy_note_check')!.comment, 'not blank');
    assert.equal(snapshot.sequences.find((s) => s.name === 'counter')!.comment, 'a counter');
    assert.equal(snapshot.sequences.find((s) => s.name === 'counter')!.cache, 1);
    assert.equal(snapshot.triggers.find((t) => t.name === 'users_touch')!.comment, 'touches');
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
