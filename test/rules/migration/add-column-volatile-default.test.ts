import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/add-column-volatile-default.js';
import { execStatements, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';
import { GB, sizedSnapshotOf } from '../../support/migration.js';

/** The table's file on disk: a new one means PostgreSQL rewrote the table. */
async function filenode(db: Awaited<ReturnType<typeof useSchema>>): Promise<number> {
  const [row] = await db.query<{ f: number }>("SELECT pg_relation_filenode('orders') AS f");
  return Number(row!.f);
}

describe('add-column-volatile-default', () => {
  test('fires on a volatile default, serial, identity and stored generated columns: each rewrites the table on PostgreSQL', async () => {
    const statements = [
      'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid() NOT NULL;',
      'ALTER TABLE orders ADD COLUMN seq bigserial;',
      'ALTER TABLE orders ADD COLUMN n int GENERATED ALWAYS AS IDENTITY;',
      'ALTER TABLE orders ADD COLUMN double_id bigint GENERATED ALWAYS AS (id * 2) STORED;',
    ];
    const findings = await lintWith(rule, statements.join('\n'));
    assert.deepEqual(findings.map((f) => f.evidence.cause), ['volatile default', 'serial', 'identity', 'stored generated']);
    assert.match(findings[0]!.message, /^ADD COLUMN token has a volatile default \(gen_random_uuid\(\)\): it is computed for every existing row, so orders is rewritten with its indexes under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the rewrite ends\./);
    assert.equal(findings[0]!.evidence.rewrite, true);
    const db = await useSchema('CREATE TABLE orders (id bigint PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100);');
    for (const statement of statements) {
      const before = await filenode(db);
      await execStatements(db, statement);
      assert.notEqual(await filenode(db), before, `${statement} rewrites the table`);
    }
  });

  test('the fix adds the column plainly and sets the default for new rows; it rewrites nothing', async () => {
    const [f] = await lintWith(rule, 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid() NOT NULL;');
    assert.equal(f!.fix!.sql, 'ALTER TABLE orders ADD COLUMN token uuid;\nALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();');
    assert.match(f!.fix!.note!, /fill them in batches .* Then make it NOT NULL without a long lock/);
    await assertParses(f!.fix!.sql);
    const db = await useSchema('CREATE TABLE orders (id bigint PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100);');
    const before = await filenode(db);
    await execStatements(db, f!.fix!.sql);
    assert.equal(await filenode(db), before);
  });

  test('near misses: a constant or stable default (no rewrite since PostgreSQL 11), a virtual generated column, a new table', async () => {
    const sql = `ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE orders ADD COLUMN status text DEFAULT 'new';
ALTER TABLE orders ADD COLUMN half bigint GENERATED ALWAYS AS (id / 2) VIRTUAL;
CREATE TABLE fresh (id int);
ALTER TABLE fresh ADD COLUMN token uuid DEFAULT gen_random_uuid();`;
    assert.deepEqual(await lintWith(rule, sql), []);
    const db = await useSchema('CREATE TABLE orders (id bigint PRIMARY KEY); INSERT INTO orders SELECT generate_series(1, 100);');
    const before = await filenode(db);
    await execStatements(db, sql.split('\n').slice(0, 3).join('\n'));
    assert.equal(await filenode(db), before, 'none of these rewrites the table');
  });

  test('a function of the schema declared VOLATILE counts; size raises the severity', async () => {
    const schema = await sizedSnapshotOf(
      `CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT md5(random()::text) $$;
CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;`,
      { orders: { tableBytes: 8 * GB, totalBytes: 12 * GB, rows: 50_000_000 } },
    );
    const findings = await lintWith(rule, 'ALTER TABLE orders ADD COLUMN code text DEFAULT next_code();\nALTER TABLE orders ADD COLUMN other text DEFAULT fixed_code();', { schema });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.severity, 'error');
    assert.match(findings[0]!.message, /\(here it rewrites 12 GB \(50 million rows\) with its indexes\)/);
  });
});
