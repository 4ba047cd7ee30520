/**
 * The plan parsers, on plans captured from PostgreSQL 15 (test/plan/fixtures/): the same plan read
 * from the text format and from JSON gives the same nodes with the same keys; psql's decorations are
 * ignored; anything that is not a plan is a one-line error.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { nodeLabel, parseNodeName } from '../../src/plan/node-name.js';
import { parsePlan, readPlanFile } from '../../src/plan/parse-plan.js';
import { walkPlan, type ExplainOutput, type PlanNode } from '../../src/plan/types.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const names = (prefix: string): string[] =>
  readdirSync(fixtures)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.txt') && !f.includes('psql') && !f.includes('timing'))
    .map((f) => f.replace(/\.txt$/, ''));

/** Keys whose value differs between two runs of the same statement. */
const RUN_DEPENDENT = /Time|Blocks|Memory|Space Used|Heap Fetches|Batches|Buckets|Removed|Actual Rows|Disk Usage|Workers$|Heap Blocks/;

/** Every key the text format gave equals the JSON's; every key JSON has that text can show is there. */
function assertSameNodes(text: PlanNode, json: PlanNode, path: string, compareRunDependent: boolean): void {
  for (const [key, value] of Object.entries(text)) {
    if (key === 'Plans' || (!compareRunDependent && RUN_DEPENDENT.test(key))) continue;
    assert.deepEqual(value, json[key], `${path} ${key}`);
  }
  for (const [key, value] of Object.entries(json)) {
    // The text format leaves out false flags, zero counters and empty lists.
    if (value === false || value === 0 || (Array.isArray(value) && value.length === 0) || (!compareRunDependent && RUN_DEPENDENT.test(key))) continue;
    assert.ok(key in text, `${path}: text lacks ${key} = ${JSON.stringify(value)}`);
  }
  assert.equal(text.Plans?.length ?? 0, json.Plans?.length ?? 0, `${path} children`);
  text.Plans?.forEach((child, i) => assertSameNodes(child, json.Plans![i]!, `${path}/${i}`, compareRunDependent));
}

function nodesOf(explain: ExplainOutput): PlanNode[] {
  const nodes: PlanNode[] = [];
  walkPlan(explain.Plan, (n) => nodes.push(n));
  return nodes;
}

