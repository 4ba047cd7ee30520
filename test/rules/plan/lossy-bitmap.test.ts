import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/lossy-bitmap.js';
import { explainDatabase } from '../../support/explain.js';

/** Matching rows on every one of thousands of pages: a bitmap too big for 64kB goes lossy. */
const SETUP = `
  CREATE TABLE items (id int, bucket int, padding text);
  INSERT INTO items SELECT g, g % 100, repeat('x', 200) FROM generate_series(1, 100000) g;
  CREATE INDEX items_bucket_idx ON items (bucket);
  ANALYZE items;`;
const BITMAP = { enable_seqscan: 'off', enable_indexscan: 'off', max_parallel_workers_per_gather: '0' };
const QUERY = 'SELECT count(*) FROM items WHERE bucket < 50';

describe('lossy-bitmap', () => {
  test('fires on a bitmap heap scan that went lossy under a tiny work_mem; the proposed work_mem keeps it exact', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [finding, ...rest] = await db.findings(rule, QUERY, { settings: { ...BITMAP, work_mem: '64kB' } });
    assert.deepEqual(rest, []);
    assert.equal(finding!.object.name, 'Bitmap Heap Scan on items');
    assert.match(finding!.message, /kept [\d,]+ of [\d,]+ pages lossy because its bitmap did not fit in work_mem \(64kB\), and rechecked every row on them, discarding [\d,]+; with work_mem = '4MB' the bitmap would stay exact\./);
    assert.ok((finding!.evidence.lossyHeapBlocks as number) > 0);
    assert.deepEqual(await db.findings(rule, QUERY, { settings: { ...BITMAP, work_mem: finding!.evidence.proposedWorkMem as string } }), []);
  });
});
