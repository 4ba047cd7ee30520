import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/drop-index-non-concurrently.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';

describe('drop-index-non-concurrently', () => {
  test('fires on DROP INDEX; the fix drops each index CONCURRENTLY, and works', async () => {
    const schema = await snapshotOf('CREATE TABLE orders (id int, ref text, at date); CREATE INDEX orders_ref_idx ON orders (ref); CREATE INDEX orders_at_idx ON orders (at);');
    const findings = await lintWith(rule, 'DROP INDEX IF EXISTS orders_ref_idx, public.orders_at_idx;', { schema });
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.match(f!.message, /^DROP INDEX orders_ref_idx, public\.orders_at_idx \(on public\.orders\) takes an ACCESS EXCLUSIVE lock on the index's table, which blocks reads and writes/);
    assert.match(f!.message, /Use DROP INDEX CONCURRENTLY, one index per statement\.$/);
    assert.equal(f!.evidence.lock, 'ACCESS EXCLUSIVE');
    assert.deepEqual(f!.object, { type: 'index', schema: 'public', table: 'orders', name: 'orders_ref_idx' });
    assert.equal(f!.fix!.sql, 'DROP INDEX CONCURRENTLY IF EXISTS orders_ref_idx;\nDROP INDEX CONCURRENTLY IF EXISTS public.orders_at_idx;');
    await assertParses(f!.fix!.sql);
    const db = await useSchema('CREATE TABLE orders (id int, ref text, at date); CREATE INDEX orders_ref_idx ON orders (ref); CREATE INDEX orders_at_idx ON orders (at);');
    await execStatements(db, f!.fix!.sql);
    assert.deepEqual(await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'orders'"), []);
  });

  test('near misses: CONCURRENTLY, an index created earlier in the file, DROP TABLE', async () => {
    const sql = 'DROP INDEX CONCURRENTLY orders_ref_idx;\nCREATE INDEX tmp_idx ON orders (ref);\nDROP INDEX tmp_idx;\nDROP TABLE orders;';
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('CASCADE gets no fix (CONCURRENTLY refuses it); a partitioned index is told to use lock_timeout', async () => {
    const [cascade] = await lintWith(rule, 'DROP INDEX orders_ref_idx CASCADE;');
    assert.equal(cascade!.fix, null);
    assert.match(cascade!.message, /without CASCADE \(it refuses it\)/);
    const schema = await snapshotOf(`CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_at_idx ON events (at);`);
    const [partitioned] = await lintWith(rule, 'DROP INDEX events_at_idx;', { schema });
    assert.equal(partitioned!.severity, 'info');
    assert.match(partitioned!.message, /events_at_idx is a partitioned index, which DROP INDEX CONCURRENTLY refuses: set a short lock_timeout/);
    assert.equal(partitioned!.fix, null);
  });
});