describe('plan parsers', () => {
  for (const name of names('estimate-')) {
    test(`${name}: the text format gives exactly the JSON's nodes and keys`, () => {
      const text = parsePlan(read(`${name}.txt`), name);
      const json = parsePlan(read(`${name}.json`), name);
      assert.equal(text.format, 'text');
      assert.equal(json.format, 'json');
      assertSameNodes(text.explain.Plan, json.explain.Plan, name, true);
      assert.deepEqual(text.explain.Settings ?? {}, json.explain.Settings);
      assert.equal(text.explain['Query Identifier'], json.explain['Query Identifier']);
    });
  }

  for (const name of names('').filter((n) => !n.startsWith('estimate-'))) {
    test(`${name}: EXPLAIN ANALYZE in text and JSON (two runs) give the same tree and the same keys`, () => {
      const text = parsePlan(read(`${name}.txt`), name).explain;
      const json = parsePlan(read(`${name}.json`), name).explain;
      assertSameNodes(text.Plan, json.Plan, name, false);
      for (const [t, j] of nodesOf(text).map((n, i) => [n, nodesOf(json)[i]!] as const)) {
        assert.equal(typeof t['Actual Loops'], 'number');
        assert.equal(typeof t['Actual Total Time'], typeof j['Actual Total Time']);
        assert.equal(t['Shared Hit Blocks'] !== undefined, (j['Shared Hit Blocks'] ?? 0) > 0);
      }
      assert.equal(typeof text['Execution Time'], 'number');
      assert.equal(typeof text['Planning Time'], 'number');
      assert.deepEqual(text.Settings ?? {}, json.Settings);
    });
  }

  test('keeps 64-bit query identifiers exact in JSON', () => {
    const json = parsePlan(read('estimate-insert.json')).explain;
    assert.equal(json['Query Identifier'], '7362752827134235936');
  });

  test('reads the text format as psql prints it: header, dashes, leading space, row count; workers, planning buffers', () => {
    const { explain, format } = parsePlan(read('psql-pasted.txt'));
    assert.equal(format, 'text');
    const nodes = nodesOf(explain);
    assert.deepEqual(
      nodes.map((n) => nodeLabel(n)),
      ['Limit', 'Sort', 'Finalize GroupAggregate', 'Gather Merge', 'Sort', 'Partial HashAggregate', 'Hash Join', 'Parallel Seq Scan on orders o', 'Hash', 'Seq Scan on customers c'],
    );
    const partialSort = nodes[4]!;
    assert.deepEqual(partialSort.Workers, [
      { 'Worker Number': 0, 'Sort Method': 'quicksort', 'Sort Space Used': 25, 'Sort Space Type': 'Memory' },
      { 'Worker Number': 1, 'Sort Method': 'quicksort', 'Sort Space Used': 25, 'Sort Space Type': 'Memory' },
    ]);
    assert.equal(nodes[5]!['HashAgg Batches'], 1);
    assert.equal(nodes[5]!['Peak Memory Usage'], 24);
    assert.equal(nodes[7]!['Rows Removed by Filter'], 60000);
    assert.equal(nodes[7]!['Parent Relationship'], 'Outer');
    assert.equal(nodes[8]!['Parent Relationship'], 'Inner');
    assert.deepEqual([nodes[8]!['Hash Buckets'], nodes[8]!['Hash Batches'], nodes[8]!['Peak Memory Usage']], [65536, 1, 2661]);
    assert.deepEqual(explain.Planning, { 'Shared Hit Blocks': 232 });
    assert.equal(explain['Execution Time'], 39.636);
    assert.equal(explain['Planning Time'], 0.93);
  });

  test('reads JSON as psql prints it, with + continuations', () => {
    const { explain, format } = parsePlan(read('psql-pasted.json'));
    assert.equal(format, 'json');
    assert.equal(explain.Plan['Node Type'], 'Index Scan');
    assert.equal(explain.Plan['Index Name'], 'customers_pkey');
  });

  test('reads plans without costs or timing (COSTS OFF, TIMING OFF)', () => {
    const { explain } = parsePlan(read('timing-off.txt'));
    const [aggregate, scan] = nodesOf(explain);
    assert.deepEqual(aggregate, { 'Node Type': 'Aggregate', Strategy: 'Plain', 'Partial Mode': 'Simple', 'Actual Rows': 1, 'Actual Loops': 1, Plans: [scan] });
    assert.equal(scan!['Rows Removed by Filter'], 49500);
    assert.equal(scan!['Actual Total Time'], undefined);
  });

  test('text details: sort spill, hash batches grown, lossy heap blocks, trigger times, JIT', () => {
    const text = `Update on t  (cost=0.00..1.00 rows=0 width=0) (actual time=5.000..5.000 rows=0 loops=1)
  ->  Hash Join  (cost=1.00..2.00 rows=10 width=6) (actual time=1.0..2.0 rows=10 loops=1)
        Hash Cond: (a.x = b.x)
        ->  Sort  (cost=1.00..2.00 rows=10 width=6) (actual time=1.0..2.0 rows=10 loops=1)
              Sort Key: a.x, (lower(a.y)) DESC
              Sort Method: external merge  Disk: 1234kB
              Buffers: shared hit=5 read=2, temp read=10 written=12
              I/O Timings: shared read=0.120
        ->  Hash  (cost=1.00..2.00 rows=10 width=6) (actual time=1.0..2.0 rows=10 loops=1)
              Buckets: 65536 (originally 1024)  Batches: 8 (originally 1)  Memory Usage: 4097kB
              ->  Bitmap Heap Scan on b  (cost=1.00..2.00 rows=10 width=6) (actual time=1.0..2.0 rows=10 loops=1)
                    Recheck Cond: (x > 1)
                    Rows Removed by Index Recheck: 300
                    Heap Blocks: exact=10 lossy=20
                    ->  Bitmap Index Scan on b_x  (cost=0.00..1.00 rows=10 width=0) (actual time=1.0..1.0 rows=30 loops=1)
                          Index Cond: (x > 1)
Planning Time: 0.1 ms
Trigger for constraint t_fk: time=0.250 calls=10
JIT:
  Functions: 4
  Options: Inlining false, Optimization false, Expressions true, Deforming true
  Timing: Generation 0.5 ms (Deform 0.1 ms), Inlining 0.000 ms, Optimization 0.3 ms, Emission 4.1 ms, Total 4.9 ms
Execution Time: 6.0 ms`;
    const { explain } = parsePlan(text);
    const [update, join, sort, hash, heap, index] = nodesOf(explain);
    assert.deepEqual([update!['Node Type'], update!.Operation, update!['Relation Name']], ['ModifyTable', 'Update', 't']);
    assert.deepEqual([join!['Node Type'], join!['Join Type'], join!['Hash Cond']], ['Hash Join', 'Inner', '(a.x = b.x)']);
    assert.deepEqual(sort!['Sort Key'], ['a.x', '(lower(a.y)) DESC']);
    assert.deepEqual([sort!['Sort Method'], sort!['Sort Space Used'], sort!['Sort Space Type']], ['external merge', 1234, 'Disk']);
    assert.deepEqual([sort!['Shared Hit Blocks'], sort!['Shared Read Blocks'], sort!['Temp Read Blocks'], sort!['Temp Written Blocks']], [5, 2, 10, 12]);
    assert.equal(sort!['Shared I/O Read Time'], 0.12);
    assert.deepEqual([hash!['Hash Buckets'], hash!['Original Hash Buckets'], hash!['Hash Batches'], hash!['Original Hash Batches'], hash!['Peak Memory Usage']], [65536, 1024, 8, 1, 4097]);
    assert.deepEqual([heap!['Exact Heap Blocks'], heap!['Lossy Heap Blocks'], heap!['Rows Removed by Index Recheck']], [10, 20, 300]);
    assert.equal(index!['Index Name'], 'b_x');
    assert.deepEqual(explain.Triggers, [{ 'Trigger Name': 'for constraint t_fk', Time: 0.25, Calls: 10 }]);
    assert.deepEqual(explain.JIT, {
      Functions: 4,
      Options: { Inlining: false, Optimization: false, Expressions: true, Deforming: true },
      Timing: { Generation: { Deform: 0.1, Total: 0.5 }, Inlining: 0, Optimization: 0.3, Emission: 4.1, Total: 4.9 },
    });
  });

  test('node names: read into JSON keys and written back', () => {
    const cases: [string, Partial<PlanNode>][] = [
      ['Parallel Index Only Scan Backward using "Idx" on public."Order" o', { 'Node Type': 'Index Only Scan', 'Parallel Aware': true, 'Scan Direction': 'Backward', 'Index Name': 'Idx', Schema: 'public', 'Relation Name': 'Order', Alias: 'o' }],
      ['Nested Loop Anti Join', { 'Node Type': 'Nested Loop', 'Join Type': 'Anti' }],
      ['Hash Right Anti Join', { 'Node Type': 'Hash Join', 'Join Type': 'Right Anti' }],
      ['Merge Full Join', { 'Node Type': 'Merge Join', 'Join Type': 'Full' }],
      ['Finalize HashAggregate', { 'Node Type': 'Aggregate', Strategy: 'Hashed', 'Partial Mode': 'Finalize' }],
      ['HashSetOp Except All', { 'Node Type': 'SetOp', Strategy: 'Hashed', Command: 'Except All' }],
      ['Delete on orders', { 'Node Type': 'ModifyTable', Operation: 'Delete', 'Relation Name': 'orders', Alias: 'orders' }],
      ['Function Scan on pg_catalog.generate_series g', { 'Node Type': 'Function Scan', 'Function Name': 'generate_series', Schema: 'pg_catalog', Alias: 'g' }],
      ['CTE Scan on x', { 'Node Type': 'CTE Scan', 'CTE Name': 'x', Alias: 'x' }],
      ['Merge Append', { 'Node Type': 'Merge Append' }],
      ['Hash', { 'Node Type': 'Hash' }],
      ['Custom Scan (Citus Adaptive)', { 'Node Type': 'Custom Scan', 'Custom Plan Provider': 'Citus Adaptive' }],
    ];
    for (const [name, keys] of cases) {
      const node = parseNodeName(name);
      for (const [key, value] of Object.entries(keys)) assert.deepEqual(node[key], value, `${name}: ${key}`);
      // Labels name objects without schema or quotes.
      if (!name.startsWith('Custom')) assert.equal(nodeLabel(node), name.replace(/public\.|pg_catalog\.|"/g, ''), name);
    }
  });

  describe('input that is not a plan is a one-line user error', () => {
    const cases: [string, RegExp][] = [
      ['', /plan: empty plan/],
      ['hello world', /plan: not an EXPLAIN plan: the first line "hello world" is not a plan node/],
      ['{"rows": []}', /plan: not an EXPLAIN plan: no "Plan" object with a "Node Type"/],
      ['[{"Plan": {"Plans": []}}]', /plan: not an EXPLAIN plan: Plan has no "Node Type"/],
      ['[{"Plan": {"Node Type": "Limit", "Plans": [1]}}]', /Plan.Plans\[0\] is not an object/],
      ['[1, 2]', /expected one EXPLAIN result, found an array of 2/],
      ['{"Plan": ', /plan: not a JSON plan: /],
      ['<explain xmlns="http://www.postgresql.org/2009/explain">', /XML plans are not supported/],
      ['- Plan: \n    Node Type: "Seq Scan"', /YAML plans are not supported/],
      ['Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n  ->  )))', /plan:2: cannot read the plan node/],
    ];
    for (const [input, message] of cases) {
      test(JSON.stringify(input.slice(0, 30)), () => {
        assert.throws(() => parsePlan(input), (error: unknown) => error instanceof UserError && message.test(error.message) && !error.message.includes('\n'));
      });
    }
    test('a missing file', () => {
      assert.throws(() => readPlanFile('/nonexistent/plan.json', 'plan.json'), /plan\.json: no such file/);
    });
  });
});
