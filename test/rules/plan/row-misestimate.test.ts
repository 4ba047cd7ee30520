import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import rule from '../../../src/rules/plan/row-misestimate.js';
import { explainDatabase } from '../../support/explain.js';

/** city and zip always go together: the planner multiplies their selectivities as if independent. */
const ADDRESSES = `
  CREATE TABLE addresses (id int, city text, zip text);
  INSERT INTO addresses SELECT g, 'city' || (g % 20), 'zip' || (g % 20) FROM generate_series(1, 200000) g;`;
const SERIAL = { max_parallel_workers_per_gather: '0' };

describe('row-misestimate', () => {
  test('fires on correlated columns with CREATE STATISTICS naming them; the statistics fix the estimate', async (t) => {
    const db = await explainDatabase(t, ADDRESSES);
    if (!db) return;
    await db.admin('ANALYZE addresses');
    const query = `SELECT count(*) FROM addresses WHERE city = 'city1' AND zip = 'zip1'`;
    const findings = await db.findings(rule, query, { settings: SERIAL });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding!.object.name, 'Seq Scan on addresses');
    assert.match(finding!.message, /^Seq Scan on addresses returned 10,000 rows where the planner estimated \d+ \(underestimated \d+×\)\. Its conditions test city, zip of addresses together/);
    assert.deepEqual(finding!.evidence.correlatedColumns, ['city', 'zip']);
    assert.equal(finding!.evidence.direction, 'under');
    assert.ok((finding!.evidence.factor as number) >= 10);
    assert.equal(
      finding!.fix!.sql,
      'CREATE STATISTICS public.addresses_city_zip_stats (dependencies, ndistinct, mcv) ON city, zip FROM public.addresses;\nANALYZE public.addresses;',
    );
    // Only the scan is reported, not the aggregate above it that inherits the estimate.
    await db.admin(finding!.fix!.sql);
    assert.deepEqual(await db.findings(rule, query, { settings: SERIAL }), []);
  });

  test('does not fire on a well estimated condition, nor on rows a LIMIT stopped reading', async (t) => {
    const db = await explainDatabase(t, ADDRESSES);
    if (!db) return;
    await db.admin('ANALYZE addresses');
    assert.deepEqual(await db.findings(rule, `SELECT count(*) FROM addresses WHERE city = 'city1'`, { settings: SERIAL }), []);
    assert.deepEqual(await db.findings(rule, `SELECT * FROM addresses WHERE zip <> 'x' LIMIT 5`, { settings: SERIAL }), []);
  });

  test('a cast column has no statistics: the finding says so and proposes no statistics', async (t) => {
    const db = await explainDatabase(t, `CREATE TABLE n (id int PRIMARY KEY); INSERT INTO n SELECT generate_series(1, 300000);`);
    if (!db) return;
    await db.admin('ANALYZE n');
    const [finding] = await db.findings(rule, `SELECT * FROM n WHERE id::numeric = 10`, { settings: SERIAL });
    assert.match(finding!.message, /casts id to another type, and the planner has no statistics for the cast value/);
    assert.equal(finding!.fix, null);
  });
});
