import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import leadingWildcardLike from '../../../src/rules/query/leading-wildcard-like.js';
import { execStatements, sharedEmbedded, snapshotOf, currentSnapshot } from '../../support/embedded.js';
import { lintWith } from '../../support/lint.js';

describe('leading-wildcard-like', () => {
  test('fires on LIKE and ILIKE patterns starting with % or _, with the trigram index as the fix', async () => {
    const findings = await lintWith(
      leadingWildcardLike,
      `SELECT id FROM products WHERE name ILIKE '%phone%';
SELECT p.id FROM products p JOIN brands b ON b.id = p.brand_id WHERE p.sku LIKE '_123' AND b.name NOT LIKE '%test';`,
    );
    assert.equal(findings.length, 3);
    const [first] = findings;
    assert.equal(first!.severity, 'warning');
    assert.match(first!.message, /^`name ILIKE '%phone%'` starts with a wildcard, so no B-tree index on name can serve it/);
    assert.deepEqual(first!.location, { file: 'q.sql', line: 1, column: 36 }, 'at ILIKE');
    assert.equal(first!.fix!.sql, 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY ON products USING gin (name gin_trgm_ops);');
    assert.equal(findings[1]!.evidence.table, 'products', 'the alias resolves to its table');
    assert.equal(findings[2]!.evidence.operator, 'NOT LIKE');
    assert.equal(findings[2]!.fix!.sql.split('\n')[1], 'CREATE INDEX CONCURRENTLY ON brands USING gin (name gin_trgm_ops);');
  });

  test("a concatenated pattern ('%' || $1) fires; an unresolvable column gets no fix", async () => {
    const findings = await lintWith(leadingWildcardLike, "SELECT 1 FROM a, b WHERE title LIKE '%' || $1");
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.evidence.pattern, '%…');
    assert.equal(findings[0]!.fix, null);
  });

  test('near misses: a prefix pattern, a parameter, an escaped %, LIKE in the select list', async () => {
    const sql = `SELECT 1 FROM t WHERE name LIKE 'abc%';
SELECT 1 FROM t WHERE name LIKE $1;
SELECT 1 FROM t WHERE name LIKE '\\%discount';
SELECT name LIKE '%x' AS flagged FROM t;`;
    assert.deepEqual(await lintWith(leadingWildcardLike, sql), []);
  });

  test('with a schema: the trigram index from the fix makes the finding disappear', async () => {
    const schema = await snapshotOf('CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL);');
    const sql = "SELECT id FROM products WHERE name ILIKE '%phone%'";
    const [finding] = await lintWith(leadingWildcardLike, sql, { schema });
    assert.equal(finding!.fix!.sql, 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE INDEX CONCURRENTLY ON public.products USING gin (name gin_trgm_ops);');
    await execStatements(await sharedEmbedded(), finding!.fix!.sql);
    assert.deepEqual(await lintWith(leadingWildcardLike, sql, { schema: await currentSnapshot() }), []);
  });
});
