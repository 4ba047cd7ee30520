/** The terminal report of explain, on captured plans: the tree, the figures, the marks, colour only when asked. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { explainPlanText } from '../../src/explain/explain.js';
import { formatExplainJson } from '../../src/explain/format-json.js';
import { formatExplainText, formatPlanTree } from '../../src/explain/format-text.js';
import { parsePlan } from '../../src/plan/parse-plan.js';

const fixture = (name: string): string => readFileSync(new URL(`../plan/fixtures/${name}`, import.meta.url), 'utf8');

describe('explain text report', () => {
  test('the tree: per node exclusive time and share, rows against the estimate, buffers, conditions; the hot path marked', async () => {
    const result = await explainPlanText(fixture('partitions-append.txt'), { origin: 'partitions-append.txt' });
    assert.deepEqual(formatPlanTree(result, { color: false }), [
      '▶ HashAggregate',
      '│ 1.549 ms · 41% · rows 548 (est 700)',
      '│ Group Key: events.at',
      '└─ Append',
      '   │ 0.856 ms · 22% · rows 15,593 (est 15,611)',
      '   ├─ Seq Scan on events_2024 events_1',
      '   │    0.636 ms · 17% · rows 6,206 (est 6,225) · shared hit 47',
      "   │    Filter: (events_1.at >= '2024-06-01'::date) (removed 4,407)",
      '   └─ Seq Scan on events_2025 events_2',
      '        0.685 ms · 18% · rows 9,387 (est 9,386) · shared hit 42',
      "        Filter: (events_2.at >= '2024-06-01'::date)",
    ]);
  });

  test('subplans are named, loops and misestimates shown, diagnoses marked beside their node and given in full', async () => {
    const result = await explainPlanText(fixture('subplan-jit.txt'), { origin: 'subplan-jit.txt' });
    const text = formatExplainText(result, { color: false });
    const lines = text.split('\n');
    assert.equal(lines[0], 'pgarchitect explain: subplan-jit.txt');
    assert.equal(lines[1], 'text plan · execution 1.1 s · planning 0.567 ms · JIT 61.0 ms · cost 645,048');
    assert.ok(lines.includes('└─ SubPlan 1: ▶ Aggregate'));
    assert.ok(lines.includes('   └─ ▶ Seq Scan on orders o  ▲ seq-scan-filter'));
    assert.ok(lines.includes('        988.1 ms · 92% · rows 396 (est 396) · loops 99 · shared hit 404,118'));
    assert.ok(lines.includes('        Filter: (o.customer_id = c.id) (removed 19,799,604)'));
    assert.ok(lines.includes('  ▲ Seq Scan on orders o [seq-scan-filter]'));
    assert.ok(lines.includes('        CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);'));
    assert.ok(lines.includes('      unverified: a captured plan has no server to cost it on (run the query with -d to have it costed with hypopg)'));
    assert.ok(lines.includes('Not checked (2 diagnoses)'));
    assert.equal(lines.at(-2), '1 diagnosis: 1 warning (11 checked, 2 not checked).');
    assert.ok(!/\u001b\[/.test(text), 'no colour unless asked');
  });

  test('estimated plans show costs and estimated rows; a never executed node says so', async () => {
    const estimated = await explainPlanText(fixture('estimate-initplan.txt'));
    const tree = formatPlanTree(estimated, { color: false, details: false });
    // A Limit costs a fraction of its input: its own cost is nothing.
    assert.deepEqual(tree.slice(0, 2), ['▶ Limit', '│ cost 0 (total 12.83) · rows 3 est']);
    const never = formatPlanTree(await explainPlanText(fixture('never-executed.txt')), { color: false, details: false });
    assert.ok(never.includes('     never executed'), never.join('\n'));
  });

  test('colour when asked', async () => {
    const result = await explainPlanText(fixture('sort-spill.txt'));
    assert.match(formatExplainText(result, { color: true }), /\u001b\[/);
  });

  test('json: the plan exactly as read, the analysis beside it', async () => {
    const result = await explainPlanText(fixture('sort-spill.json'));
    const json = JSON.parse(formatExplainJson(result));
    assert.equal(json.schemaVersion, 1);
    assert.deepEqual(json.plan, parsePlan(fixture('sort-spill.json')).explain);
    assert.equal(json.analysis.nodes.length, 2);
    assert.deepEqual(json.findings.map((f: { rule: string; evidence: { node: number } }) => [f.rule, f.evidence.node]), [['sort-spill', 0]]);
  });
});
