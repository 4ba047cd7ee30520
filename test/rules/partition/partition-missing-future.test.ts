import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/partition/partition-missing-future.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

// Partition bounds that must stay current are built from now() inside the database, so the tests do
// not age; the ones meant to be stale are fixed dates in the past.

describe('partition-missing-future', () => {
  test('fires when no partition covers the current time, and the fix creates the missing months by the existing pattern', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE orders (id bigint, created_on date NOT NULL) PARTITION BY RANGE (created_on);
       CREATE TABLE orders_2020_01 PARTITION OF orders FOR VALUES FROM ('2020-01-01') TO ('2020-02-01');
       CREATE TABLE orders_2020_02 PARTITION OF orders FOR VALUES FROM ('2020-02-01') TO ('2020-03-01');
       CREATE TABLE orders_2020_03 PARTITION OF orders FOR VALUES FROM ('2020-03-01') TO ('2020-04-01');`,
    );
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.deepEqual(finding!.object, { type: 'partitioned table', schema: 'public', name: 'orders' });
    assert.match(finding!.message, /public\.orders has no partition for the current time \(its latest partition ends at 2020-04-01\): inserts of current rows fail/);
    assert.equal(finding!.severity, 'error');
    assert.equal(finding!.evidence.insertsFailNow, true);
    assert.equal(finding!.evidence.interval, '1 month');
    const statements = finding!.fix!.sql.split('\n');
    assert.ok(statements.length >= 1);
    for (const statement of statements) {
      assert.match(statement, /^CREATE TABLE public\.orders_\d{4}_\d{2} PARTITION OF public\.orders FOR VALUES FROM \('\d{4}-\d{2}-01'\) TO \('\d{4}-\d{2}-01'\);$/);
    }
    assert.equal(finding!.fix!.safeOnline, true);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire when partitions cover the lookahead', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE metrics (at timestamptz NOT NULL, v int) PARTITION BY RANGE (at);
       DO $$
       DECLARE m timestamptz;
       BEGIN
         FOR i IN -2..2 LOOP
           m := date_trunc('month', now()) + make_interval(months => i);
           EXECUTE format('CREATE TABLE %I PARTITION OF metrics FOR VALUES FROM (%L) TO (%L)',
                          'metrics_' || to_char(m, 'YYYY_MM'), m, m + interval '1 month');
         END LOOP;
       END $$;`,
    );
    assert.deepEqual(findings, []);
  });

  test('fires when only the lookahead is uncovered, naming the new partitions like the existing ones', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE metrics (at timestamp NOT NULL, v int) PARTITION BY RANGE (at);
       DO $$
       DECLARE m timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
       BEGIN
         EXECUTE format('CREATE TABLE %I PARTITION OF metrics FOR VALUES FROM (%L) TO (%L)',
                        'metrics_' || to_char(m, 'YYYY_MM'), m, m + interval '1 month');
       END $$;`,
      { lookaheadDays: 45 },
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /public\.metrics has partitions only until \d{4}-\d{2}-01 00:00:00, less than 45 days ahead: inserts beyond it will fail/);
    assert.equal(findings[0]!.severity, 'warning');
    assert.equal(findings[0]!.evidence.insertsFailNow, false);
    assert.match(findings[0]!.fix!.sql, /^CREATE TABLE public\.metrics_\d{4}_\d{2} PARTITION OF public\.metrics FOR VALUES FROM \('\d{4}-\d{2}-01 00:00:00'\)/);
    assert.deepEqual(await findingsAfterFixes(rule, findings, { lookaheadDays: 45 }), []);
  });

  test('reports a default partition catching current rows, and names irregular partitions <table>_pYYYYMMDD', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE events (at date NOT NULL) PARTITION BY RANGE (at);
       CREATE TABLE events_first PARTITION OF events FOR VALUES FROM ('2020-01-06') TO ('2020-01-13');
       CREATE TABLE events_second PARTITION OF events FOR VALUES FROM ('2020-01-13') TO ('2020-01-20');
       CREATE TABLE events_default PARTITION OF events DEFAULT;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /current rows pile up in the default partition public\.events_default/);
    assert.equal(findings[0]!.severity, 'warning');
    assert.equal(findings[0]!.evidence.insertsFailNow, false);
    assert.equal(findings[0]!.evidence.interval, '7 days');
    assert.equal(findings[0]!.fix!.safeOnline, false);
    assert.match(findings[0]!.fix!.note!, /scans the default partition/);
    for (const statement of findings[0]!.fix!.sql.split('\n')) {
      assert.match(statement, /^CREATE TABLE public\.events_p\d{8} PARTITION OF public\.events FOR VALUES FROM \('\d{4}-\d{2}-\d{2}'\) TO \('\d{4}-\d{2}-\d{2}'\);$/);
    }
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('skips integer range keys and list partitioning', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE ledger (id bigint NOT NULL) PARTITION BY RANGE (id);
       CREATE TABLE ledger_0 PARTITION OF ledger FOR VALUES FROM (0) TO (1000);
       CREATE TABLE regions (code text NOT NULL) PARTITION BY LIST (code);
       CREATE TABLE regions_eu PARTITION OF regions FOR VALUES IN ('eu');`,
    );
    assert.deepEqual(findings, []);
  });
});
