import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/types/prefer-gen-random-uuid.js';
import { findingsAfterFixes, findingsFor, sharedEmbedded } from '../../support/embedded.js';

describe('prefer-gen-random-uuid', () => {
  test('fires on a uuid_generate_v4() default, and the fix swaps in gen_random_uuid()', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE EXTENSION "uuid-ossp";
       CREATE TABLE sessions (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), token text DEFAULT (public.uuid_generate_v4())::text);`,
    );
    assert.equal(findings.length, 2);
    assert.equal(findings[0]!.severity, 'info');
    assert.deepEqual(findings[0]!.object, { type: 'column', schema: 'public', table: 'sessions', name: 'id', column: 'id' });
    assert.match(findings[0]!.message, /public\.sessions\.id defaults to uuid_generate_v4\(\) from the uuid-ossp extension/);
    assert.equal(findings[0]!.fix!.sql, 'ALTER TABLE public.sessions ALTER COLUMN id SET DEFAULT gen_random_uuid();');
    assert.equal(findings[0]!.fix!.safeOnline, true);
    assert.match(findings[1]!.fix!.sql, /SET DEFAULT \(gen_random_uuid\(\)\)::text;$/);
    assert.deepEqual(await findingsAfterFixes(rule, findings), []);
    const db = await sharedEmbedded();
    await db.exec('DROP EXTENSION "uuid-ossp"');
    const [row] = await db.query<{ ok: boolean }>('INSERT INTO sessions DEFAULT VALUES RETURNING length(token) = 36 AS ok');
    assert.equal(row!.ok, true);
  });

  test('does not fire on gen_random_uuid() nor on other uuid-ossp functions', async () => {
    const findings = await findingsFor(
      rule,
      `CREATE EXTENSION "uuid-ossp";
       CREATE TABLE ids (a uuid DEFAULT gen_random_uuid(), b uuid DEFAULT uuid_generate_v1mc(), c uuid);`,
    );
    assert.deepEqual(findings, []);
  });
});
