import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import redundantIndex from '../../../src/rules/indexes/redundant-index.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('redundant-index', () => {
  test('fires on an index whose keys lead a wider one, and dropping it removes the finding', async () => {
    const findings = await findingsFor(
      redundantIndex,
      `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, placed_at timestamptz, total numeric);
       CREATE INDEX orders_customer ON orders (customer_id);
       CREATE INDEX orders_customer_placed ON orders (customer_id, placed_at DESC);
       CREATE INDEX orders_total ON orders (total);
       CREATE INDEX orders_total_incl ON orders (total) INCLUDE (placed_at);`,
    );
    assert.deepEqual(
      findings.map((f) => [f.object.name, f.evidence.coveringIndex]),
      [
        ['orders_customer', 'orders_customer_placed'],
        ['orders_total', 'orders_total_incl'],
      ],
    );
    assert.deepEqual(findings[0]!.object, { type: 'index', schema: 'public', table: 'orders', name: 'orders_customer' });
    assert.match(findings[0]!.message, /public\.orders\.orders_customer is redundant: its keys lead orders_customer_placed/);
    assert.deepEqual(await findingsAfterFixes(redundantIndex, findings), []);
  });

  test('fires on a plain index that leads a primary key', async () => {
    const findings = await findingsFor(
      redundantIndex,
      `CREATE TABLE line_items (order_id bigint, line int, PRIMARY KEY (order_id, line));
       CREATE INDEX line_items_order ON line_items (order_id);`,
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.evidence.coveringIndex, 'line_items_pkey');
  });

  test('does not fire on near misses', async () => {
    const findings = await findingsFor(
      redundantIndex,
      `CREATE TABLE t (a int, b int, c text, d int);
       CREATE INDEX t_ab ON t (a, b);
       CREATE INDEX t_a_desc ON t (a DESC);
       CREATE INDEX t_b ON t (b);
       CREATE UNIQUE INDEX t_a_unique ON t (a) WHERE d = 1;
       CREATE INDEX t_a_partial ON t (a) WHERE d > 0;
       CREATE INDEX t_a_incl ON t (a) INCLUDE (c);
       CREATE INDEX t_c_hash ON t USING hash (c);
       CREATE INDEX t_c_pattern_d ON t (c text_pattern_ops, d);
       CREATE INDEX t_c ON t (c);
       CREATE INDEX t_d1 ON t (d);
       CREATE INDEX t_d2 ON t (d);`,
    );
    assert.deepEqual(findings, []);
  });
});
