import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/index-only-heap-fetches.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { explainDatabase, type ExplainDatabase } from '../../support/explain.js';

/** Never vacuumed: the visibility map is empty, so every row is fetched from the table. */
const SETUP = `
  CREATE TABLE readings (id int, value int) WITH (autovacuum_enabled = false);
  INSERT INTO readings SELECT g, g FROM generate_series(1, 50000) g;
  CREATE INDEX readings_id_idx ON readings (id);`;
const INDEX_ONLY = { enable_seqscan: 'off', enable_bitmapscan: 'off', max_parallel_workers_per_gather: '0' };
const QUERY = 'SELECT id FROM readings WHERE id < 40000';

/**
 * VACUUM marks pages all-visible only when no snapshot in the database can still need older row
 * versions; autovacuum analyzing the catalogs of a database just created can hold one for a moment,
 * so the fix is repeated until the visibility map covers the table.
 */
async function applyVacuum(db: ExplainDatabase, sql: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    await db.admin(sql);
    const [row] = await db.query<{ done: boolean }>("SELECT relallvisible >= relpages AS done FROM pg_class WHERE relname = 'readings'");
    if (row!.done) return;
    await sleep(200);
  }
  assert.fail('VACUUM never set the visibility map');
}

describe('index-only-heap-fetches', () => {
  test('fires on an index-only scan of a table never vacuumed; VACUUM removes it', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    await db.admin('ANALYZE readings');
    const findings = await db.findings(rule, QUERY, { settings: INDEX_ONLY });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Index Only Scan using readings_id_idx on readings');
    assert.match(finding!.message, /fetched 39,999 of its 39,999 rows from the table \(100%\): the visibility map of readings is out of date/);
    assert.equal(finding!.evidence.heapFetches, 39999);
    assert.equal(finding!.fix!.sql, 'VACUUM (ANALYZE) public.readings;');
    await applyVacuum(db, finding!.fix!.sql);
    assert.deepEqual(await db.findings(rule, QUERY, { settings: INDEX_ONLY }), []);
  });

  test('Heap Fetches is a total over all loops', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    await db.admin('ANALYZE readings');
    const [finding] = await db.findings(rule, 'SELECT r.id FROM generate_series(1, 400) g JOIN readings r ON r.id BETWEEN g * 10 AND g * 10 + 9', {
      settings: { ...INDEX_ONLY, enable_hashjoin: 'off', enable_mergejoin: 'off', enable_memoize: 'off' },
    });
    assert.equal(finding!.evidence.heapFetches, 4000);
    assert.equal(finding!.evidence.rows, 4000);
  });
});
