import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/sort-spill.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 100000) g; ANALYZE t;`;
const QUERY = 'SELECT * FROM t ORDER BY v';

describe('sort-spill', () => {
  test('fires on a sort under a tiny work_mem; the proposed work_mem keeps it in memory', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const findings = await db.findings(rule, QUERY, { settings: { work_mem: '64kB', max_parallel_workers_per_gather: '0' } });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Sort');
    assert.match(finding!.message, /^Sort spilled to disk \(external merge, [\d,]+ kB in temporary files\) because the rows did not fit in work_mem \(64kB\); with work_mem = '(\d+MB)' it would sort in memory\.$/);
    assert.equal(finding!.evidence.workMem, '64kB');
    assert.ok((finding!.evidence.tempWrittenBlocks as number) > 0);
    const proposed = finding!.evidence.proposedWorkMem as string;
    assert.equal(finding!.fix!.sql, `SET work_mem = '${proposed}';`);
    assert.deepEqual(await db.findings(rule, QUERY, { settings: { work_mem: proposed, max_parallel_workers_per_gather: '0' } }), []);
  });

  test('does not fire on a sort that fits in memory', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, `SELECT * FROM t WHERE id < 1000 ORDER BY v`), []);
  });
});
