/**
 * The terminal report of `pgarchitect explain`: the plan as a tree (per node the exclusive time and its
 * share of the total, rows against the estimate with the misestimate factor, loops, buffers and temp
 * files of the node itself, the conditions that explain it), the hot path marked, the diagnoses beside
 * their nodes and in full below. Colour only when asked. A pure function of the result.
 */
import pc from 'picocolors';
import type { Severity } from '../finding.js';
import type { NodeMetrics } from '../plan/analyse.js';
import { planNodes } from '../plan/analyse.js';
import type { PlanNode } from '../plan/types.js';
import { formatCount, formatFactor, formatMs, formatShare } from '../rules/plan/lib/plan-facts.js';
import { diagnosesByNode, evidenceEntries, fixNote, namedRelationship, nodeDetails, SEVERITY_MARKS, summaryText, verificationOf } from './format-parts.js';
import type { ExplainResult } from './result.js';

export interface ExplainTextOptions {
  color: boolean;
  /** Show each node's conditions (Filter, Index Cond, Sort Key, ...); default true. */
  details?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

export function formatExplainText(result: ExplainResult, options: ExplainTextOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  out.push(c.bold(`pgarchitect explain: ${result.source.description}`));
  out.push(c.dim(headline(result)));
  for (const notice of result.notices) out.push(c.yellow(`note: ${notice}`));
  out.push('');
  out.push(...formatPlanTree(result, options));
  out.push('');
  out.push(...formatDiagnoses(result, c));
  if (result.skipped.length) {
    out.push(c.bold(`Not checked (${result.skipped.length} diagnos${result.skipped.length === 1 ? 'is' : 'es'})`));
    for (const s of result.skipped) out.push(`  ${s.rule}: ${s.reason}`);
    out.push('');
  }
  out.push(summaryLine(result, c));
  return out.join('\n') + '\n';
}

/** The plan tree alone, one entry per node, lines without the final newline. */
export function formatPlanTree(result: ExplainResult, options: ExplainTextOptions): string[] {
  const c = pc.createColors(options.color);
  const nodes = planNodes(result.plan);
  const metrics = result.analysis.nodes;
  const byNode = diagnosesByNode(result);
  const lines: string[] = [];
  const visit = (id: number, lead: string, isLast: boolean, isRoot: boolean): void => {
    const m = metrics[id]!;
    const node = nodes[id]!;
    const branch = isRoot ? '' : isLast ? '└─ ' : '├─ ';
    const below = isRoot ? '' : isLast ? '   ' : '│  ';
    const hasChildren = m.children.length > 0;
    const body = `${lead}${below}${hasChildren ? '│ ' : '  '}`;
    const named = namedRelationship(m);
    const relation = named ? `${c.cyan(named)}: ` : '';
    const label = m.hot ? c.bold(c.red(`▶ ${m.label}`)) : c.bold(m.label);
    const tags = (byNode.get(id) ?? []).map((f) => paint(c, f.severity)(`${SEVERITY_MARKS[f.severity]} ${f.rule}`));
    lines.push(`${lead}${branch}${relation}${label}${tags.length ? `  ${tags.join(' ')}` : ''}`);
    lines.push(`${body}${figures(m, node, result, c)}`);
    if (options.details ?? true) for (const detail of nodeDetails(node, m)) lines.push(`${body}${c.dim(`${detail.name}: ${detail.value}`)}`);
    m.children.forEach((child, i) => visit(child, lead + below, i === m.children.length - 1, false));
  };
  visit(0, '', true, true);
  return lines;
}

function headline(result: ExplainResult): string {
  const a = result.analysis;
  const parts: string[] = [];
  if (result.source.serverVersion) parts.push(`PostgreSQL ${result.source.serverVersion.split(' ')[0]}`);
  if (result.source.kind === 'query') parts.push(result.analyzed ? 'executed in a transaction that was rolled back' : 'estimated plan, not executed');
  else parts.push(`${result.source.planFormat} plan${a.analyzed ? '' : ', estimates only'}`);
  if (a.executionTimeMs !== null) parts.push(`execution ${formatMs(a.executionTimeMs)}`);
  if (a.planningTimeMs !== null) parts.push(`planning ${formatMs(a.planningTimeMs)}`);
  if (a.jitTimeMs !== null) parts.push(`JIT ${formatMs(a.jitTimeMs)}`);
  if (a.triggerTimeMs !== null) parts.push(`triggers ${formatMs(a.triggerTimeMs)}`);
  if (a.totalCost !== null) parts.push(`cost ${formatCount(a.totalCost)}`);
  const settings = Object.entries(result.plan.Settings ?? {});
  if (settings.length) parts.push(`settings: ${settings.map(([k, v]) => `${k} = '${v}'`).join(', ')}`);
  return parts.join(' · ');
}

/** `12.3 ms · 35% · rows 20,000 (est 23,068, 1.2× over) · loops 2 · shared hit 1,471 · temp written 10` */
function figures(m: NodeMetrics, node: PlanNode, result: ExplainResult, c: Colors): string {
  const parts: string[] = [];
  if (m.loops === 0) return c.dim('never executed');
  if (m.exclusiveTimeMs !== null) {
    const share = m.timeShare ?? 0;
    const text = `${formatMs(m.exclusiveTimeMs)} · ${formatShare(share)}`;
    parts.push(share >= 0.5 ? c.red(text) : share >= 0.1 ? c.yellow(text) : text);
  } else if (m.exclusiveCost !== null) {
    parts.push(`cost ${formatCount(m.exclusiveCost)}${node['Total Cost'] !== undefined && node['Total Cost'] !== m.exclusiveCost ? ` (total ${formatCount(node['Total Cost'])})` : ''}`);
  }
  if (result.analysis.analyzed && m.actualRows !== null) {
    let rows = `rows ${formatCount(m.actualRows)} (est ${formatCount(m.estimatedRows ?? 0)}`;
    if (m.misestimateFactor !== null && m.misestimate && m.misestimateFactor >= 2) {
      const factor = `${formatFactor(m.misestimateFactor)}× ${m.misestimate}`;
      rows += `, ${m.misestimateFactor >= 10 ? c.yellow(factor) : factor}`;
    }
    parts.push(rows + ')');
    if ((m.loops ?? 1) > 1) parts.push(`loops ${formatCount(m.loops!)}`);
  } else if (m.estimatedRows !== null) {
    parts.push(`rows ${formatCount(m.estimatedRows)} est`);
  }
  const b = m.buffers;
  if (b) {
    const shared = [b.sharedHit && `hit ${formatCount(b.sharedHit)}`, b.sharedRead && `read ${formatCount(b.sharedRead)}`, b.sharedDirtied && `dirtied ${formatCount(b.sharedDirtied)}`, b.sharedWritten && `written ${formatCount(b.sharedWritten)}`].filter(Boolean);
    if (shared.length) parts.push(`shared ${shared.join(' ')}`);
    const temp = [b.tempRead && `read ${formatCount(b.tempRead)}`, b.tempWritten && `written ${formatCount(b.tempWritten)}`].filter(Boolean);
    if (temp.length) parts.push(c.yellow(`temp ${temp.join(' ')}`));
    const local = [b.localHit && `hit ${formatCount(b.localHit)}`, b.localRead && `read ${formatCount(b.localRead)}`].filter(Boolean);
    if (local.length) parts.push(`local ${local.join(' ')}`);
  }
  return parts.join(' · ');
}

function formatDiagnoses(result: ExplainResult, c: Colors): string[] {
  const out: string[] = [];
  if (result.findings.length === 0) return out;
  out.push(c.bold(`Diagnoses (${result.findings.length})`));
  for (const f of result.findings) {
    out.push(`  ${paint(c, f.severity)(SEVERITY_MARKS[f.severity])} ${c.bold(f.object.name)} ${c.dim(`[${f.rule}]`)}`);
    out.push(`    ${f.message}`);
    const evidence = evidenceEntries(f);
    if (evidence.length) out.push(c.dim(`      evidence: ${evidence.join(', ')}`));
    const verification = verificationOf(f);
    if (verification) {
      out.push(
        verification.status === 'verified'
          ? c.dim(`      costed with hypopg: ${formatCount(verification.costBefore)} → ${formatCount(verification.costAfter)}${verification.indexUsed ? '' : ' (index not used)'}`)
          : c.yellow(`      unverified: ${verification.reason}`),
      );
    }
    if (f.fix) {
      out.push(c.dim(`      fix${f.fix.safeOnline ? ' (online-safe)' : ' (takes a blocking lock)'}:`));
      for (const line of f.fix.sql.split('\n')) out.push(`        ${c.green(line)}`);
      const note = fixNote(f);
      if (note) out.push(c.dim(`      note: ${note}`));
    }
  }
  out.push('');
  return out;
}

function summaryLine(result: ExplainResult, c: Colors): string {
  const text = summaryText(result);
  return result.summary.total === 0 ? c.green(text) : text;
}

function paint(c: Colors, severity: Severity): (s: string) => string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
}
