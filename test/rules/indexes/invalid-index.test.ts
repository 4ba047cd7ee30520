import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EmbeddedDb } from '../../../src/db/embedded-db.js';
import invalidIndex from '../../../src/rules/indexes/invalid-index.js';
import { currentSnapshot, findingsAfterFixes, findingsFor, findingsOn, useSchema } from '../../support/embedded.js';

/** Loads `sql`, then runs `failing`, which must fail and leave an invalid index behind. */
async function withFailedBuild(sql: string, failing: string): Promise<EmbeddedDb> {
  const db = await useSchema(sql);
  await assert.rejects(db.exec(failing), /could not create unique index/);
  return db;
}

describe('invalid-index', () => {
  test('fires on a failed CREATE UNIQUE INDEX CONCURRENTLY; once duplicates are gone the rebuild removes it', async () => {
    const db = await withFailedBuild(
      `CREATE TABLE users (id bigint, email text);
       INSERT INTO users VALUES (1, 'a@example.com'), (2, 'a@example.com'), (3, 'b@example.com');`,
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)',
    );
    const findings = await findingsOn(await currentSnapshot(), invalidIndex);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.severity, 'error');
    assert.deepEqual(findings[0]!.object, { type: 'index', schema: 'public', table: 'users', name: 'users_email_key' });
    assert.match(findings[0]!.message, /public\.users\.users_email_key is invalid/);
    assert.equal(
      findings[0]!.fix!.sql,
      'DROP INDEX CONCURRENTLY public.users_email_key;\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON public.users USING btree (email);',
    );
    await db.exec('DELETE FROM users WHERE id = 2');
    assert.deepEqual(await findingsAfterFixes(invalidIndex, findings), []);
    const rebuilt = (await currentSnapshot()).indexes.find((i) => i.name === 'users_email_key');
    assert.equal(rebuilt?.valid, true);
  });

  test('only drops an invalid index that has a valid twin', async () => {
    const db = await withFailedBuild(
      `CREATE TABLE users (id bigint, email text);
       INSERT INTO users VALUES (1, 'a@example.com'), (2, 'a@example.com');`,
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_ccnew ON users (email)',
    );
    await db.exec('DELETE FROM users WHERE id = 2; CREATE UNIQUE INDEX users_email_key ON users (email);');
    const findings = await findingsOn(await currentSnapshot(), invalidIndex);
    assert.equal(findings.length, 1);
    assert.match(findings[0]!.message, /duplicates the valid users_email_key/);
    assert.equal(findings[0]!.fix!.sql, 'DROP INDEX CONCURRENTLY public.users_email_ccnew;');
    assert.deepEqual(await findingsAfterFixes(invalidIndex, findings), []);
  });

  test('names the partitions missing from an invalid partitioned index, without a fix', async () => {
    const findings = await findingsFor(
      invalidIndex,
      `CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
       CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE INDEX events_at ON ONLY events (at);
       CREATE INDEX events_2025_at ON events_2025 (at);
       ALTER INDEX events_at ATTACH PARTITION events_2025_at;`,
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.object.name, 'events_at');
    assert.match(findings[0]!.message, /partitions without a valid index attached to it: public\.events_2026;/);
    assert.deepEqual(findings[0]!.evidence.partitionsWithoutIndex, ['public.events_2026']);
    assert.equal(findings[0]!.fix, null);
  });

  test('does not fire on valid indexes, nor on a partitioned index once every partition is attached', async () => {
    const findings = await findingsFor(
      invalidIndex,
      `CREATE TABLE users (id bigint PRIMARY KEY, email text);
       CREATE INDEX CONCURRENTLY users_email ON users (email);
       CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       CREATE INDEX events_at ON ONLY events (at);
       CREATE INDEX events_2026_at ON events_2026 (at);
       ALTER INDEX events_at ATTACH PARTITION events_2026_at;`,
    );
    assert.deepEqual(findings, []);
  });
});
