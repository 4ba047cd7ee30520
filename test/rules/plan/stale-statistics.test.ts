import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explainPlanText } from '../../../src/explain/explain.js';
import rule from '../../../src/rules/plan/stale-statistics.js';
import { explainDatabase, FLUSH_STATS } from '../../support/explain.js';

const SETUP = `CREATE TABLE events (id int) WITH (autovacuum_enabled = false); INSERT INTO events SELECT generate_series(1, 1000);`;
const QUERY = 'SELECT count(*) FROM events WHERE id > 10';

describe('stale-statistics', () => {
  test('fires on a table that grew fifty times since ANALYZE; ANALYZE removes it', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    // Separate sessions: the inserts after ANALYZE count as changes since it.
    await db.admin(`ANALYZE events; ${FLUSH_STATS}`);
    await db.admin(`INSERT INTO events SELECT generate_series(1, 50000); ${FLUSH_STATS}`);
    const findings = await db.findings(rule, QUERY);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Seq Scan on events');
    assert.match(finding!.message, /^Table public\.events had 50,000 rows inserted, updated or deleted since it was last analyzed \(98% of its 51,000 rows\): the planner's estimates for it are stale\.$/);
    assert.equal(finding!.evidence.modsSinceAnalyze, 50000);
    assert.equal(finding!.fix!.sql, 'ANALYZE public.events;');
    await db.admin(`${finding!.fix!.sql} ${FLUSH_STATS}`);
    assert.deepEqual(await db.findings(rule, QUERY), []);
  });

  test('does not fire on a table analyzed after its last changes', async (t) => {
    const db = await explainDatabase(t, SETUP);
    if (!db) return;
    await db.admin(`ANALYZE events; ${FLUSH_STATS}`);
    assert.deepEqual(await db.findings(rule, QUERY), []);
  });

  test('is skipped, with the reason, on a plan file given without a server or snapshot', async () => {
    const result = await explainPlanText('Seq Scan on events  (cost=0.00..1.00 rows=1 width=4) (actual time=0.1..0.2 rows=1 loops=1)', { rules: [rule] });
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.skipped, [{ rule: 'stale-statistics', reason: 'needs the tables the plan reads (statistics, columns, indexes): give a database (-d) or a snapshot (--snapshot)' }]);
  });
});
