/**
 * The HTML report of explain, on captured plans: one self-contained page, one `<details>` per plan node
 * nested as the plan is, time bars as wide as the shares, diagnoses beside their node, everything escaped.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { explainPlanText } from '../../src/explain/explain.js';
import { formatExplainHtml } from '../../src/explain/format-html.js';
import { planNodes } from '../../src/plan/analyse.js';
import type { PlanNode } from '../../src/plan/types.js';
import { walkPlan } from '../../src/plan/types.js';

const fixtures = new URL('../plan/fixtures/', import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');

const VOID_ELEMENTS = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'wbr']);

/**
 * Reads the page's tags (style and script bodies left out), checks every element is closed in order,
 * and returns, for each plan node's `<details>`, the id of the `<details>` it sits in.
 */
function nodeTree(page: string): Map<number, number | null> {
  const body = page.replace(/<(style|script)>[\s\S]*?<\/\1>/g, '');
  const stack: { tag: string; node: number | null }[] = [];
  const parents = new Map<number, number | null>();
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    const [, closing, name, attributes] = match;
    const tag = name!.toLowerCase();
    if (closing) {
      const open = stack.pop();
      assert.equal(open?.tag, tag, `</${tag}> closes <${open?.tag}> at ${match.index}`);
      continue;
    }
    if (VOID_ELEMENTS.has(tag)) continue;
    const id = /\bid="node-(\d+)"/.exec(attributes!)?.[1];
    const node = tag === 'details' && id !== undefined ? Number(id) : null;
    if (node !== null) parents.set(node, [...stack].reverse().find((e) => e.node !== null)?.node ?? null);
    stack.push({ tag, node });
  }
  assert.deepEqual(stack.map((e) => e.tag), [], 'every element is closed');
  return parents;
}

/** The markup of a node itself: from its `<details>` to the first child's (or its end). */
function ownPart(page: string, id: number): string {
  const start = page.indexOf(`id="node-${id}"`);
  assert.ok(start >= 0, `node ${id} is on the page`);
  const rest = page.slice(start);
  return rest.slice(0, rest.search(/<details|<\/details>/));
}

const count = (text: string, pattern: RegExp): number => [...text.matchAll(pattern)].length;

