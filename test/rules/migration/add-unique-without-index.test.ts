import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/add-unique-without-index.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';

const PARTITIONED = `CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');`;

describe('add-unique-without-index', () => {
  test('fires on ADD UNIQUE; the fix builds the index CONCURRENTLY, then adds the constraint USING INDEX, on PostgreSQL', async () => {
    const findings = await lintWith(rule, 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email) INCLUDE (id) DEFERRABLE;');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.match(f!.message, /^ADD UNIQUE \(email\) on users builds its unique index by reading every row under an ACCESS EXCLUSIVE lock, which blocks reads and writes until the index is built\. Build the index with CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT users_email_key UNIQUE USING INDEX/);
    assert.equal(f!.evidence.lock, 'ACCESS EXCLUSIVE');
    assert.equal(
      f!.fix!.sql,
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email) INCLUDE (id);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key DEFERRABLE;',
    );
    await assertParses(f!.fix!.sql);
    const db = await useSchema("CREATE TABLE users (id int, email text); INSERT INTO users VALUES (1, 'a@b.c');");
    await execStatements(db, f!.fix!.sql);
    const [constraint] = await db.query<{ contype: string }>("SELECT contype FROM pg_constraint WHERE conname = 'users_email_key'");
    assert.equal(constraint!.contype, 'u');
  });

  test('near misses: USING INDEX, a table created earlier in the file, UNIQUE in CREATE TABLE, CREATE UNIQUE INDEX CONCURRENTLY', async () => {
    const sql = `CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
CREATE TABLE fresh (code text UNIQUE);
ALTER TABLE fresh ADD UNIQUE (code);`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('a UNIQUE new column is reported without a fix', async () => {
    const [f] = await lintWith(rule, 'ALTER TABLE users ADD COLUMN handle text UNIQUE;');
    assert.match(f!.message, /Add the column first, then CREATE UNIQUE INDEX CONCURRENTLY on it/);
    assert.equal(f!.fix, null);
  });

  test('a partitioned table: each partition gets its index and constraint, then the parent adopts them, on PostgreSQL', async () => {
    const schema = await snapshotOf(PARTITIONED);
    const [f] = await lintWith(rule, 'ALTER TABLE events ADD CONSTRAINT events_id_at_key UNIQUE (id, at);', { schema });
    assert.equal(
      f!.fix!.sql,
      [
        'CREATE UNIQUE INDEX CONCURRENTLY events_2024_id_at_key ON public.events_2024 (id, at);',
        'ALTER TABLE public.events_2024 ADD CONSTRAINT events_2024_id_at_key UNIQUE USING INDEX events_2024_id_at_key;',
        'CREATE UNIQUE INDEX CONCURRENTLY events_2025_id_at_key ON public.events_2025 (id, at);',
        'ALTER TABLE public.events_2025 ADD CONSTRAINT events_2025_id_at_key UNIQUE USING INDEX events_2025_id_at_key;',
        'ALTER TABLE events ADD CONSTRAINT events_id_at_key UNIQUE (id, at);',
      ].join('\n'),
    );
    const db = await useSchema(PARTITIONED);
    await execStatements(db, f!.fix!.sql);
    const adopted = await db.query<{ conname: string }>("SELECT conname FROM pg_constraint WHERE conparentid <> 0 ORDER BY conname");
    assert.deepEqual(adopted.map((r) => r.conname), ['events_2024_id_at_key', 'events_2025_id_at_key'], 'the partitions\' constraints were adopted, no index was built twice');
  });
});
