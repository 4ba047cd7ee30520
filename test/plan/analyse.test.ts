/**
 * Derived metrics, as pairs of a captured plan (test/plan/fixtures/<name>.json|txt) and its expected
 * analysis (<name>.<format>.analysis.json, written with PGARCHITECT_UPDATE_FIXTURES=1 and reviewed by
 * hand), plus the rules of the derivation checked on the figures of real plans.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { analysePlan, planNodes, type PlanAnalysis } from '../../src/plan/analyse.js';
import { parsePlan } from '../../src/plan/parse-plan.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const plans = readdirSync(fixtures).filter((f) => /\.(json|txt)$/.test(f) && !f.endsWith('.analysis.json'));

function analyse(file: string): PlanAnalysis {
  return analysePlan(parsePlan(read(file), file).explain);
}

describe('plan analysis: captured plans and their expected analysis', () => {
  for (const file of plans) {
    test(file, () => {
      const expectedFile = new URL(`${file.replace(/\.(json|txt)$/, '.$1')}.analysis.json`, fixtures);
      const actual = analyse(file);
      if (process.env.PGARCHITECT_UPDATE_FIXTURES === '1' || !existsSync(expectedFile)) {
        writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
        if (process.env.PGARCHITECT_UPDATE_FIXTURES !== '1') assert.fail(`wrote ${expectedFile.pathname}: review it and run again`);
      }
      assert.deepEqual(actual, JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});

describe('plan analysis: how figures are derived', () => {
  test('exclusive time is the node time over all loops minus its children, never below zero', () => {
    const a = analyse('nested-loop.txt');
    const [loop, outer, inner] = a.nodes;
    // Index Scan on customers: 0.001 ms (Postgres rounds per-loop times to the microsecond) × 4,999 loops,
    // more than the 4.336 ms of the whole loop: the loop's own time is floored at zero.
    assert.equal(inner!.inclusiveTimeMs, 4.999);
    assert.equal(outer!.inclusiveTimeMs, 0.611);
    assert.equal(loop!.inclusiveTimeMs, 4.336);
    assert.equal(loop!.exclusiveTimeMs, 0);
    assert.equal(inner!.actualRows, 4999);
    assert.equal(inner!.loops, 4999);
    assert.equal(a.totalTimeMs, 4.533);
    assert.equal(inner!.timeShare, Math.round((4.999 / 4.533 > 1 ? 1 : 4.999 / 4.533) * 10000) / 10000);
  });

  test('with one loop per node the shares add up to the whole, less what happens outside nodes', () => {
    const a = analyse('sort-spill.json');
    const shares = a.nodes.reduce((sum, m) => sum + (m.timeShare ?? 0), 0);
    assert.ok(shares <= 1 && shares > 0.9, `shares ${shares}`);
  });

  test('under a Gather the loops ran side by side: time is divided by the processes', () => {
    const explain = parsePlan(read('parallel-hash-join.json')).explain;
    const nodes = planNodes(explain);
    const a = analysePlan(explain);
    const scan = nodes.findIndex((n) => n['Node Type'] === 'Seq Scan' && n['Parallel Aware']);
    const gatherId = nodes.findIndex((n) => n['Node Type'] === 'Gather Merge');
    const processes = nodes[gatherId + 1]!['Actual Loops']!;
    assert.equal(processes, 3);
    assert.equal(a.nodes[scan]!.inclusiveTimeMs, Math.round(nodes[scan]!['Actual Total Time']! * 1000) / 1000);
    assert.equal(a.nodes[scan]!.actualRows, nodes[scan]!['Actual Rows']! * 3);
  });

  test('a SubPlan run per row is taken off its parent; its share shows where the time went', () => {
    const a = analyse('subplan-jit.json');
    const [scan, subplan, inner] = a.nodes;
    assert.equal(subplan!.relationship, 'SubPlan 1');
    assert.ok(scan!.exclusiveTimeMs! < scan!.inclusiveTimeMs! - subplan!.inclusiveTimeMs! + 0.01);
    assert.deepEqual(a.hotPath, [0, 1, 2]);
    assert.ok(inner!.timeShare! > 0.8);
  });

  test("an InitPlan's time is taken off the node that uses its value, not counted twice", () => {
    const explain = parsePlan(read('initplan.txt')).explain;
    const a = analysePlan(explain);
    const labels = a.nodes.map((m) => m.label);
    const scan = labels.indexOf('Index Scan using orders_amount_idx on orders');
    const initPlan2 = a.nodes.findIndex((m) => m.relationship === 'InitPlan 2 (returns $1)');
    const result = a.nodes[initPlan2]!;
    // The Index Scan compares with $1: InitPlan 2's time (0.038 ms) is inside its 0.071 ms.
    assert.equal(a.nodes[scan]!.exclusiveTimeMs, Math.round((0.071 - result.inclusiveTimeMs!) * 1000) / 1000);
    // InitPlan 1 ($0) is used by InitPlan 2's Result.
    assert.ok(result.exclusiveTimeMs! < 0.01);
  });

  test("a CTE's time and buffers are taken off the CTE Scan that reads it", () => {
    const a = analyse('cte-hash-batches.txt');
    const cte = a.nodes.find((m) => m.relationship === 'CTE x')!;
    const scan = a.nodes.find((m) => m.label === 'CTE Scan on x')!;
    assert.equal(cte.inclusiveTimeMs, 2.583);
    assert.equal(scan.exclusiveTimeMs, Math.round((2.68 - 2.583) * 1000) / 1000);
    assert.equal(scan.buffers!.sharedHit, 0);
    assert.equal(cte.buffers!.sharedHit, 315);
  });

  test('nodes never executed have no time and no misestimate', () => {
    const a = analyse('never-executed.txt');
    const never = a.nodes.find((m) => m.loops === 0)!;
    assert.equal(never.exclusiveTimeMs, 0);
    assert.equal(never.misestimateFactor, null);
    assert.equal(never.actualRows, 0);
  });

  test('misestimate factor: larger over smaller rows per loop, with the direction', () => {
    const a = analyse('timing-off.txt');
    assert.equal(a.timed, false);
    assert.equal(a.analyzed, true);
    const scan = a.nodes[1]!;
    assert.equal(scan.actualRows, 500);
    assert.equal(scan.inclusiveTimeMs, null);
  });

  test('without ANALYZE: no actual figures, the hot path follows exclusive cost', () => {
    const a = analyse('estimate-subplan-jit.json');
    assert.equal(a.analyzed, false);
    assert.equal(a.totalTimeMs, null);
    assert.equal(a.nodes[0]!.actualRows, null);
    assert.deepEqual(a.hotPath, [0]);
    assert.ok(a.nodes[0]!.exclusiveCost! > 0);
  });

  test('temp files and buffers are the node\'s own: the sort that spilled, not its parents', () => {
    const a = analyse('sort-spill.txt');
    const sort = a.nodes.find((m) => m.label === 'Sort')!;
    assert.ok(sort.buffers!.tempWritten > 0);
    for (const m of a.nodes) if (m !== sort) assert.equal(m.buffers!.tempWritten, 0, m.label);
  });
});
