/**
 * `partition advise` on the real server: the workload (pg_stat_statements) filters a large table on its
 * timestamp, so range partitioning on it is recommended, with the interval from the data's spread, the
 * pruning share, and the blockers (the primary key without the key, a foreign key pointing at it).
 * A table the workload reads by another column is not recommended.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { partitionAdvise } from '../../src/partition/advise.js';
import { liveDatabase } from '../support/live.js';

describe('partition advise', () => {
  test('recommends the key the workload filters on, with interval, pruning share and blockers', async (t) => {
    const db = await liveDatabase(
      t,
      `CREATE TABLE readings (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sensor int NOT NULL, taken_at timestamptz NOT NULL, value float8);
       INSERT INTO readings (sensor, taken_at, value) SELECT i % 50, now() - make_interval(mins => i * 10), random() FROM generate_series(1, 60000) i;
       CREATE TABLE alerts (id bigint PRIMARY KEY, reading_id bigint REFERENCES readings (id));
       CREATE TABLE lookups (id bigint PRIMARY KEY, code text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO lookups SELECT i, 'c' || i FROM generate_series(1, 40000) i;
       ANALYZE;`,
    );
    if (!db) return;
    const name = db.url.split('/').pop()!;
    await db.server.query(name, 'SELECT pg_stat_statements_reset()');
    for (let i = 0; i < 5; i++) {
      await db.server.query(name, `SELECT avg(value) FROM readings WHERE taken_at > now() - interval '${i + 1} days'`);
      await db.server.query(name, `SELECT count(*) FROM readings WHERE sensor = ${i} AND taken_at BETWEEN now() - interval '7 days' AND now()`);
      await db.server.query(name, `SELECT code FROM lookups WHERE id = ${i + 1}`);
    }
    await db.server.query(name, 'SELECT max(value) FROM readings');

    const result = await partitionAdvise({ connection: { url: db.url }, minBytes: 1024 * 1024, targetPartitionBytes: 320 * 1024 });
    assert.equal(result.workload?.statements !== undefined, true);
    const readings = result.advice.find((a) => a.table === 'public.readings')!;
    assert.equal(readings.verdict, 'recommended');
    assert.equal(readings.key, 'taken_at');
    assert.equal(readings.strategy, 'range');
    assert.ok(readings.pruningShare! > 0.5 && readings.pruningShare! < 1, `pruning share ${readings.pruningShare}`);
    assert.equal(readings.interval, 'month', JSON.stringify(readings.evidence));
    assert.ok(Math.abs((readings.evidence.dataSpanDays as number) - 417) <= 10, JSON.stringify(readings.evidence));
    assert.deepEqual(readings.blockers.map((b) => [b.kind, b.object]), [
      ['unique-without-key', 'public.readings.readings_pkey'],
      ['foreign-key-in', 'public.alerts.alerts_reading_id_fkey'],
    ]);
    assert.match(readings.message, /^public\.readings \([\d.]+ MB\): partition by range of taken_at, month partitions of about [\d.]+ kB; statements restricting taken_at take \d+% of the workload's time on it \(2 of 3 statements\)\. 2 things to change first\.$/);
    assert.equal(readings.command, `pgarchitect partition convert ${result.source.description} --table public.readings --key taken_at --interval month --out convert.sql`);
    assert.doesNotMatch(JSON.stringify(result), /pgarchitect-test-secret/);

    const lookups = result.advice.find((a) => a.table === 'public.lookups')!;
    assert.equal(lookups.verdict, 'not-recommended');
    assert.match(lookups.message, /partitioning does not pay: statements restricting updated_at take 0% of the workload's time on it \(0 of 1 statements\)/);
  });
});
