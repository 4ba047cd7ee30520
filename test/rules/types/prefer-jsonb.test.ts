import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/prefer-jsonb.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('prefer-jsonb', () => {
  test('fires on json columns, and the fix converts the documents', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE webhooks (id bigint PRIMARY KEY, payload json NOT NULL, attempts json[]);
       INSERT INTO webhooks VALUES (1, '{"b": 1, "a": [2]}', ARRAY['{"ok": true}'::json]);`,
    );
    assert.equal(findings.length, 2);
    assert.deepEqual(findings[1]!.object, { type: 'column', schema: 'public', table: 'webhooks', name: 'payload', column: 'payload' });
    assert.match(findings[1]!.message, /public\.webhooks\.payload is json/);
    assert.equal(findings[1]!.fix!.sql, 'ALTER TABLE public.webhooks ALTER COLUMN payload TYPE jsonb USING payload::jsonb;');
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    const [row] = await db.query<{ a: string }>(`SELECT payload->>'b' AS a FROM webhooks WHERE payload @> '{"a": [2]}'`);
    assert.equal(row!.a, '1');
  });

  test('does not fire on jsonb or text, nor on a view returning json', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE docs (body jsonb, raw text);
       CREATE VIEW docs_json AS SELECT body::json AS body FROM docs;`,
    );
    assert.deepEqual(findings, []);
  });
});