describe('explain html report', () => {
  test('one page; one <details> per plan node, nested as the plan is, hot path marked', async () => {
    const result = await explainPlanText(fixture('cte-hash-batches.json'), { origin: 'cte-hash-batches.json' });
    const page = formatExplainHtml(result);
    assert.match(page, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">/);
    assert.equal(count(page, /<html\b/g), 1);
    assert.equal(count(page, /<\/html>/g), 1);
    assert.equal(count(page, /<body>/g), 1);
    const parents = nodeTree(page);
    assert.equal(count(page, /<details\b/g), planNodes(result.plan).length);
    assert.deepEqual([...parents.keys()], result.analysis.nodes.map((m) => m.id), 'depth first, in plan order');
    for (const m of result.analysis.nodes) assert.equal(parents.get(m.id), m.parent, `node ${m.id} sits in its parent`);
    assert.equal(count(page, /<details open class="node/g), result.analysis.nodes.length, 'open without script');
    assert.deepEqual([...page.matchAll(/<details open class="node hot" id="node-(\d+)"/g)].map((m) => Number(m[1])), result.analysis.hotPath);
    assert.match(page, /<title>pgarchitect explain: cte-hash-batches\.json<\/title>/);
    assert.match(page, /<dt>Total time<\/dt><dd>54\.0 ms<\/dd>/);
    assert.match(page, /<dt>Planning<\/dt><dd>0\.528 ms<\/dd>/);
    assert.match(page, /<dt>Settings<\/dt><dd>work_mem = &#39;256kB&#39;<\/dd>/);
    assert.match(page, /<footer><p>2 diagnoses: 2 warnings \(11 checked, 2 not checked\)\.<\/p><\/footer>/);
  });

  test('each node its own time as a bar as wide as its share, with its figures and conditions', async () => {
    const result = await explainPlanText(fixture('cte-hash-batches.json'));
    const page = formatExplainHtml(result);
    assert.equal(count(page, /class="fill"/g), result.analysis.nodes.length);
    for (const m of result.analysis.nodes) {
      const own = ownPart(page, m.id);
      const width = Number(/<span class="fill" style="width:([\d.]+)%">/.exec(own)?.[1]);
      assert.ok(Math.abs(width - m.timeShare! * 100) <= 0.051, `node ${m.id}: bar ${width}% for a share of ${m.timeShare}`);
    }
    const scan = ownPart(page, 1);
    assert.match(scan, /<span class="relationship">CTE x:<\/span> <span class="name">Seq Scan on customers<\/span>/);
    assert.match(scan, /<span class="k">own time<\/span> 2\.977 ms/);
    assert.match(scan, /<span class="k">rows<\/span> 500<\/span><span class="figure"><span class="k">estimated<\/span> 490/);
    assert.match(scan, /<span class="k">shared hit<\/span> 315/);
    assert.match(scan, /<dt>Relation<\/dt><dd><code>public\.customers<\/code><\/dd>/);
    assert.match(scan, /<dt>Filter<\/dt><dd><code>\(customers\.city = &#39;city1&#39;::text\) \(removed 49,500\)<\/code><\/dd>/);
    assert.match(ownPart(page, 0), /<span class="figure warn"><span class="k">temp read<\/span> 805<\/span>/);
    assert.match(ownPart(page, 3), /<dt>Hash<\/dt><dd><code>16,384 buckets, 32 batches, 400 kB<\/code><\/dd>/);
  });

  test('the diagnoses beside their node, and in full below with a link back', async () => {
    const result = await explainPlanText(fixture('cte-hash-batches.json'));
    const page = formatExplainHtml(result);
    const rulesOf = (id: number): string[] => [...ownPart(page, id).matchAll(/<code class="rule">([^<]+)<\/code>/g)].map((m) => m[1]!);
    const expected = new Map<number, string[]>();
    for (const f of result.findings) expected.set(Number(f.evidence.node), [...(expected.get(Number(f.evidence.node)) ?? []), f.rule]);
    assert.deepEqual(expected, new Map([[3, ['hash-batches']], [1, ['seq-scan-filter']]]));
    for (const m of result.analysis.nodes) assert.deepEqual(rulesOf(m.id), expected.get(m.id) ?? [], `node ${m.id}`);
    const beside = ownPart(page, 1);
    assert.match(beside, /<a class="tag warning" href="#diagnosis-1">▲ seq-scan-filter<\/a>/);
    assert.match(beside, /<span class="severity">▲ warning<\/span>/);
    assert.match(beside, /<p class="message">Seq Scan on customers reads 50,000 rows/);
    assert.match(beside, /<pre class="fix">CREATE INDEX CONCURRENTLY customers_city_idx ON public\.customers \(city\);<\/pre>/);
    assert.match(beside, /<p class="verification unverified">Unverified: a captured plan has no server to cost it on/);

    const below = page.slice(page.indexOf('<section id="diagnoses">'));
    assert.match(below, /^<section id="diagnoses">\n<h2>Diagnoses \(2\)<\/h2>/);
    result.findings.forEach((f, i) => {
      const article = below.slice(below.indexOf(`id="diagnosis-${i}"`), below.indexOf('</article>', below.indexOf(`id="diagnosis-${i}"`)));
      assert.match(article, new RegExp(`<code class="rule">${f.rule}</code>`));
      assert.match(article, new RegExp(`<a href="#node-${f.evidence.node}">`));
      assert.match(article, /<p class="evidence">Evidence: loops=1, /);
    });
    assert.match(page, /<section id="skipped">\n<h2>Not checked \(2 diagnoses\)<\/h2>\n<ul><li><code>implicit-cast-defeats-index<\/code>: needs the tables/);
  });

  test('an index proposal costed with hypopg shows the cost before and after', async () => {
    const result = await explainPlanText(fixture('subplan-jit.json'));
    result.findings[0]!.evidence.verification = { status: 'verified', method: 'hypopg', costBefore: 645047.97, costAfter: 1234.5, indexUsed: true };
    const page = formatExplainHtml(result);
    assert.equal(count(page, /<p class="verification">Costed with hypopg: 645,048 → 1,235<\/p>/g), 2, 'beside the node and in full');
    assert.doesNotMatch(page, /class="verification unverified"/);
  });

  test('every text from the plan, the query and the findings is escaped', async () => {
    const plan = JSON.parse(fixture('subplan-jit.json')) as [{ Plan: PlanNode }];
    walkPlan(plan[0].Plan, (node) => {
      if (node['Relation Name'] === 'orders') node['Relation Name'] = '<b>x</b>';
    });
    const result = await explainPlanText(JSON.stringify(plan), { origin: '"><i>plan</i>.json' });
    result.query = "SELECT '</script><script>alert(1)</script>' FROM \"<b>x</b>\" o";
    result.settings = { work_mem: "'><img src=x onerror=alert(2)>" };
    result.notices = ['<u>notice</u>'];
    const page = formatExplainHtml(result);
    assert.ok(result.findings.some((f) => f.message.includes('<b>x</b>')), 'the finding names the relation');
    assert.doesNotMatch(page, /<b>|<i>|<u>|<img/);
    assert.equal(count(page, /<script\b/g), 1);
    assert.equal(count(page, /<\/script>/g), 1);
    assert.match(page, /<pre>SELECT &#39;&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;&#39; FROM &quot;&lt;b&gt;x&lt;\/b&gt;&quot; o<\/pre>/);
    assert.match(page, /<span class="name">Seq Scan on &lt;b&gt;x&lt;\/b&gt; o<\/span>/);
    assert.match(page, /<title>pgarchitect explain: &quot;&gt;&lt;i&gt;plan&lt;\/i&gt;\.json<\/title>/);
    assert.match(page, /<li>note: &lt;u&gt;notice&lt;\/u&gt;<\/li>/);
    nodeTree(page);
  });

  test('self-contained: nothing fetched, the one script allowed by its hash', async () => {
    for (const name of readdirSync(fixtures).filter((f) => !f.endsWith('.analysis.json'))) {
      const result = await explainPlanText(fixture(name), { origin: name });
      const page = formatExplainHtml(result);
      assert.doesNotMatch(page, /https?:\/\//, name);
      assert.doesNotMatch(page, /\b(src|href)="(?!#)/, `${name}: only links inside the page`);
      assert.doesNotMatch(page, /<link\b|<iframe\b|<img\b|@import|url\(/, name);
      assert.equal(count(page, /<details\b/g), planNodes(result.plan).length, name);
      nodeTree(page);
    }
    const page = formatExplainHtml(await explainPlanText(fixture('sort-spill.txt')));
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    assert.match(page, new RegExp(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;sha256-${hash.replace(/[+/]/g, '\\$&')}&#39;">`));
    assert.ok(page.length < 40_000, `a light page (${page.length} characters)`);
  });

  test('estimated plans: costs and estimated rows, no time bars, and the page says so', async () => {
    const result = await explainPlanText(fixture('estimate-sort-spill.json'));
    const page = formatExplainHtml(result);
    assert.doesNotMatch(page, /class="(bar|fill)"/);
    assert.match(page, /<p class="legend">This plan has estimates only \(EXPLAIN without ANALYZE\): no times, so no time bars/);
    assert.match(page, /<dt>Plan<\/dt><dd>read from a json plan: estimates only \(no ANALYZE\)<\/dd>/);
    assert.match(ownPart(page, 0), /<span class="k">estimated rows<\/span> [\d,]+<\/span><span class="figure"><span class="k">own cost<\/span> [\d,.]+/);
    assert.doesNotMatch(page, /own time|Total time/);
    assert.equal(count(page, /<details\b/g), result.analysis.nodes.length);
    assert.match(page, /<section id="skipped">/);
  });

  test('text plans: subplans named, loops, never executed nodes; identical output for identical input', async () => {
    const result = await explainPlanText(fixture('subplan-jit.txt'), { origin: 'subplan-jit.txt' });
    const page = formatExplainHtml(result);
    assert.match(page, /<dt>Plan<\/dt><dd>read from a text plan: actual figures \(ANALYZE\)<\/dd>/);
    assert.match(ownPart(page, 1), /<span class="relationship">SubPlan 1:<\/span> <span class="name">Aggregate<\/span>/);
    assert.match(ownPart(page, 2), /<span class="k">loops<\/span> 99<\/span>/);
    assert.match(ownPart(page, 2), /class="time high"><span class="bar" title="92% of the total time"><span class="fill" style="width:92\.\d%"><\/span><\/span><span class="share">988\.1 ms · 92%<\/span>/);
    assert.equal(formatExplainHtml(result), page);
    const misestimated = formatExplainHtml(await explainPlanText(fixture('initplan.txt')));
    assert.match(ownPart(misestimated, 4), /<span class="figure bad"><span class="k">misestimate<\/span> 67× over<\/span>/);
    const never = formatExplainHtml(await explainPlanText(fixture('never-executed.txt')));
    assert.match(never, /<span class="figure never">never executed<\/span>/);
  });
});

