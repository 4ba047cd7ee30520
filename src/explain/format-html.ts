/**
 * `explain --format html`: one self-contained page (inline style and a few lines of script, nothing
 * fetched: its Content-Security-Policy forbids it). The plan is a tree of nested `<details open>`, so
 * it folds and unfolds without script; per node the own time as a bar of its share of the total, rows
 * against the estimate, loops, buffers, the conditions; the hot path marked; each diagnosis beside its
 * node, and all of them in full below. Every piece of text from the plan, the query or a finding goes
 * through `html`'s escaping. A pure function of the result.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../finding.js';
import type { NodeMetrics } from '../plan/analyse.js';
import { planNodes } from '../plan/analyse.js';
import type { PlanNode } from '../plan/types.js';
import { formatCount, formatFactor, formatMs, formatShare } from '../rules/plan/lib/plan-facts.js';
import { diagnosesByNode, evidenceEntries, fixNote, namedRelationship, nodeDetails, SEVERITY_MARKS, summaryText, verificationOf } from './format-parts.js';
import type { ExplainResult } from './result.js';

/** Markup that is already safe: interpolated into `html` as is, where anything else is escaped. */
class SafeHtml {
  constructor(readonly value: string) {}
}

/** A template whose every interpolation is escaped, unless it is SafeHtml (or a list of them). */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, text, i) => out + (i === 0 ? '' : render(values[i - 1])) + text, ''));
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** The parts that are present, one per line: optional parts leave no blank line behind. */
function lines(...parts: (SafeHtml | null | undefined | false | '')[]): SafeHtml {
  return new SafeHtml(parts.filter((p): p is SafeHtml => p instanceof SafeHtml).map((p) => p.value).join('\n'));
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/**
 * The explain result as one self-contained HTML5 page (no external resources), for a browser or to
 * attach to a ticket. Plans without ANALYZE get costs and estimated rows, and no time bars.
 */
export function formatExplainHtml(result: ExplainResult): string {
  const page = lines(
    html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="pgarchitect ${result.tool.version}">
<title>pgarchitect explain: ${result.source.description}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>`,
    header(result),
    html`<main>`,
    planSection(result),
    diagnosesSection(result),
    skippedSection(result),
    querySection(result),
    html`</main>
<footer><p>${summaryText(result)}</p></footer>
<script>${new SafeHtml(SCRIPT)}</script>
</body>
</html>
`,
  );
  return page.value;
}

function header(result: ExplainResult): SafeHtml {
  const a = result.analysis;
  const facts: [string, string][] = [['Source', result.source.description]];
  if (result.source.serverVersion) facts.push(['Server', `PostgreSQL ${result.source.serverVersion}`]);
  facts.push(['Plan', planKind(result)]);
  if (a.totalTimeMs !== null) facts.push(['Total time', formatMs(a.totalTimeMs)]);
  if (a.executionTimeMs !== null) facts.push(['Execution', formatMs(a.executionTimeMs)]);
  if (a.planningTimeMs !== null) facts.push(['Planning', formatMs(a.planningTimeMs)]);
  if (a.jitTimeMs !== null) facts.push(['JIT', formatMs(a.jitTimeMs)]);
  if (a.triggerTimeMs !== null) facts.push(['Triggers', formatMs(a.triggerTimeMs)]);
  if (a.totalCost !== null) facts.push(['Total cost', formatCount(a.totalCost)]);
  const settings = Object.entries(result.plan.Settings ?? {});
  if (settings.length) facts.push(['Settings', settings.map(([k, v]) => `${k} = '${v}'`).join(', ')]);
  const applied = Object.entries(result.settings);
  if (applied.length) facts.push(['Set for this run', applied.map(([k, v]) => `${k} = '${v}'`).join(', ')]);
  return lines(
    html`<header>
<h1>pgarchitect explain</h1>
<dl class="facts">${facts.map(([name, value]) => html`<dt>${name}</dt><dd>${value}</dd>`)}</dl>`,
    result.notices.length > 0 && html`<ul class="notices">${result.notices.map((n) => html`<li>note: ${n}</li>`)}</ul>`,
    html`<p class="summary">${summaryText(result)}</p>
</header>`,
  );
}

/** Where the plan came from and whether it has actual figures. */
function planKind(result: ExplainResult): string {
  const a = result.analysis;
  const figures = !a.analyzed ? 'estimates only (no ANALYZE)' : a.timed ? 'actual figures (ANALYZE)' : 'actual rows without times (ANALYZE, TIMING OFF)';
  if (result.source.kind === 'query') return result.analyzed ? `executed in a transaction that was rolled back: ${figures}` : `planned, not executed: ${figures}`;
  return `read from a ${result.source.planFormat} plan: ${figures}`;
}

function planSection(result: ExplainResult): SafeHtml {
  const a = result.analysis;
  const basis = !a.analyzed
    ? 'This plan has estimates only (EXPLAIN without ANALYZE): no times, so no time bars; costs are in the planner’s units.'
    : !a.timed
      ? 'This plan has actual rows but no times (ANALYZE with TIMING OFF), so no time bars.'
      : `Bars: each node’s own time (its children’s taken off) as a share of the total${a.totalTimeMs !== null ? ` (${formatMs(a.totalTimeMs)})` : ''}.`;
  const hot = a.hotPath.length === 0 ? '' : a.timed ? ' ▶ marks the hot path, from the root to the node with the largest own time.' : ' ▶ marks the path from the root to the node with the largest own cost.';
  const nodes = planNodes(result.plan);
  const byNode = diagnosesByNode(result);
  const findingIds = new Map(result.findings.map((f, i) => [f, i]));
  const visit = (id: number): SafeHtml => planNode(result, nodes[id]!, a.nodes[id]!, byNode.get(id) ?? [], findingIds, a.nodes[id]!.children.map(visit));
  return html`<section id="plan">
<h2>Plan</h2>
<p class="legend">${basis}${hot}</p>
<div id="controls" class="controls" hidden><button type="button" data-action="expand">Expand all</button> <button type="button" data-action="collapse">Collapse all</button> <button type="button" data-action="hot">Hot path only</button></div>
<div class="tree">
${visit(0)}
</div>
</section>`;
}

function planNode(result: ExplainResult, node: PlanNode, m: NodeMetrics, findings: Finding[], findingIds: Map<Finding, number>, children: SafeHtml[]): SafeHtml {
  const relationship = namedRelationship(m);
  const share = m.timeShare;
  const time =
    share !== null && m.exclusiveTimeMs !== null
      ? html`<span class="time ${shareClass(share)}"><span class="bar" title="${formatShare(share)} of the total time"><span class="fill" style="width:${(share * 100).toFixed(1)}%"></span></span><span class="share">${formatMs(m.exclusiveTimeMs)} · ${formatShare(share)}</span></span>`
      : null;
  const tags = findings.map((f) => html`<a class="tag ${f.severity}" href="#diagnosis-${findingIds.get(f)}">${SEVERITY_MARKS[f.severity]} ${f.rule}</a>`);
  const details = [...relationDetails(node), ...nodeDetails(node, m)];
  return lines(
    html`<details open class="node${m.hot ? ' hot' : ''}" id="node-${m.id}">
<summary><span class="label">${m.hot && html`<span class="hot-mark" title="hot path">▶</span> `}${relationship && html`<span class="relationship">${relationship}:</span> `}<span class="name">${m.label}</span></span>${tags.length > 0 && html` <span class="tags">${tags}</span>`}${time}</summary>
<div class="node-body${findings.length ? ' with-diagnoses' : ''}">
<div class="node-facts">
<p class="figures">${figures(result, node, m)}</p>`,
    details.length > 0 && html`<dl class="details">${details.map((d) => html`<dt>${d.name}</dt><dd><code>${d.value}</code></dd>`)}</dl>`,
    html`</div>`,
    findings.length > 0 && lines(html`<div class="node-diagnoses">`, ...findings.map((f) => diagnosis(f, findingIds.get(f)!, 'beside')), html`</div>`),
    html`</div>`,
    children.length > 0 && lines(html`<div class="children">`, ...children, html`</div>`),
    html`</details>`,
  );
}

function shareClass(share: number): string {
  return share >= 0.5 ? 'high' : share >= 0.1 ? 'medium' : 'low';
}

/** The table and index a node reads, schema-qualified when the plan says (VERBOSE). */
function relationDetails(node: PlanNode): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const relation = node['Relation Name'];
  if (relation) out.push({ name: 'Relation', value: `${node.Schema ? `${node.Schema}.` : ''}${relation}${node.Alias && node.Alias !== relation ? ` (alias ${node.Alias})` : ''}` });
  if (node['Index Name']) out.push({ name: 'Index', value: node['Index Name'] });
  return out;
}

/** The node's figures as labelled values: time, rows against the estimate, loops, cost, buffers. */
function figures(result: ExplainResult, node: PlanNode, m: NodeMetrics): SafeHtml[] {
  const parts: [string, string, string?][] = [];
  if (m.loops === 0) return [html`<span class="figure never">never executed</span>`];
  if (m.exclusiveTimeMs !== null) {
    parts.push(['own time', formatMs(m.exclusiveTimeMs)]);
    if (m.inclusiveTimeMs !== null && m.inclusiveTimeMs !== m.exclusiveTimeMs) parts.push(['with children', formatMs(m.inclusiveTimeMs)]);
  }
  if (result.analysis.analyzed && m.actualRows !== null) {
    parts.push(['rows', formatCount(m.actualRows)]);
    if (m.estimatedRows !== null) parts.push(['estimated', formatCount(m.estimatedRows)]);
    if (m.misestimateFactor !== null && m.misestimate && formatFactor(m.misestimateFactor) !== '1') parts.push(['misestimate', `${formatFactor(m.misestimateFactor)}× ${m.misestimate}`, m.misestimateFactor >= 10 ? 'bad' : m.misestimateFactor >= 2 ? 'warn' : undefined]);
    if (m.loops !== null) parts.push(['loops', formatCount(m.loops)]);
  } else if (m.estimatedRows !== null) {
    parts.push(['estimated rows', formatCount(m.estimatedRows)]);
  }
  if (m.exclusiveCost !== null) parts.push(['own cost', formatCount(m.exclusiveCost)]);
  if (typeof node['Total Cost'] === 'number') parts.push(['total cost', formatCount(node['Total Cost'])]);
  const b = m.buffers;
  if (b) {
    const blocks: [string, number, string?][] = [
      ['shared hit', b.sharedHit],
      ['shared read', b.sharedRead],
      ['shared dirtied', b.sharedDirtied],
      ['shared written', b.sharedWritten],
      ['local hit', b.localHit],
      ['local read', b.localRead],
      ['temp read', b.tempRead, 'warn'],
      ['temp written', b.tempWritten, 'warn'],
    ];
    for (const [name, count, tone] of blocks) if (count) parts.push([name, formatCount(count), tone]);
  }
  return parts.map(([name, value, tone]) => html`<span class="figure${tone ? ` ${tone}` : ''}"><span class="k">${name}</span> ${value}</span>`);
}

/**
 * One diagnosis: `beside` its node (what, how to fix, the verification) or `full` in the list below
 * (also the object, the evidence and a link to the node).
 */
function diagnosis(f: Finding, index: number, place: 'beside' | 'full'): SafeHtml {
  const verification = verificationOf(f);
  const note = fixNote(f);
  const evidence = evidenceEntries(f);
  const node = Number(f.evidence.node);
  const verified =
    verification &&
    (verification.status === 'verified'
      ? html`<p class="verification">Costed with hypopg: ${formatCount(verification.costBefore)} → ${formatCount(verification.costAfter)}${verification.indexUsed ? '' : ' (index not used)'}</p>`
      : html`<p class="verification unverified">Unverified: ${verification.reason}</p>`);
  return lines(
    html`<article class="diagnosis ${f.severity}"${place === 'full' && html` id="diagnosis-${index}"`}>
<h3><span class="severity">${SEVERITY_MARKS[f.severity]} ${f.severity}</span> <code class="rule">${f.rule}</code>${place === 'full' && html` <span class="object">${f.object.name}</span>`}</h3>
<p class="message">${f.message}</p>`,
    place === 'full' && evidence.length > 0 && html`<p class="evidence">Evidence: ${evidence.join(', ')}</p>`,
    verified,
    f.fix && html`<p class="fix-label">Fix${f.fix.safeOnline ? ' (online-safe)' : ' (takes a blocking lock)'}:</p><pre class="fix">${f.fix.sql}</pre>`,
    note && html`<p class="note">${note}</p>`,
    place === 'full' ? Number.isInteger(node) && html`<p class="link"><a href="#node-${node}">Node ${node} in the plan</a></p>` : html`<p class="link"><a href="#diagnosis-${index}">In full below</a></p>`,
    html`</article>`,
  );
}

function diagnosesSection(result: ExplainResult): SafeHtml {
  return lines(
    html`<section id="diagnoses">
<h2>Diagnoses (${result.findings.length})</h2>`,
    result.findings.length === 0 && html`<p>${summaryText(result)}</p>`,
    ...result.findings.map((f, i) => diagnosis(f, i, 'full')),
    html`</section>`,
  );
}

function skippedSection(result: ExplainResult): SafeHtml | null {
  if (result.skipped.length === 0) return null;
  return html`<section id="skipped">
<h2>Not checked (${result.skipped.length} diagnos${result.skipped.length === 1 ? 'is' : 'es'})</h2>
<ul>${result.skipped.map((s) => html`<li><code>${s.rule}</code>: ${s.reason}</li>`)}</ul>
</section>`;
}

function querySection(result: ExplainResult): SafeHtml | null {
  if (result.query === null) return null;
  return html`<section id="query">
<h2>Query</h2>
<pre>${result.query}</pre>
</section>`;
}

const STYLE = `
:root{--fg:#1d2330;--muted:#5d6675;--bg:#fff;--panel:#f5f7fa;--line:#dde2ea;--accent:#2f6fb3;--hot:#c62828;--warn:#b26a00;--error:#c62828;--info:#2f6fb3;--bar:#cfd8e3}
@media (prefers-color-scheme:dark){:root{--fg:#e2e6ed;--muted:#9aa4b2;--bg:#15191f;--panel:#1e242c;--line:#323a45;--accent:#6ea8e6;--hot:#ef6b6b;--warn:#e0a040;--error:#ef6b6b;--info:#6ea8e6;--bar:#3a4452}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:88rem;padding:1.5rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.4rem;margin:0 0 .75rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}h3{font-size:.95rem;margin:0 0 .25rem}
code,pre{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.5rem .75rem;overflow:auto;white-space:pre-wrap;word-break:break-word}
a{color:var(--accent)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}.facts dt{color:var(--muted)}.facts dd{margin:0}
.notices{color:var(--warn);padding-left:1.2rem}.summary,footer{font-weight:600}
.legend{color:var(--muted)}.controls{margin:.5rem 0}.controls button{font:inherit;padding:.2rem .6rem;border:1px solid var(--line);border-radius:4px;background:var(--panel);color:var(--fg);cursor:pointer}
.tree details{margin:.15rem 0}
.tree summary{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;cursor:pointer;padding:.2rem .4rem;border-radius:4px}
.tree summary{list-style:none}.tree summary::-webkit-details-marker{display:none}
.tree summary::before{content:"▸";color:var(--muted);width:.8em}.tree details[open]>summary::before{content:"▾"}
.tree summary:hover{background:var(--panel)}
.name{font-weight:600}.relationship{color:var(--accent)}
.hot>summary .name,.hot-mark{color:var(--hot)}
.time{display:inline-flex;align-items:center;gap:.4rem;margin-left:auto}
.bar{display:inline-block;width:12rem;height:.7rem;background:var(--panel);border:1px solid var(--line);border-radius:2px;overflow:hidden}
.fill{display:block;height:100%;background:var(--bar)}.time.medium .fill{background:var(--warn)}.time.high .fill{background:var(--hot)}
.share{min-width:8rem;text-align:right;font-variant-numeric:tabular-nums}
.node-body{margin:0 0 .25rem 1.1rem;padding-left:.6rem;border-left:2px solid var(--line)}
.hot>.node-body{border-left-color:var(--hot)}
.node-body.with-diagnoses{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,28rem);gap:.75rem}
@media (max-width:60rem){.node-body.with-diagnoses{grid-template-columns:minmax(0,1fr)}}
.figures{margin:.1rem 0;display:flex;flex-wrap:wrap;gap:.1rem .9rem;font-variant-numeric:tabular-nums}
.figure .k{color:var(--muted)}.figure.warn{color:var(--warn)}.figure.bad{color:var(--error);font-weight:600}.figure.never{color:var(--muted);font-style:italic}
.details{display:grid;grid-template-columns:max-content 1fr;gap:0 .75rem;margin:.2rem 0}.details dt{color:var(--muted)}.details dd{margin:0;word-break:break-word}
.children{margin-left:1.1rem;padding-left:.6rem;border-left:1px dashed var(--line)}
.tags{display:inline-flex;gap:.4rem}.tag{font-size:.85em;text-decoration:none;padding:0 .35rem;border-radius:3px;border:1px solid currentColor}
.tag.error,.diagnosis.error .severity{color:var(--error)}.tag.warning,.diagnosis.warning .severity{color:var(--warn)}.tag.info,.diagnosis.info .severity{color:var(--info)}
.diagnosis{background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--info);border-radius:4px;padding:.5rem .75rem;margin:.4rem 0}
.diagnosis.error{border-left-color:var(--error)}.diagnosis.warning{border-left-color:var(--warn)}
.diagnosis p{margin:.25rem 0}.severity{text-transform:uppercase;font-size:.8em;letter-spacing:.03em}
.evidence,.note,.fix-label,.link{color:var(--muted)}.verification{font-weight:600}.verification.unverified{color:var(--warn);font-weight:normal}
.diagnosis pre{margin:.25rem 0}
:target{outline:2px solid var(--accent);outline-offset:2px}
@media print{.controls{display:none}}
`;

/** Expand, collapse, hot path only; and unfold the nodes around a `#node-3` link's target. */
const SCRIPT = `
(() => {
  const nodes = () => document.querySelectorAll('details.node');
  const controls = document.getElementById('controls');
  controls.hidden = false;
  controls.addEventListener('click', (event) => {
    const action = event.target.closest('button')?.dataset.action;
    if (action) for (const d of nodes()) d.open = action === 'expand' || (action === 'hot' && d.classList.contains('hot'));
  });
  const reveal = () => {
    for (let at = document.getElementById(location.hash.slice(1)); at; at = at.parentElement) if (at.tagName === 'DETAILS') at.open = true;
  };
  addEventListener('hashchange', reveal);
  reveal();
})();
`;

/** Nothing may be fetched; only the page's own style and its one script (by hash) may run. */
const CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`;
