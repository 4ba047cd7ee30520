import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/partition/partition-retention-overdue.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

// Monthly partitions from 24 months ago to next month, built from now() so the test does not age.
const MONTHS = `
CREATE TABLE logs (at timestamptz NOT NULL, line text) PARTITION BY RANGE (at);
DO $$
DECLARE m timestamptz;
BEGIN
  FOR i IN -24..1 LOOP
    m := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => i);
    EXECUTE format('CREATE TABLE %I PARTITION OF logs FOR VALUES FROM (%L) TO (%L)', 'logs_' || (i + 24), m, m + interval '1 month');
  END LOOP;
END $$;`;

describe('partition-retention-overdue', () => {
  test('fires for partitions entirely older than the retention; the fix detaches and drops them', async () => {
    const findings = await findingsFor(rule, MONTHS, { retention: { 'public.log*': '12 months' } });
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /^Partitioned table public\.logs keeps 1[12] partitions entirely older than its retention of 12 months \(oldest: logs_0, up to /);
    assert.match(findings[0]!.fix!.sql, /^ALTER TABLE public\.logs DETACH PARTITION public\.logs_0 CONCURRENTLY;\nDROP TABLE public\.logs_0;\n/);
    assert.equal(findings[0]!.fix!.safeOnline, true);
    assert.deepEqual(await findingsAfterFixes(rule, findings, { retention: { 'public.log*': '12 months' } }), []);
  });

  test('does not fire without a retention for the table, or within it', async () => {
    assert.deepEqual(await findingsFor(rule, MONTHS), []);
    assert.deepEqual(await findingsFor(rule, MONTHS, { retention: { 'public.other': '1 month' } }), []);
    assert.deepEqual(await findingsFor(rule, MONTHS, { retention: { 'public.logs': '3 years' } }), []);
  });
});
