/** What a workload statement asks of each table: parse trees from the real parser, the schema from PGlite. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { tableUses, type TableUse } from '../../src/advise/query-columns.js';
import { coveringVariants, singleColumnCandidates, widenings } from '../../src/advise/extend.js';
import { candidateKey } from '../../src/advise/candidate.js';
import { SnapshotIndex } from '../../src/catalog/snapshot-index.js';
import { ensureParser, parseSync } from '../../src/sql/parser.js';
import { snapshotOf } from '../support/embedded.js';

let schema: SnapshotIndex;

before(async () => {
  await ensureParser();
  schema = new SnapshotIndex(
    await snapshotOf(`
      CREATE SCHEMA shop;
      CREATE TABLE shop.customers (id int PRIMARY KEY, email text, country text);
      CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int, status text, created_at timestamptz, total numeric);
      CREATE TABLE public.notes (id int, body text);
    `),
  );
});

function uses(sql: string, searchPath = ['shop', 'public']): Record<string, Record<string, unknown>> {
  const tree = parseSync(sql).stmts![0]!.stmt!;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, use] of tableUses(tree, schema, searchPath)) out[key] = plain(use);
  return out;
}

function plain(use: TableUse): Record<string, unknown> {
  return {
    equality: [...use.equality].sort(),
    range: [...use.range].sort(),
    join: [...use.join].sort(),
    order: use.order,
    referenced: [...use.referenced].sort(),
    constants: Object.fromEntries(use.constants),
  };
}

describe('tableUses', () => {
  test('equality, ranges, joins through aliases, ORDER BY, literal constants', () => {
    const result = uses(`
      SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id
       WHERE o.status = 'paid' AND o.created_at >= $1 AND c.country IN ('fr', 'de') ORDER BY o.created_at DESC`);
    assert.deepEqual(result['shop.orders'], {
      equality: ['status'],
      range: ['created_at'],
      join: ['customer_id'],
      order: ['created_at'],
      referenced: ['created_at', 'customer_id', 'id', 'status'],
      constants: { status: "'paid'" },
    });
    assert.deepEqual(result['shop.customers'], { equality: ['country'], range: [], join: ['id'], order: [], referenced: ['country', 'email', 'id'], constants: {} });
  });

  test('unqualified columns resolve to the one table that has them; ambiguous ones are left out', () => {
    const result = uses(`SELECT email FROM customers, orders WHERE customer_id = 4 AND id = 5`);
    assert.deepEqual(result['shop.orders']!.equality, ['customer_id']);
    assert.deepEqual(result['shop.customers']!.equality, []);
  });

  test('subqueries see the outer scope; CTE names are not tables; BETWEEN, IS NULL, = ANY', () => {
    const result = uses(`
      WITH recent AS (SELECT * FROM orders WHERE created_at BETWEEN $1 AND $2)
      SELECT * FROM customers c
       WHERE EXISTS (SELECT 1 FROM recent r WHERE r.customer_id = c.id)
         AND c.email IS NULL AND c.id = ANY($3)`);
    assert.deepEqual(result['shop.orders']!.range, ['created_at']);
    assert.deepEqual(result['shop.customers']!.equality, ['email', 'id']);
    assert.equal(result['recent'], undefined);
  });

  test('UPDATE and DELETE conditions; schema-qualified names; the search path decides unqualified ones', () => {
    assert.deepEqual(uses(`UPDATE shop.orders SET status = 'x' WHERE customer_id = $1`)['shop.orders']!.equality, ['customer_id']);
    assert.deepEqual(uses(`DELETE FROM orders WHERE created_at < now() - interval '1 year'`)['shop.orders']!.range, ['created_at']);
    assert.deepEqual(Object.keys(uses(`SELECT * FROM orders WHERE id = 1`, ['public'])), []);
    assert.deepEqual(Object.keys(uses(`SELECT * FROM notes WHERE id = 1`)), ['public.notes']);
  });

  test('a cast or function on the column is not a bare column: no candidate for it', () => {
    assert.deepEqual(uses(`SELECT * FROM customers WHERE lower(email) = 'a' AND country::text = 'fr'`)['shop.customers']!.equality, []);
  });
});

describe('candidates', () => {
  const query = (sql: string) => {
    const tree = parseSync(sql).stmts![0]!.stmt!;
    return { id: 'q', weight: 1, uses: tableUses(tree, schema, ['shop']) };
  };

  test('single columns, widenings within a query, covering and partial variants', () => {
    const q = query(`SELECT total FROM orders WHERE customer_id = $1 AND status = 'paid' AND created_at > $2`);
    const singles = singleColumnCandidates([q], true).map(candidateKey).sort();
    assert.deepEqual(singles, [
      'shop.orders(created_at)',
      "shop.orders(created_at) where status = 'paid'",
      'shop.orders(customer_id)',
      "shop.orders(customer_id) where status = 'paid'",
      'shop.orders(status)',
    ]);
    const base = { schema: 'shop', table: 'orders', columns: ['customer_id'], include: [], where: null };
    assert.deepEqual(widenings(base, [q], 3).map(candidateKey).sort(), ['shop.orders(customer_id,created_at)', 'shop.orders(customer_id,status)']);
    assert.deepEqual(widenings({ ...base, columns: ['customer_id', 'status', 'created_at'] }, [q], 3), [], 'the widest key is reached');
    assert.deepEqual(coveringVariants(base, [q]).map(candidateKey), ['shop.orders(customer_id) include(created_at,status,total)']);
  });
});
