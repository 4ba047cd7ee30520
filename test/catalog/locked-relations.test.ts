import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { liveDatabase } from '../support/live.js';
import { runCli } from '../support/run-cli.js';
import type { ReviewResult } from '../../src/result.js';

/** A session of its own; `send` does not wait for the statement (it may be blocked on purpose). */
async function session(url: string): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { client, pid: rows[0]!.pid };
}

async function waitUntilWaiting(admin: pg.Client, pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [pid]);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`session ${pid} never started waiting for its lock`);
}

describe('relations locked by other sessions', () => {
  test('the snapshot leaves out what is locked ACCESS EXCLUSIVE (held or requested), with what depends on it, instead of waiting', async (t) => {
    const live = await liveDatabase(
      t,
      `CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, total numeric CHECK (total >= 0),
                            status text DEFAULT 'new', created_at timestamptz DEFAULT now());
       CREATE INDEX orders_lower_status ON orders (lower(status)) WHERE total > 0;
       CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
       CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW WHEN (OLD.total IS DISTINCT FROM NEW.total) EXECUTE FUNCTION touch();
       ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
       CREATE POLICY orders_positive ON orders USING (total > 0);
       CREATE VIEW order_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
       CREATE VIEW customer_emails AS SELECT email FROM customers;
       CREATE TABLE events (id bigint, at date NOT NULL, CHECK (id > 0)) PARTITION BY RANGE (at);
       CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
       CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders, qty int CHECK (qty > 0));
       CREATE INDEX items_order ON items (order_id);`,
    );
    if (!live) return;
    const holder = await session(live.url);
    const reader = await session(live.url);
    const waiter = await session(live.url);
    const observer = await session(live.url);
    try {
      // A migration holding its lock on orders and events; and on items, one waiting behind a reader.
      await holder.client.query('BEGIN; LOCK TABLE orders, ONLY events IN ACCESS EXCLUSIVE MODE');
      await reader.client.query('BEGIN; SELECT count(*) FROM items');
      const waiting = waiter.client.query('BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE').catch(() => undefined);
      await waitUntilWaiting(observer.client, waiter.pid);

      const snapshot = await live.snapshot();
      const tables = snapshot.tables.map((x) => x.name).sort();
      assert.deepEqual(tables, ['customers']);
      assert.deepEqual(snapshot.views.map((v) => v.name), ['customer_emails']);
      assert.deepEqual([...new Set(snapshot.columns.map((c) => c.table))].sort(), ['customer_emails', 'customers']);
      assert.deepEqual(snapshot.indexes.map((i) => i.name), ['customers_pkey']);
      assert.deepEqual(snapshot.triggers, []);
      assert.deepEqual(snapshot.policies, []);
      const left = snapshot.visibility.notExamined ?? [];
      assert.deepEqual(left.map((n) => `${n.kind} ${n.name}`).sort(), [
        'partitioned table events',
        'table events_2024',
        'table items',
        'table orders',
        'view order_totals',
      ]);
      const byName = new Map(left.map((n) => [n.name, n]));
      assert.match(byName.get('orders')!.reason, new RegExp(`^pid ${holder.pid} holds an ACCESS EXCLUSIVE lock on it, in a transaction open for \\d+ s$`));
      assert.equal(byName.get('items')!.lockHolderPid, waiter.pid);
      assert.match(byName.get('items')!.reason, /is waiting for an ACCESS EXCLUSIVE lock on it, and reading it would queue behind that request/);
      assert.match(byName.get('order_totals')!.reason, /^it reads public\.orders, and pid \d+ holds an ACCESS EXCLUSIVE lock on public\.orders/);
      assert.match(byName.get('events_2024')!.reason, /^it is a partition of public\.events, left out because pid \d+ holds/);
      assert.ok(snapshot.visibility.notes.some((n) => n.startsWith('public.orders was not examined: pid')));

      // The review says so, and still reviews the rest.
      const run = await runCli(['review', live.url, '-f', 'json']);
      assert.notEqual(run.code, 2, run.stderr);
      const result = JSON.parse(run.stdout) as ReviewResult;
      assert.ok(result.notices.some((n) => n.kind === 'visibility' && n.message.startsWith('public.items was not examined')));
      assert.ok(result.findings.every((f) => !['orders', 'items', 'events'].includes(f.object.name)));

      // The migration's lock and the queued request were left as they were: nothing queued behind pgarchitect.
      const { rows } = await observer.client.query<{ pid: number; granted: boolean }>(
        "SELECT pid, granted FROM pg_locks WHERE locktype = 'relation' AND mode = 'AccessExclusiveLock' AND relation = 'items'::regclass",
      );
      assert.deepEqual(rows, [{ pid: waiter.pid, granted: false }]);
      await reader.client.query('COMMIT');
      await waiting;
    } finally {
      for (const s of [holder, reader, waiter, observer]) await s.client.end().catch(() => undefined);
    }
  });

  test('with nothing locked, nothing is left out', async (t) => {
    const live = await liveDatabase(t, 'CREATE TABLE a (id int PRIMARY KEY); CREATE VIEW v AS SELECT * FROM a;');
    if (!live) return;
    const snapshot = await live.snapshot();
    assert.deepEqual(snapshot.visibility.notExamined, []);
    assert.deepEqual(snapshot.tables.map((x) => x.name), ['a']);
    assert.deepEqual(snapshot.views.map((x) => x.name), ['v']);
  });
});
