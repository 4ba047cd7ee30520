import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/keys/fk-without-index.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

const CUSTOMERS = 'CREATE TABLE customers (id bigint PRIMARY KEY, region int, UNIQUE (id, region));';

describe('fk-without-index', () => {
  test('fires on an unindexed foreign key, and the concurrent index fix removes it', async () => {
    const findings = await findingsFor(
      rule,
      `${CUSTOMERS}
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'constraint', schema: 'public', table: 'orders', name: 'orders_customer_id_fkey' });
    assert.match(findings[0]!.message, /public\.orders\.orders_customer_id_fkey \(customer_id\) has no index/);
    assert.match(findings[0]!.message, /public\.customers scans public\.orders/);
    assert.equal(findings[0]!.evidence.referencedTable, 'public.customers');
    assert.equal(findings[0]!.fix!.sql, 'CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);');
    assert.equal(findings[0]!.fix!.safeOnline, true);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('a partial index does not count, and the fix picks a free index name', async () => {
    const findings = await findingsFor(
      rule,
      `${CUSTOMERS}
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, open boolean);
       CREATE INDEX orders_customer_id_idx ON orders (customer_id) WHERE open;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.fix!.sql, /CREATE INDEX CONCURRENTLY orders_customer_id_idx1 ON/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire when an index leads with the key columns in any order, or a trailing column follows', async () => {
    const findings = await findingsFor(
      rule,
      `${CUSTOMERS}
       CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, region int, placed date,
                            FOREIGN KEY (customer_id, region) REFERENCES customers (id, region));
       CREATE INDEX ON orders (region, customer_id, placed);
       CREATE INDEX ON orders (customer_id, placed);`,
    );
    assert.deepEqual(findings, []);
  });

  test('does not count an invalid index; on a partitioned table the fix builds per partition and attaches', async () => {
    const findings = await findingsFor(
      rule,
      `${CUSTOMERS}
       CREATE TABLE events (id bigint, at date, customer_id bigint REFERENCES customers, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE TABLE events_2027 PARTITION OF events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
       CREATE INDEX events_2027_customer_idx ON events_2027 (customer_id);
       CREATE INDEX events_customer_only_idx ON ONLY events (customer_id);`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'constraint', schema: 'public', table: 'events', name: 'events_customer_id_fkey' });
    assert.equal(
      findings[0]!.fix!.sql,
      [
        'CREATE INDEX events_customer_id_idx ON ONLY public.events (customer_id);',
        'CREATE INDEX CONCURRENTLY events_2026_customer_id_idx ON public.events_2026 (customer_id);',
        'ALTER INDEX public.events_customer_id_idx ATTACH PARTITION public.events_2026_customer_id_idx;',
        'ALTER INDEX public.events_customer_id_idx ATTACH PARTITION public.events_2027_customer_idx;',
      ].join('\n'),
    );
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on a partitioned table whose every partition has the index', async () => {
    const findings = await findingsFor(
      rule,
      `${CUSTOMERS}
       CREATE TABLE events (id bigint, at date, customer_id bigint REFERENCES customers, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE INDEX ON events_2026 (customer_id);`,
    );
    assert.deepEqual(findings, []);
  });
});
