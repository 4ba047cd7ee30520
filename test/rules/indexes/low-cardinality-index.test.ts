import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import lowCardinalityIndex from '../../../src/rules/indexes/low-cardinality-index.js';
import { findingsAfterFixes, findingsFor } from '../../support/embedded.js';

describe('low-cardinality-index', () => {
  test('fires on a boolean index from the schema alone (once for a duplicated one), without a fix while the rare value is unknown', async () => {
    const findings = await findingsFor(
      lowCardinalityIndex,
      `CREATE TABLE users (id bigint PRIMARY KEY, active boolean NOT NULL);
       CREATE INDEX users_active ON users (active);
       CREATE INDEX users_active_twin ON users (active);`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0]!.object, { type: 'index', schema: 'public', table: 'users', name: 'users_active' });
    assert.match(findings[0]!.message, /public\.users\.users_active is on a boolean column \(active\)/);
    assert.equal(findings[0]!.fix, null);
  });

  test('with statistics, replaces a boolean index by a partial index on the rare value', async () => {
    const findings = await findingsFor(
      lowCardinalityIndex,
      `CREATE TABLE users (id bigint PRIMARY KEY, banned boolean NOT NULL);
       INSERT INTO users SELECT i, i % 50 = 0 FROM generate_series(1, 5000) AS i;
       CREATE INDEX users_banned ON users (banned);
       ANALYZE users;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /rare value true \(2% of rows\)/);
    assert.equal(
      findings[0]!.fix!.sql,
      'CREATE INDEX CONCURRENTLY users_banned_partial ON public.users (banned) WHERE banned;\nDROP INDEX CONCURRENTLY public.users_banned;',
    );
    assert.deepEqual(await findingsAfterFixes(lowCardinalityIndex, findings), []);
  });

  test('fires on a column with few distinct values, proposing the rarest one', async () => {
    const findings = await findingsFor(
      lowCardinalityIndex,
      `CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL);
       INSERT INTO orders SELECT i, CASE WHEN i % 100 = 0 THEN 'failed' WHEN i % 3 = 0 THEN 'open' ELSE 'done' END
         FROM generate_series(1, 6000) AS i;
       CREATE INDEX orders_status ON orders (status);
       ANALYZE orders;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /a column with 3 distinct values \(status\)/);
    assert.match(findings[0]!.fix!.sql, /ON public\.orders \(status\) WHERE status = 'failed';/);
    assert.deepEqual(await findingsAfterFixes(lowCardinalityIndex, findings), []);
  });

  test('without a rare value, advises and offers no fix', async () => {
    const findings = await findingsFor(
      lowCardinalityIndex,
      `CREATE TABLE t (id bigint PRIMARY KEY, kind int NOT NULL);
       INSERT INTO t SELECT i, i % 2 FROM generate_series(1, 4000) AS i;
       CREATE INDEX t_kind ON t (kind);
       ANALYZE t;`,
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /no value is rare enough/);
    assert.equal(findings[0]!.fix, null);
  });

  test('does not fire on a partial, high-cardinality, unique or multi-column index, nor on a redundant one', async () => {
    const findings = await findingsFor(
      lowCardinalityIndex,
      `CREATE TABLE t (id bigint PRIMARY KEY, flag boolean, code int, created_at timestamptz);
       INSERT INTO t SELECT i, i % 2 = 0, i % 1000, now() FROM generate_series(1, 5000) AS i;
       CREATE INDEX t_flag_partial ON t (flag) WHERE flag;
       CREATE INDEX t_code ON t (code);
       CREATE INDEX t_flag_created ON t (flag, created_at);
       CREATE INDEX t_flag ON t (flag);
       CREATE UNIQUE INDEX t_id_flag ON t (id) WHERE flag;
       ANALYZE t;`,
    );
    assert.deepEqual(findings, []);
  });
});
