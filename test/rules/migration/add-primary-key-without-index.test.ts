import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/add-primary-key-without-index.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';
import { GB, sizedSnapshotOf } from '../../support/migration.js';

describe('add-primary-key-without-index', () => {
  test('fires on ADD PRIMARY KEY; the fix builds the index CONCURRENTLY, then makes it the key, on PostgreSQL', async () => {
    const schema = await snapshotOf('CREATE TABLE audit (id bigint NOT NULL, at timestamptz);');
    const findings = await lintWith(rule, 'ALTER TABLE audit ADD PRIMARY KEY (id);', { schema });
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.match(f!.message, /^ADD PRIMARY KEY \(id\) on audit builds its unique index by reading every row under an ACCESS EXCLUSIVE lock/);
    assert.equal(f!.fix!.sql, 'CREATE UNIQUE INDEX CONCURRENTLY audit_pkey ON audit (id);\nALTER TABLE audit ADD CONSTRAINT audit_pkey PRIMARY KEY USING INDEX audit_pkey;');
    assert.doesNotMatch(f!.fix!.note!, /nullable/);
    await assertParses(f!.fix!.sql);
    const db = await useSchema('CREATE TABLE audit (id bigint NOT NULL, at timestamptz); INSERT INTO audit VALUES (1, now());');
    await execStatements(db, f!.fix!.sql);
    const [key] = await db.query<{ contype: string }>("SELECT contype FROM pg_constraint WHERE conname = 'audit_pkey'");
    assert.equal(key!.contype, 'p');
  });

  test('a nullable key column is named in the note (the key then sets NOT NULL, which scans)', async () => {
    const schema = await snapshotOf('CREATE TABLE audit (id bigint, at timestamptz);');
    const [f] = await lintWith(rule, 'ALTER TABLE audit ADD CONSTRAINT audit_pk PRIMARY KEY (id);', { schema });
    assert.match(f!.fix!.note!, /id is nullable: ADD PRIMARY KEY USING INDEX then sets NOT NULL/);
  });

  test('near misses: PRIMARY KEY USING INDEX, UNIQUE, a new table', async () => {
    const sql = `ALTER TABLE audit ADD CONSTRAINT audit_pkey PRIMARY KEY USING INDEX audit_id_idx;
ALTER TABLE audit ADD UNIQUE (id);
CREATE TABLE fresh (id int);
ALTER TABLE fresh ADD PRIMARY KEY (id);`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('size: a large table is an error', async () => {
    const schema = await sizedSnapshotOf('CREATE TABLE audit (id bigint NOT NULL);', { audit: { tableBytes: 20 * GB, rows: 300_000_000 } });
    const [f] = await lintWith(rule, 'ALTER TABLE audit ADD PRIMARY KEY (id);', { schema });
    assert.equal(f!.severity, 'error');
    assert.equal(f!.evidence.estimate, 'reads 20 GB (300 million rows)');
  });
});
