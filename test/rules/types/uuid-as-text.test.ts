import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/uuid-as-text.js';
import { currentSnapshot, execStatements, findingsAfterFixes, findingsFor, findingsOn, sharedEmbedded } from '../../support/embedded.js';

describe('uuid-as-text', () => {
  test('fires on a text column named *_uuid and on a text column with a UUID default; the fix converts them', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE devices (id text PRIMARY KEY DEFAULT gen_random_uuid()::text, external_uuid varchar(40), name text);
       INSERT INTO devices (external_uuid) VALUES ('0b8f5c2e-63a4-4f5e-9d7b-3c1e2a4b5c6d');`,
    );
    assert.deepEqual(
      findings.map((f) => [f.object.name, f.evidence.signal]),
      [
        ['external_uuid', 'its name'],
        ['id', 'its default generates UUIDs'],
      ],
    );
    assert.deepEqual(findings[0]!.object, { type: 'column', schema: 'public', table: 'devices', name: 'external_uuid', column: 'external_uuid' });
    assert.match(findings[0]!.message, /public\.devices\.external_uuid is character varying\(40\) but holds UUIDs/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public.devices ALTER COLUMN external_uuid TYPE uuid USING external_uuid::uuid;');
    assert.equal(
      findings[1]!.fix!.sql,
      [
        'DO $fix$',
        'BEGIN',
        '  ALTER TABLE public.devices ALTER COLUMN id DROP DEFAULT;',
        '  ALTER TABLE public.devices ALTER COLUMN id TYPE uuid USING id::uuid;',
        '  ALTER TABLE public.devices ALTER COLUMN id SET DEFAULT gen_random_uuid();',
        'END',
        '$fix$;',
      ].join('\n'),
    );
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    const [row] = await db.query<{ type: string }>("INSERT INTO devices (name) VALUES ('new') RETURNING pg_typeof(id)::text AS type");
    assert.equal(row!.type, 'uuid');
  });

  test('converts a 36-character key together with the foreign keys that reference it', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE accounts (id varchar(36) PRIMARY KEY);
       CREATE TABLE members (account_id varchar(36) NOT NULL REFERENCES accounts ON DELETE CASCADE, "ownerId" char(36) REFERENCES accounts (id));
       INSERT INTO accounts VALUES ('0b8f5c2e-63a4-4f5e-9d7b-3c1e2a4b5c6d');
       INSERT INTO members VALUES ('0b8f5c2e-63a4-4f5e-9d7b-3c1e2a4b5c6d', '0b8f5c2e-63a4-4f5e-9d7b-3c1e2a4b5c6d');`,
    );
    assert.deepEqual(
      findings.map((f) => [`${f.object.table}.${f.object.name}`, f.fix === null]),
      [
        ['accounts.id', false],
        ['members.account_id', true],
        ['members.ownerId', true],
      ],
    );
    assert.deepEqual(findings[0]!.evidence.referencedBy, ['public.members.account_id', 'public.members.ownerId']);
    assert.match(String(findings[1]!.evidence.noFix), /converted by the fix of that column/);
    assert.match(findings[0]!.fix!.sql, /ALTER TABLE public\.members ADD CONSTRAINT members_account_id_fkey FOREIGN KEY \(account_id\) REFERENCES public\.accounts\(id\) ON DELETE CASCADE;/);
    await execStatements(await sharedEmbedded(), findings[0]!.fix!.sql);
    assert.deepEqual(await findingsOn(await currentSnapshot(), rule), []);
    const db = await sharedEmbedded();
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM members JOIN accounts ON accounts.id = members."ownerId"');
    assert.equal(row!.n, 1);
    await db.exec('DELETE FROM accounts');
    const [left] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM members');
    assert.equal(left!.n, 0);
  });

  test('does not fire on uuid columns, ordinary text ids, nor names that only contain "uuid"', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE TABLE ok (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id varchar(40), code char(36), uuid_format text, slug text);`,
    );
    assert.deepEqual(findings, []);
  });
});
