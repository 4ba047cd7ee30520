import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/workers-not-launched.js';
import { explainDatabase } from '../../support/explain.js';

const SETUP = `CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 100000) g; ANALYZE t;`;
const PARALLEL = { parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0', max_parallel_workers_per_gather: '2' };
const QUERY = 'SELECT count(*) FROM t WHERE id % 7 = 0';

describe('workers-not-launched', () => {
  test('fires when no worker slot is free (max_parallel_workers = 0)', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    const [finding, ...rest] = await db.findings(rule, QUERY, { settings: { ...PARALLEL, max_parallel_workers: '0' } });
    assert.deepEqual(rest, []);
    assert.equal(finding!.object.name, 'Gather');
    assert.match(finding!.message, /^Gather launched 0 of the 2 parallel workers planned: no free worker slots were left \(max_parallel_workers = 0, max_worker_processes\), so the leader did all the work alone\.$/);
    assert.deepEqual([finding!.evidence.workersPlanned, finding!.evidence.workersLaunched], [2, 0]);
  });

  test('does not fire when the planned workers start', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    assert.deepEqual(await db.findings(rule, QUERY, { settings: PARALLEL }), []);
  });
});
