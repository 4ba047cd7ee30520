/**
 * `partition convert` on the real server: the migration applied to a populated table (identity
 * primary key, a foreign key out, one in, an index, a trigger, a view) while another session inserts,
 * updates and deletes rows, keeps every row (count and checksum against the old table) and gives the
 * same query results; afterwards the identity, the foreign keys and the trigger still work.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveDb } from '../../src/db/live-db.js';
import { partitionConvert } from '../../src/partition/convert.js';
import { splitStatements } from '../../src/sql/split-statements.js';
import { liveDatabase } from '../support/live.js';

const SETUP = `
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
INSERT INTO users (name) SELECT 'user ' || i FROM generate_series(1, 40) i;
CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind <> ''),
  payload jsonb,
  doubled numeric GENERATED ALWAYS AS ((payload ->> 'n')::numeric * 2) STORED
);
CREATE INDEX events_user_created_idx ON events (user_id, created_at DESC);
INSERT INTO events (user_id, created_at, kind, payload)
SELECT 1 + i % 40, now() - make_interval(hours => i * 3), 'kind ' || (i % 7), jsonb_build_object('n', i) FROM generate_series(1, 12000) i;
CREATE TABLE event_tags (id serial PRIMARY KEY, event_id bigint REFERENCES events (id) ON DELETE CASCADE, tag text NOT NULL);
INSERT INTO event_tags (event_id, tag) SELECT id, 'tag ' || (id % 5) FROM events WHERE id % 3 = 0;
INSERT INTO event_tags (event_id, tag) VALUES (NULL, 'untied');
CREATE VIEW recent_events AS SELECT id, kind FROM events WHERE created_at > now() - interval '30 days';
CREATE FUNCTION lower_kind() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.kind := lower(NEW.kind); RETURN NEW; END $$;
CREATE TRIGGER events_lower_kind BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION lower_kind();
ANALYZE;`;

/** Queries whose results must not change; `%t` is the events table. */
const QUERIES = [
  'SELECT count(*), sum(id), max(id), min(created_at), max(created_at) FROM %t',
  'SELECT user_id, count(*), sum(doubled) FROM %t GROUP BY user_id ORDER BY user_id',
  "SELECT e.kind, count(*) FROM %t e JOIN users u ON u.id = e.user_id WHERE e.created_at > now() - interval '90 days' GROUP BY e.kind ORDER BY e.kind",
  'SELECT md5(string_agg(e::text, \',\' ORDER BY e.id)) FROM %t e',
];

describe('partition convert', () => {
  test('the migration keeps every row and query result, with writes going on during the copy', async (t) => {
    const db = await liveDatabase(t, SETUP);
    if (!db) return;
    const result = await partitionConvert({ connection: { url: db.url }, table: { schema: 'public', name: 'events' }, key: 'created_at', interval: { unit: 'month' }, premake: 3, batchSize: 1000 });
    assert.ok(result.partitions.length >= 18, `${result.partitions.length} partitions`);
    assert.match(result.summary.join('\n'), /primary key events_pkey \(id\) becomes \(id, created_at\)/);
    assert.match(result.summary.join('\n'), /foreign key public\.event_tags\.event_tags_event_id_fkey becomes \(event_id, event_created_at\)/);
    assert.doesNotMatch(result.script, /pgarchitect-test-secret/);

    const session = await LiveDb.connect({ url: db.url, readOnly: false, statementTimeoutMs: 0 });
    const writer = await LiveDb.connect({ url: db.url, readOnly: false });
    let writes = 0;
    let writing = true;
    const churn = (async () => {
      while (writing) {
        await writer.exec(`INSERT INTO events (user_id, kind, payload) VALUES (${1 + (writes % 40)}, 'LIVE', '{"n": ${writes}}')`);
        await writer.exec(`UPDATE events SET payload = '{"n": -1}' WHERE id = ${1 + ((writes * 37) % 12000)}`);
        await writer.exec(`DELETE FROM events WHERE id = ${12000 - writes}`);
        writes++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    try {
      for (const statement of await splitStatements(result.script)) {
        // The writes stop before the swap: the old table then holds the final state to compare with.
        if (/^DO \$swap\$/.test(statement.text)) {
          writing = false;
          await churn;
        }
        await session.exec(statement.text);
      }
    } finally {
      writing = false;
      await churn.catch(() => undefined);
      await writer.close();
    }
    assert.ok(writes > 0, 'writes ran during the conversion');

    const [kind] = await db.server.query<{ relkind: string }>(db.url.split('/').pop()!, "SELECT relkind::text FROM pg_class WHERE oid = 'public.events'::regclass");
    assert.equal(kind!.relkind, 'p');
    for (const query of QUERIES) {
      const [before] = await session.query(query.replace('%t', 'events_unpartitioned'));
      const [after] = await session.query(query.replace('%t', 'events'));
      assert.deepEqual(after, before, query);
    }
    const grouped = await session.query(QUERIES[1]!.replace('%t', 'events'));
    assert.equal(grouped.length, 40);
    const [tags] = await session.query<{ n: string; unfilled: string }>('SELECT count(*) AS n, count(*) FILTER (WHERE event_id IS NOT NULL AND event_created_at IS NULL) AS unfilled FROM event_tags');
    assert.equal(tags!.unfilled, '0');

    // The identity continues, the trigger and the view follow the new table, the foreign keys hold.
    const [max] = await session.query<{ id: string }>('SELECT max(id) AS id FROM events_unpartitioned');
    const [inserted] = await session.query<{ id: string; kind: string }>("INSERT INTO events (user_id, kind) VALUES (1, 'AFTER') RETURNING id, kind");
    assert.ok(BigInt(inserted!.id) > BigInt(max!.id));
    assert.equal(inserted!.kind, 'after');
    const [view] = await session.query<{ n: string }>('SELECT count(*) AS n FROM recent_events WHERE id = $1', [inserted!.id]);
    assert.equal(view!.n, '1');
    await session.exec(`INSERT INTO event_tags (event_id, tag) VALUES (${inserted!.id}, 'new')`);
    await assert.rejects(session.exec("INSERT INTO event_tags (event_id, tag) VALUES (-1, 'dangling')"), /violates foreign key constraint/);
    await assert.rejects(session.exec('INSERT INTO events (user_id, kind) VALUES (-1, \'x\')'), /violates foreign key constraint/);
    await session.exec(`DELETE FROM events WHERE id = ${inserted!.id}`);
    const [cascaded] = await session.query<{ n: string }>(`SELECT count(*) AS n FROM event_tags WHERE event_id = ${inserted!.id}`);
    assert.equal(cascaded!.n, '0');
    const [constraints] = await session.query<{ n: string }>("SELECT count(*) AS n FROM pg_constraint WHERE conrelid = 'event_tags'::regclass AND contype = 'f' AND convalidated");
    assert.equal(constraints!.n, '1');
    const [seq] = await session.query<{ seq: string }>("SELECT pg_get_serial_sequence('public.events', 'id') AS seq");
    assert.equal(seq!.seq, 'public.events_id_seq');
    await session.close();
  });
});
