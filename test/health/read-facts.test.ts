/**
 * The facts reader: what it reads on the real server, and what a role without privileges cannot see,
 * said rather than hidden. Plus its small pure parts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LiveDb } from '../../src/db/live-db.js';
import { health } from '../../src/health/health.js';
import { NOT_A_STANDBY, STANDBY_SIDE_CHECKS } from './facts-fixture.js';
import { maskQuery, pendingSegments, readHealthFacts } from '../../src/health/read-facts.js';
import { liveDatabase } from '../support/live.js';
import { openSession, sleep } from './live-sessions.js';

describe('health facts', () => {
  test('statements that may carry a password are masked', () => {
    assert.equal(maskQuery("ALTER ROLE app PASSWORD 'hunter2'"), '(hidden: the statement may hold a password)');
    assert.equal(maskQuery("SELECT dblink_connect('postgres://u:p@h/db')"), '(hidden: the statement may hold a password)');
    assert.equal(maskQuery('SELECT * FROM orders'), 'SELECT * FROM orders');
    assert.equal(maskQuery(''), null);
  });

  test('WAL files waiting to be archived, from the file names (16 MB segments: 256 per log file)', () => {
    const size = 16 * 1024 * 1024;
    assert.equal(pendingSegments('000000010000000000000063', '000000010000000000000064', size), 0);
    assert.equal(pendingSegments('0000000100000000000000FE', '000000010000000100000003', size), 4);
    assert.equal(pendingSegments('00000002.history', '000000020000000000000064', size), null);
    assert.equal(pendingSegments(null, '000000010000000000000064', size), null);
  });

  test('reads every part on the test server, as a superuser', async (t) => {
    const db = await liveDatabase(t, 'CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g; ANALYZE t;');
    if (!db) return;
    const live = await LiveDb.connect({ url: db.url });
    try {
      const facts = await readHealthFacts(live);
      assert.deepEqual(facts.unavailable, { recovery: NOT_A_STANDBY });
      assert.equal(facts.server.database, db.url.split('/').pop());
      assert.equal(facts.server.readAllStats, true);
      const table = facts.tables!.find((x) => x.name === 't')!;
      assert.deepEqual([table.rowEstimate, table.stats!.liveTuples, table.kind, table.parent], [1000, 1000, 'table', null]);
      assert.ok(table.xidAge! > 0);
      assert.ok(facts.tables!.some((x) => x.schema === 'pg_catalog' && x.name === 'pg_class'));
      assert.ok(facts.activity!.some((s) => s.self));
      assert.equal(facts.statements!.readable, true);
      assert.ok(facts.tableBloat!.relations.some((b) => b.name === 't'));
      assert.ok(facts.indexBloat!.relations.some((b) => b.name === 't_pkey'));
      assert.equal(facts.settings.block_size!.setting, '8192');
      assert.equal(facts.checkpoints!.view, 'pg_stat_bgwriter');
    } finally {
      await live.close();
    }
  });

  test('a role without privileges: each check says what it could not see, or why it did not run', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE secret (id int PRIMARY KEY, v text);
       INSERT INTO secret SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
       ANALYZE secret;
       CREATE EXTENSION pgstattuple;
       DO $$ BEGIN CREATE ROLE health_watcher LOGIN PASSWORD 'watcher-pw'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
       REVOKE SELECT ON pg_stat_archiver FROM PUBLIC;`,
    );
    if (!db) return;
    const url = new URL(db.url);
    url.username = 'health_watcher';
    url.password = 'watcher-pw';
    const other = await openSession(db.url);
    try {
      await other.client.query('BEGIN');
      await other.client.query('SELECT count(*) FROM secret');
      await sleep(1100);
      const result = await health({ connection: { url: url.href }, env: {}, exact: true });
      assert.equal(result.source.readAllStats, false);
      const examined = new Map(result.checks.map((c) => [c.rule, c.examined]));
      // Other roles' sessions: counted, not seen into.
      assert.match(examined.get('idle-in-transaction')!, /\(1 of other roles hidden from this role: GRANT pg_read_all_stats to see them\)/);
      // pg_stats shows only columns the role may read: no estimate for the table it may not.
      assert.match(examined.get('table-bloat')!, /estimated from statistics \(\d+ not estimated: no statistics, never analysed or not readable by this role\)/);
      // pgstattuple is installed, but only for pg_stat_scan_tables: estimates instead, and the report says so.
      assert.equal(result.bloatMethod, 'estimate');
      assert.ok(result.notices.some((n) => /^--exact: pgstattuple failed on the tables \(permission denied for function pgstattuple\): bloat is estimated from statistics instead\.$/.test(n)), result.notices.join('\n'));
      // A view revoked from PUBLIC: that check does not run, and says why.
      assert.deepEqual(result.skipped, [
        ...STANDBY_SIDE_CHECKS.map((rule) => ({ rule, reason: NOT_A_STANDBY })),
        { rule: 'wal-archiving-failing', reason: 'WAL archiver (pg_stat_archiver): permission denied for view pg_stat_archiver' },
      ]);
      assert.ok(!result.checks.some((c) => c.rule === 'wal-archiving-failing'));
    } finally {
      await other.client.query('ROLLBACK');
      await other.client.end();
      await db.admin('GRANT SELECT ON pg_stat_archiver TO PUBLIC');
    }
  });
});
