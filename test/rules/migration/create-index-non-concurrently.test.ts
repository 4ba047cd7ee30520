import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/migration/create-index-non-concurrently.js';
import { execStatements, snapshotOf, useSchema } from '../../support/embedded.js';
import { assertParses, lintWith } from '../../support/lint.js';
import { GB, sizedSnapshotOf } from '../../support/migration.js';

const PARTITIONED = `CREATE TABLE events (id bigint, kind text, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (kind);
CREATE TABLE events_2025_a PARTITION OF events_2025 FOR VALUES IN ('a');`;

describe('create-index-non-concurrently', () => {
  test('fires on CREATE INDEX without CONCURRENTLY; the fix adds it and parses', async () => {
    const findings = await lintWith(rule, 'CREATE UNIQUE INDEX orders_ref_key ON public.orders USING btree (ref) WHERE ref IS NOT NULL;');
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f!.severity, 'warning');
    assert.equal(f!.category, 'migrations');
    assert.match(f!.message, /^CREATE INDEX on public\.orders takes a SHARE lock, which blocks writes \(reads go on\) until the index is built\. Build it with CREATE INDEX CONCURRENTLY\.$/);
    assert.equal(f!.evidence.lock, 'SHARE');
    assert.equal(f!.evidence.blocks, 'writes (reads go on)');
    assert.deepEqual(f!.location, { file: 'q.sql', line: 1, column: 39 });
    assert.deepEqual(f!.object, { type: 'table', schema: 'public', name: 'orders' });
    assert.equal(f!.fix!.sql, 'CREATE UNIQUE INDEX CONCURRENTLY orders_ref_key ON public.orders USING btree (ref) WHERE ref IS NOT NULL;');
    assert.equal(f!.fix!.safeOnline, true);
    await assertParses(f!.fix!.sql);
  });

  test('near misses: CONCURRENTLY, a table created earlier in the file, ON ONLY (the per-partition first step)', async () => {
    const sql = `CREATE INDEX CONCURRENTLY ON orders (ref);
CREATE TABLE fresh (id bigint, ref text);
CREATE INDEX ON fresh (ref);
CREATE INDEX events_kind_idx ON ONLY events (kind);`;
    assert.deepEqual(await lintWith(rule, sql), []);
  });

  test('a large table makes it an error with the estimate; a small one information', async () => {
    const schema = await sizedSnapshotOf('CREATE TABLE orders (id bigint, ref text); CREATE TABLE tags (id int, name text);', {
      orders: { tableBytes: 12 * GB, totalBytes: 20 * GB, rows: 40_000_000 },
      tags: { tableBytes: 64 * 1024, rows: 500 },
    });
    const findings = await lintWith(rule, 'CREATE INDEX ON orders (ref);\nCREATE INDEX ON tags (name);', { schema });
    assert.deepEqual(findings.map((f) => f.severity), ['error', 'info']);
    assert.match(findings[0]!.message, /until the index is built \(here it reads 12 GB \(40 million rows\)\)\./);
    assert.equal(findings[0]!.evidence.rowEstimate, 40_000_000);
    assert.equal(findings[0]!.evidence.estimate, 'reads 12 GB (40 million rows)');
    const custom = await lintWith(rule, 'CREATE INDEX ON orders (ref);', { schema, options: { largeTableBytes: 100 * GB, largeTableRows: 1e9 } });
    assert.equal(custom[0]!.severity, 'warning');
  });

  test('a partitioned table gets the per-partition script, which works on PostgreSQL', async () => {
    const schema = await snapshotOf(PARTITIONED);
    const findings = await lintWith(rule, 'CREATE INDEX events_kind_idx ON events (kind);\nCREATE INDEX CONCURRENTLY ON events (id);', { schema });
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message, /^CREATE INDEX on partitioned table events builds the index on every partition/);
    assert.equal(findings[0]!.object.type, 'partitioned table');
    assert.equal(
      findings[0]!.fix!.sql,
      [
        'CREATE INDEX events_kind_idx ON ONLY public.events (kind);',
        'CREATE INDEX CONCURRENTLY events_2024_kind_idx ON public.events_2024 (kind);',
        'ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2024_kind_idx;',
        'CREATE INDEX events_2025_kind_idx ON ONLY public.events_2025 (kind);',
        'CREATE INDEX CONCURRENTLY events_2025_a_kind_idx ON public.events_2025_a (kind);',
        'ALTER INDEX public.events_2025_kind_idx ATTACH PARTITION public.events_2025_a_kind_idx;',
        'ALTER INDEX public.events_kind_idx ATTACH PARTITION public.events_2025_kind_idx;',
      ].join('\n'),
    );
    assert.equal(findings[1]!.severity, 'error');
    assert.match(findings[1]!.message, /^CREATE INDEX CONCURRENTLY fails on events: it is a partitioned table/);
    const db = await useSchema(PARTITIONED);
    await execStatements(db, findings[0]!.fix!.sql);
    await execStatements(db, findings[1]!.fix!.sql);
    const [valid] = await db.query<{ valid: boolean }>("SELECT bool_and(indisvalid) AS valid FROM pg_index WHERE indexrelid IN ('events_kind_idx'::regclass, 'events_id_idx'::regclass)");
    assert.equal(valid!.valid, true, 'the parent indexes are valid once every partition is attached');
  });
});
