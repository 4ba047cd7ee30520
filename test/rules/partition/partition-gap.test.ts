import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/partition/partition-gap.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('partition-gap', () => {
  test('fires on a hole between two monthly partitions, and the fix creates the missing month', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE events (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE events_p2024_01 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
       CREATE TABLE events_p2024_03 PARTITION OF events FOR VALUES FROM ('2024-03-01 00:00+00') TO ('2024-04-01 00:00+00');
       CREATE TABLE events_p2024_04 PARTITION OF events FOR VALUES FROM ('2024-04-01 00:00+00') TO ('2024-05-01 00:00+00');`,
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.deepEqual(finding!.object, { type: 'partitioned table', schema: 'public', name: 'events' });
    assert.match(finding!.message, /^Partitioned table public\.events has no partition from 2024-02-01 00:00:00\+00 to 2024-03-01 00:00:00\+00, between events_p2024_01 and events_p2024_03: inserts of rows in that range fail\.$/);
    assert.equal(finding!.evidence.gapFrom, '2024-02-01 00:00:00+00');
    assert.equal(finding!.fix!.sql, "CREATE TABLE public.events_p2024_02 PARTITION OF public.events FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00');");
    assert.equal(finding!.fix!.safeOnline, true);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('integer ranges and a default partition: the message says where the rows go', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE readings (id bigint NOT NULL) PARTITION BY RANGE (id);
       CREATE TABLE readings_a PARTITION OF readings FOR VALUES FROM (0) TO (1000);
       CREATE TABLE readings_b PARTITION OF readings FOR VALUES FROM (2000) TO (3000);
       CREATE TABLE readings_default PARTITION OF readings DEFAULT;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /from 1000 to 2000, between readings_a and readings_b: rows of that range land in the default partition public\.readings_default\./);
    assert.equal(findings[0]!.fix!.safeOnline, false);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on contiguous partitions, list partitions, or holes only before the first or after the last', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE days (d date NOT NULL) PARTITION BY RANGE (d);
       CREATE TABLE days_1 PARTITION OF days FOR VALUES FROM ('2024-01-01') TO ('2024-01-02');
       CREATE TABLE days_2 PARTITION OF days FOR VALUES FROM ('2024-01-02') TO ('2024-01-03');
       CREATE TABLE regions (region text NOT NULL) PARTITION BY LIST (region);
       CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu');`,
    );
    assert.deepEqual(findings, []);
  });
});
