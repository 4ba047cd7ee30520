/**
 * Bloat: the estimates' arithmetic on known figures, then on the real server a table and an index
 * emptied by a mass delete, found by the estimate (from pg_stats, reading no table) and measured the
 * same with pgstattuple (--exact); a freshly loaded table is the near miss.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateIndexBloat, estimateTableBloat } from '../../src/health/bloat.js';
import { health } from '../../src/health/health.js';
import type { HealthResult } from '../../src/health/result.js';
import { liveDatabase } from '../support/live.js';
import { withOptions } from './live-sessions.js';

const BLOCK = 8192;

describe('bloat estimates', () => {
  test('a table: tuple header, data, alignment, line pointer, fillfactor', () => {
    // Two int columns, no nulls: MAXALIGN(23) + 8 = 32, + 4 for the line pointer: 36 bytes; 8,168 / 36 = 226 rows a page.
    const base = { schema: 'public', name: 't', rows: 1000, toastPages: 0, toastRows: 0, fillfactor: 100, columns: 2, columnsWithStats: 2, dataWidth: 8, hasNulls: false };
    const estimate = estimateTableBloat({ ...base, pages: 50 }, BLOCK);
    assert.ok(estimate.ok);
    assert.deepEqual([estimate.bloat.expectedBytes, estimate.bloat.wastedBytes, estimate.bloat.ratio], [5 * BLOCK, 45 * BLOCK, 0.9]);
    // At fillfactor 50 the same rows need twice the pages, and that is not waste.
    const half = estimateTableBloat({ ...base, pages: 10, fillfactor: 50 }, BLOCK);
    assert.ok(half.ok);
    assert.deepEqual([half.bloat.expectedBytes, half.bloat.wastedBytes], [9 * BLOCK, BLOCK]);
    const never = estimateTableBloat({ ...base, pages: 50, rows: -1 }, BLOCK);
    assert.deepEqual(never, { ok: false, reason: 'never vacuumed or analysed: no row count' });
    assert.deepEqual(estimateTableBloat({ ...base, pages: 50, columnsWithStats: 0 }, BLOCK), { ok: false, reason: 'no column statistics (never analysed, or not readable by this role)' });
  });

  test('a B-tree index: tuple header, key width, special space, fillfactor 90, metapage', () => {
    // One int key: MAXALIGN(8 + 4) + 4 = 20 bytes; (8,192 - 40) × 0.9 / 20 = 366 entries a page.
    const estimate = estimateIndexBloat({ schema: 'public', table: 't', name: 't_pkey', pages: 100, rows: 10_000, fillfactor: 90, columns: 1, columnsWithStats: 1, dataWidth: 4, hasNulls: false }, BLOCK);
    assert.ok(estimate.ok);
    assert.equal(estimate.bloat.expectedBytes, (Math.ceil(10_000 / 366) + 1) * BLOCK);
    assert.equal(estimate.bloat.ratio, 0.71);
  });
});

describe('bloat on a live server', () => {
  const SETUP = `
    CREATE TABLE emptied (id int PRIMARY KEY, v text);
    INSERT INTO emptied SELECT g, md5(g::text) FROM generate_series(1, 200000) g;
    DELETE FROM emptied WHERE id % 10 <> 0;
    CREATE TABLE fresh (id int PRIMARY KEY, v text);
    INSERT INTO fresh SELECT g, md5(g::text) FROM generate_series(1, 200000) g;`;
  const OPTIONS = withOptions({ 'table-bloat': { minWastedBytes: 1024 * 1024 }, 'index-bloat': { minWastedBytes: 1024 * 1024 } });
  const bloated = (result: HealthResult) => result.findings.filter((f) => f.category === 'bloat').map((f) => [f.rule, f.object.name, f.evidence.method]);

  test('estimated from statistics, then measured with pgstattuple: the same relations, about the same waste', async (t) => {
    const db = await liveDatabase(t, SETUP);
    if (!db) return;
    await db.admin('VACUUM ANALYZE emptied');
    await db.admin('VACUUM ANALYZE fresh');

    const estimated = await health({ connection: { url: db.url }, env: {}, only: ['table-bloat', 'index-bloat'], config: OPTIONS });
    assert.equal(estimated.bloatMethod, 'estimate');
    assert.deepEqual(bloated(estimated), [
      ['table-bloat', 'emptied', 'estimate'],
      ['index-bloat', 'emptied_pkey', 'estimate'],
    ]);

    // Without the extension, --exact falls back to the estimates and says so.
    const noExtension = await health({ connection: { url: db.url }, env: {}, only: ['table-bloat'], config: OPTIONS, exact: true });
    assert.equal(noExtension.bloatMethod, 'estimate');
    assert.match(noExtension.notices.join('\n'), /--exact: pgstattuple is not installed in this database \(CREATE EXTENSION pgstattuple\)/);

    await db.admin('CREATE EXTENSION pgstattuple');
    const measured = await health({ connection: { url: db.url }, env: {}, only: ['table-bloat', 'index-bloat'], config: OPTIONS, exact: true });
    assert.equal(measured.bloatMethod, 'pgstattuple');
    assert.deepEqual(bloated(measured), [
      ['table-bloat', 'emptied', 'pgstattuple'],
      ['index-bloat', 'emptied_pkey', 'pgstattuple'],
    ]);
    for (const rule of ['table-bloat', 'index-bloat']) {
      const e = estimated.findings.find((f) => f.rule === rule)!.evidence.ratio as number;
      const m = measured.findings.find((f) => f.rule === rule)!.evidence.ratio as number;
      assert.ok(e > 0.8 && m > 0.8 && Math.abs(e - m) < 0.1, `${rule}: estimated ${e}, measured ${m}`);
    }
    assert.match(measured.checks.find((c) => c.rule === 'table-bloat')!.examined, /^\d+ tables of 1 MB or more measured with pgstattuple \(each one read in full\)$/);
  });
});
