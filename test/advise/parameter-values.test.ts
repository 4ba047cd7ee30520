/** Representative values for `$n` parameters, from the real server's pg_stats. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parameterUses, parseArrayLiteral, representativeValues } from '../../src/advise/parameter-values.js';
import { LiveDb } from '../../src/db/live-db.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { liveDatabase } from '../support/live.js';

const tree = (sql: string) => parseSync(sql).stmts![0]!.stmt;

describe('representative parameter values', () => {
  test('array literals in Postgres text form', () => {
    assert.deepEqual(parseArrayLiteral('{a,b,c}'), ['a', 'b', 'c']);
    assert.deepEqual(parseArrayLiteral('{"x y","q\\"uote",plain}'), ['x y', 'q"uote', 'plain']);
    assert.deepEqual(parseArrayLiteral('{}'), []);
  });

  test('how each parameter is used: comparisons either way round, IN, BETWEEN, LIMIT and OFFSET', async () => {
    await ensureParser();
    const uses = parameterUses(tree('SELECT * FROM t WHERE a = $1 AND $2 < b AND c IN ($3, $4) AND d BETWEEN $5 AND $6 LIMIT $7 OFFSET $8'));
    assert.deepEqual(Object.fromEntries(uses), {
      1: { column: 'a', operator: 'eq', index: 0 },
      2: { column: 'b', operator: 'gt', index: 0 },
      3: { column: 'c', operator: 'eq', index: 0 },
      4: { column: 'c', operator: 'eq', index: 1 },
      5: { column: 'd', operator: 'between-low', index: 0 },
      6: { column: 'd', operator: 'between-high', index: 0 },
      7: { literal: '10' },
      8: { literal: '0' },
    });
  });

  test('values come from the columns statistics; a parameter with no column is explained', async (t) => {
    const db = await liveDatabase(t, `
      CREATE TABLE orders (id int PRIMARY KEY, status text, created_at timestamptz);
      INSERT INTO orders SELECT i, CASE WHEN i % 10 = 0 THEN 'new' ELSE 'done' END, timestamptz '2026-01-01' + (i || ' minutes')::interval FROM generate_series(1, 5000) i;
      ANALYZE orders;`);
    if (!db) return;
    await ensureParser();
    const session = await LiveDb.connect({ url: db.url });
    try {
      const values = await representativeValues(session, tree('SELECT id FROM orders WHERE status = $1 AND created_at > $2 LIMIT $3'), 3);
      assert.ok('values' in values, JSON.stringify(values));
      assert.equal(values.values[0], "'done'", 'the most common value');
      assert.match(values.values[1]!, /^'2026-01-0[34] /, 'the 90th percentile of the histogram');
      assert.equal(values.values[2], '10');
      const [{ n }] = (await session.query<{ n: string }>(`SELECT count(*)::text AS n FROM orders WHERE created_at > ${values.values[1]}`)) as [{ n: string }];
      assert.ok(Number(n) > 300 && Number(n) < 700, `${n} rows: about a tenth`);

      const unplaced = await representativeValues(session, tree('SELECT $1::int + id FROM orders'), 1);
      assert.deepEqual(unplaced, { reason: '$1 is not compared with a column: no representative value for it' });
    } finally {
      await session.close();
    }
  });
});
