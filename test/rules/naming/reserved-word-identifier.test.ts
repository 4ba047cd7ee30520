import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/naming/reserved-word-identifier.js';
import { findingsAfterFixes, findingsFor, useSchema } from '../../support/embedded.js';

describe('reserved-word-identifier', () => {
  test('fires on keyword tables and columns, and the renames apply and remove them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE "user" (id int PRIMARY KEY, "group" text);
       CREATE TABLE "order" (id int PRIMARY KEY, "user" int REFERENCES "user", "end" timestamptz, "left" boolean, "int" int);`,
    );
    assert.deepEqual(
      findings.map((f) => [f.object.type, f.object.table ?? '', f.object.name, f.evidence.suggestedName]),
      [
        ['table', '', 'order', 'orders'],
        ['column', 'order', 'end', 'end_at'],
        ['column', 'order', 'int', 'order_int'],
        ['column', 'order', 'left', 'is_left'],
        ['column', 'order', 'user', 'user_id'],
        ['table', '', 'user', 'app_user'],
        ['column', 'user', 'group', 'group_name'],
      ],
    );
    assert.match(findings[0]!.message, /Table public\.order is named with the SQL keyword "order" \(reserved\)/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public."order" RENAME TO orders;');
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE public.orders RENAME COLUMN "end" TO end_at;');
    assert.equal(findings[3]!.evidence.keywordCategory, 'type-function-name');
    assert.equal(findings[2]!.evidence.keywordCategory, 'column-name');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
  });

  test('does not fire on unreserved keywords, on categories left out, nor on mixed case', async () => {
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE type (name text, value text, key int, "Order" int);'), []);
    assert.deepEqual(await findingsFor(rule, 'CREATE TABLE t ("int" int, "position" int);', { categories: ['reserved'] }), []);
  });

  test('every keyword of the engine is lower-case letters and underscores (the lookup skips other names)', async () => {
    const db = await useSchema('');
    assert.deepEqual(await db.query("SELECT word FROM pg_get_keywords() WHERE word !~ '^[a-z_]+$'"), []);
  });
});
