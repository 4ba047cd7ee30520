/**
 * The terminal report of `pgarchitect explain`: the plan as a tree (per node the exclusive time and its
 * share of the total, rows against the estimate with the misestimate factor, loops, buffers and temp
 * files of the node itself, the conditions that explain it), the hot path marked, the diagnoses beside
 * their nodes and in full below. Colour only when asked. A pure function of the result.
 */
import pc from 'picocolors';
import type { Finding, Severity } from '../finding.js';
import type { NodeMetrics } from '../plan/analyse.js';
import { planNodes } from '../plan/analyse.js';
import type { PlanNode } from '../plan/types.js';
import { formatCount, formatFactor, formatMs, formatShare } from '../rules/plan/lib/plan-facts.js';
import type { ExplainResult } from './result.js';
import type { IndexVerification } from './verify-index.js';

export interface ExplainTextOptions {
  color: boolean;
  /** Show each node's conditions (Filter, Index Cond, Sort Key, ...); default true. */
  details?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

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
  const diagnosesByNode = new Map<number, Finding[]>();
  for (const f of result.findings) {
    const id = Number(f.evidence.node);
    if (!diagnosesByNode.has(id)) diagnosesByNode.set(id, []);
    diagnosesByNode.get(id)!.push(f);
  }
  const lines: string[] = [];
  const visit = (id: number, lead: string, isLast: boolean, isRoot: boolean): void => {
    const m = metrics[id]!;
    const node = nodes[id]!;
    const branch = isRoot ? '' : isLast ? '└─ ' : '├─ ';
    const below = isRoot ? '' : isLast ? '   ' : '│  ';
    const hasChildren = m.children.length > 0;
    const body = `${lead}${below}${hasChildren ? '│ ' : '  '}`;
    const relation = m.relationship && !['Outer', 'Inner', 'Member', 'Subquery'].includes(m.relationship) ? `${c.cyan(m.relationship)}: ` : '';
    const label = m.hot ? c.bold(c.red(`▶ ${m.label}`)) : c.bold(m.label);
    const tags = (diagnosesByNode.get(id) ?? []).map((f) => paint(c, f.severity)(`${MARKS[f.severity]} ${f.rule}`));
    lines.push(`${lead}${branch}${relation}${label}${tags.length ? `  ${tags.join(' ')}` : ''}`);
    lines.push(`${body}${figures(m, node, result, c)}`);
    if (options.details ?? true) for (const detail of details(node, m)) lines.push(`${body}${c.dim(detail)}`);
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

/** The conditions and methods that explain a node, as Postgres names them. */
function details(node: PlanNode, m: NodeMetrics): string[] {
  const out: string[] = [];
  for (const key of ['Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'One-Time Filter'] as const) {
    const value = node[key];
    if (typeof value !== 'string') continue;
    const removedKey = key === 'Filter' ? 'Rows Removed by Filter' : key === 'Join Filter' ? 'Rows Removed by Join Filter' : key === 'Recheck Cond' ? 'Rows Removed by Index Recheck' : null;
    const removed = removedKey ? node[removedKey] : undefined;
    out.push(`${key}: ${value}${typeof removed === 'number' && removed > 0 ? ` (removed ${formatCount(removed * (m.loops ?? 1))})` : ''}`);
  }
  for (const key of ['Sort Key', 'Group Key', 'Presorted Key'] as const) if (node[key]?.length) out.push(`${key}: ${node[key]!.join(', ')}`);
  if (node['Sort Method']) out.push(`Sort Method: ${node['Sort Method']}${node['Sort Space Used'] !== undefined ? ` (${formatCount(node['Sort Space Used'])} kB ${node['Sort Space Type'] === 'Disk' ? 'on disk' : 'in memory'})` : ''}`);
  if (node['Hash Batches'] !== undefined) {
    const grew = node['Original Hash Batches'] !== undefined && node['Original Hash Batches'] !== node['Hash Batches'] ? ` (planned ${node['Original Hash Batches']})` : '';
    out.push(`Hash: ${formatCount(node['Hash Buckets'] ?? 0)} buckets, ${formatCount(node['Hash Batches'])} batch${node['Hash Batches'] === 1 ? '' : 'es'}${grew}, ${formatCount(node['Peak Memory Usage'] ?? 0)} kB`);
  }
  if (node['HashAgg Batches'] !== undefined && node['HashAgg Batches'] > 1) out.push(`HashAgg: ${formatCount(node['HashAgg Batches'])} batches, ${formatCount(node['Disk Usage'] ?? 0)} kB on disk`);
  if (typeof node['Heap Fetches'] === 'number') out.push(`Heap Fetches: ${formatCount(node['Heap Fetches'])}`);
  if (node['Lossy Heap Blocks'] || node['Exact Heap Blocks']) out.push(`Heap Blocks: exact ${formatCount(node['Exact Heap Blocks'] ?? 0)}, lossy ${formatCount(node['Lossy Heap Blocks'] ?? 0)}`);
  if (node['Workers Planned'] !== undefined) out.push(`Workers: ${node['Workers Launched'] ?? '?'} launched of ${node['Workers Planned']} planned`);
  return out;
}

function formatDiagnoses(result: ExplainResult, c: Colors): string[] {
  const out: string[] = [];
  if (result.findings.length === 0) return out;
  out.push(c.bold(`Diagnoses (${result.findings.length})`));
  for (const f of result.findings) {
    out.push(`  ${paint(c, f.severity)(MARKS[f.severity])} ${c.bold(f.object.name)} ${c.dim(`[${f.rule}]`)}`);
    out.push(`    ${f.message}`);
    const evidence = Object.entries(f.evidence)
      .filter(([key, value]) => !['node', 'label', 'verification'].includes(key) && value !== null && (typeof value !== 'object' || (Array.isArray(value) && value.length > 0)))
      .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(', ') : typeof value === 'number' ? formatCount(value) : String(value)}`);
    if (evidence.length) out.push(c.dim(`      evidence: ${evidence.join(', ')}`));
    const verification = f.evidence.verification as IndexVerification | undefined;
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
      const note = verification?.status === 'unverified' ? f.fix.note?.replace(/^Unverified: .*?\.\s*/, '') : f.fix.note;
      if (note) out.push(c.dim(`      note: ${note}`));
    }
  }
  out.push('');
  return out;
}

function summaryLine(result: ExplainResult, c: Colors): string {
  const s = result.summary;
  if (s.total === 0) return c.green(`No diagnoses (${s.rulesRun} checked${s.rulesSkipped ? `, ${s.rulesSkipped} not checked` : ''}).`);
  const counts = [s.error && `${s.error} error${s.error === 1 ? '' : 's'}`, s.warning && `${s.warning} warning${s.warning === 1 ? '' : 's'}`, s.info && `${s.info} info`].filter(Boolean);
  return `${s.total} diagnos${s.total === 1 ? 'is' : 'es'}: ${counts.join(', ')} (${s.rulesRun} checked${s.rulesSkipped ? `, ${s.rulesSkipped} not checked` : ''}).`;
}

function paint(c: Colors, severity: Severity): (s: string) => string {
  return severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.blue;
}
