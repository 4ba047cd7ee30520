import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/alter-column-type-rewrite.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';
import { GB, withSizes } from '../../support/migration.js';

const SCHEMA = `CREATE TABLE items (id int, name varchar(50), code varchar(20), price numeric(10,2), at timestamp, net cidr, note text, qty int);
INSERT INTO items VALUES (1, 'a', 'b', 1.5, '2024-01-01', '10.0.0.0/8', 'n', 3);`;

/** Whether PostgreSQL rewrites `items` for this ALTER (its file changes), on a fresh copy. */
async function rewrites(statement: string): Promise<boolean> {
  const db = await useSchema(SCHEMA);
  const file = async () => Number((await db.query<{ f: number }>("SELECT pg_relation_filenode('items') AS f"))[0]!.f);
  const before = await file();
  await execStatements(db, statement);
  return (await file()) !== before;
}

describe('alter-column-type-rewrite', () => {
  test('with the schema, it fires exactly on the changes PostgreSQL rewrites the table for', async () => {
    const schema = await snapshotOf(SCHEMA);
    const cases: [string, boolean][] = [
      ['ALTER TABLE items ALTER COLUMN name TYPE varchar(100);', false],
      ['ALTER TABLE items ALTER COLUMN name TYPE text;', false],
      ['ALTER TABLE items ALTER COLUMN name TYPE varchar;', false],
      ['ALTER TABLE items ALTER COLUMN note TYPE varchar;', false],
      ['ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2);', false],
      ['ALTER TABLE items ALTER COLUMN price TYPE numeric;', false],
      ['ALTER TABLE items ALTER COLUMN net TYPE inet;', false],
      ['ALTER TABLE items ALTER COLUMN qty TYPE bigint;', true],
      ['ALTER TABLE items ALTER COLUMN price TYPE numeric(12,3);', true],
      ['ALTER TABLE items ALTER COLUMN note TYPE varchar(10);', true],
      ['ALTER TABLE items ALTER COLUMN name TYPE varchar(10);', true],
      ['ALTER TABLE items ALTER COLUMN qty TYPE text USING qty::text;', true],
    ];
    for (const [statement, rewritten] of cases) {
      const findings = await lintWith(rule, statement, { schema });
      assert.equal(findings.length > 0, rewritten, `the rule on: ${statement}`);
      assert.equal(await rewrites(statement), rewritten, `PostgreSQL on: ${statement}`);
    }
  });

  test('the finding names the lock, the change and the estimate', async () => {
    const schema = withSizes(await snapshotOf(SCHEMA), { items: { tableBytes: 3 * GB, totalBytes: 5 * GB, rows: 30_000_000 } });
    const [f] = await lintWith(rule, 'ALTER TABLE items ALTER COLUMN qty TYPE bigint;', { schema });
    assert.equal(f!.severity, 'error');
    assert.match(f!.message, /^ALTER COLUMN qty TYPE int8 on items changes int4 to int8, which rewrites it: the table and its indexes are rewritten under an ACCESS EXCLUSIVE lock, which blocks reads and writes until it ends \(here it rewrites 5 GB \(30 million rows\) with its indexes\)\. Add a column of the new type instead/);
    assert.deepEqual({ from: f!.evidence.from, to: f!.evidence.to, lock: f!.evidence.lock }, { from: 'int4', to: 'int8', lock: 'ACCESS EXCLUSIVE' });
    assert.equal(f!.fix, null);
  });

  test('shortening a varchar: the fix limits the length with a CHECK instead', async () => {
    const schema = await snapshotOf(SCHEMA);
    const [f] = await lintWith(rule, 'ALTER TABLE items ALTER COLUMN name TYPE varchar(10);', { schema });
    assert.equal(f!.fix!.sql, 'ALTER TABLE items ADD CONSTRAINT items_name_length_check CHECK (char_length(name) <= 10) NOT VALID;\nALTER TABLE items VALIDATE CONSTRAINT items_name_length_check;');
    const db = await useSchema(SCHEMA);
    await execStatements(db, f!.fix!.sql);
  });

  test('timestamp to timestamptz: safe only with the session in UTC, which the fix sets', async () => {
    const schema = await snapshotOf(SCHEMA);
    const [f] = await lintWith(rule, 'ALTER TABLE items ALTER COLUMN at TYPE timestamptz;', { schema });
    assert.match(f!.message, /rewrites it unless the session's TimeZone is UTC/);
    assert.equal(f!.fix!.sql, "SET timezone = 'UTC';\nALTER TABLE items ALTER COLUMN at TYPE timestamptz;");
    await assertParses(f!.fix!.sql);
    assert.equal(await rewrites(f!.fix!.sql), false);
    assert.equal(await rewrites("SET timezone = 'Europe/Paris';\nALTER TABLE items ALTER COLUMN at TYPE timestamptz;"), true);
    assert.deepEqual(await lintWith(rule, "SET TIME ZONE 'UTC';\nALTER TABLE items ALTER COLUMN at TYPE timestamptz;", { schema }), []);
  });

  test('without a schema: a possible widening is information, anything else a warning; a new table is left alone', async () => {
    const findings = await lintWith(rule, `ALTER TABLE items ALTER COLUMN name TYPE varchar(100);
ALTER TABLE items ALTER COLUMN qty TYPE bigint;
CREATE TABLE fresh (a int);
ALTER TABLE fresh ALTER COLUMN a TYPE bigint;`);
    assert.deepEqual(findings.map((f) => f.severity), ['info', 'warning']);
    assert.match(findings[0]!.message, /rewrites it unless it only widens the old type .* give the schema \(--db\) to know/);
  });
});
