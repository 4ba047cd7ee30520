import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/prefer-timestamptz.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('prefer-timestamptz', () => {
  test('fires on a timestamp column, and the fix converts the values as UTC', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE events (id bigint PRIMARY KEY, happened_at timestamp NOT NULL DEFAULT now());
       CREATE INDEX ON events (happened_at);
       INSERT INTO events VALUES (1, '2026-03-29 01:30:00');`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'column', schema: 'public', table: 'events', name: 'happened_at', column: 'happened_at' });
    assert.match(findings[0]!.message, /public\.events\.happened_at is timestamp without time zone/);
    assert.equal(findings[0]!.fix!.sql, `ALTER TABLE public.events ALTER COLUMN happened_at TYPE timestamptz USING happened_at AT TIME ZONE 'UTC';`);
    assert.equal(findings[0]!.fix!.safeOnline, false);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    const [row] = await db.query<{ at: string }>(`SELECT to_char(happened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at FROM events`);
    assert.equal(row!.at, '2026-03-29 01:30');
  });

  test('converts from the zone named by the sourceTimeZone option', async () => {
    const findings = await findingsFor(rule, 'CREATE TABLE visits (seen_at timestamp);', { sourceTimeZone: 'Europe/Paris' });
    assert.match(findings[0]!.fix!.sql, /USING seen_at AT TIME ZONE 'Europe\/Paris';$/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('reports a domain over timestamp and an array without a fix', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE DOMAIN local_time AS timestamp;
       CREATE TABLE shifts (starts local_time, breaks timestamp[]);`,
    );
    assert.deepEqual(
      findings.map((f) => [f.object.name, f.fix]),
      [
        ['breaks', null],
        ['starts', null],
      ],
    );
    assert.match(findings[1]!.message, /through domain public\.local_time/);
  });

  test('does not fire on timestamptz, date or time, on views, nor once per partition (and gives no fix for a partition key)', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE ok (a timestamptz, b date, c time, d interval);
       CREATE VIEW local_now AS SELECT localtimestamp AS at;
       CREATE TABLE readings (at timestamp NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`,
    );
    assert.deepEqual(
      findings.map((f) => `${f.object.table}.${f.object.name}`),
      ['readings.at'],
    );
    // PostgreSQL refuses to change the type of a partition key column: no fix, and the evidence says why.
    assert.equal(findings[0]!.fix, null);
    assert.match(String(findings[0]!.evidence.noFix), /partition key RANGE \(at\)/);
  });
});
