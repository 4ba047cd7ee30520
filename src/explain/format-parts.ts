/**
 * What the explain reports (text and HTML) say the same way, kept in one place so they cannot drift
 * apart: a node's conditions, a diagnosis's evidence and note, the summary. Plain strings only; each
 * report adds its own colour or markup.
 */
import type { Finding, Severity } from '../finding.js';
import type { NodeMetrics } from '../plan/analyse.js';
import type { PlanNode } from '../plan/types.js';
import { formatCount } from '../rules/plan/lib/plan-facts.js';
import type { ExplainResult } from './result.js';
import type { IndexVerification } from './verify-index.js';

/** The mark printed before a diagnosis of each severity. */
export const SEVERITY_MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

/** One condition or method that explains a node: `Filter` and `(o.id = 7) (removed 3,120)`. */
export interface NodeDetail {
  name: string;
  value: string;
}

/** The diagnoses about each node, by node id, in the order of `result.findings`. */
export function diagnosesByNode(result: ExplainResult): Map<number, Finding[]> {
  const byNode = new Map<number, Finding[]>();
  for (const f of result.findings) {
    const id = Number(f.evidence.node);
    if (!byNode.has(id)) byNode.set(id, []);
    byNode.get(id)!.push(f);
  }
  return byNode;
}

/**
 * How a node hangs under its parent, when that is worth saying: the InitPlan, SubPlan or CTE name;
 * null for the ordinary Outer, Inner, Member and Subquery inputs.
 */
export function namedRelationship(m: NodeMetrics): string | null {
  return m.relationship && !['Outer', 'Inner', 'Member', 'Subquery'].includes(m.relationship) ? m.relationship : null;
}

/** The conditions and methods that explain a node, as Postgres names them. */
export function nodeDetails(node: PlanNode, m: NodeMetrics): NodeDetail[] {
  const out: NodeDetail[] = [];
  for (const key of ['Index Cond', 'Recheck Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Filter', 'One-Time Filter'] as const) {
    const value = node[key];
    if (typeof value !== 'string') continue;
    const removedKey = key === 'Filter' ? 'Rows Removed by Filter' : key === 'Join Filter' ? 'Rows Removed by Join Filter' : key === 'Recheck Cond' ? 'Rows Removed by Index Recheck' : null;
    const removed = removedKey ? node[removedKey] : undefined;
    out.push({ name: key, value: `${value}${typeof removed === 'number' && removed > 0 ? ` (removed ${formatCount(removed * (m.loops ?? 1))})` : ''}` });
  }
  for (const key of ['Sort Key', 'Group Key', 'Presorted Key'] as const) if (node[key]?.length) out.push({ name: key, value: node[key]!.join(', ') });
  if (node['Sort Method']) out.push({ name: 'Sort Method', value: `${node['Sort Method']}${node['Sort Space Used'] !== undefined ? ` (${formatCount(node['Sort Space Used'])} kB ${node['Sort Space Type'] === 'Disk' ? 'on disk' : 'in memory'})` : ''}` });
  if (node['Hash Batches'] !== undefined) {
    const grew = node['Original Hash Batches'] !== undefined && node['Original Hash Batches'] !== node['Hash Batches'] ? ` (planned ${node['Original Hash Batches']})` : '';
    out.push({ name: 'Hash', value: `${formatCount(node['Hash Buckets'] ?? 0)} buckets, ${formatCount(node['Hash Batches'])} batch${node['Hash Batches'] === 1 ? '' : 'es'}${grew}, ${formatCount(node['Peak Memory Usage'] ?? 0)} kB` });
  }
  if (node['HashAgg Batches'] !== undefined && node['HashAgg Batches'] > 1) out.push({ name: 'HashAgg', value: `${formatCount(node['HashAgg Batches'])} batches, ${formatCount(node['Disk Usage'] ?? 0)} kB on disk` });
  if (typeof node['Heap Fetches'] === 'number') out.push({ name: 'Heap Fetches', value: formatCount(node['Heap Fetches']) });
  if (node['Lossy Heap Blocks'] || node['Exact Heap Blocks']) out.push({ name: 'Heap Blocks', value: `exact ${formatCount(node['Exact Heap Blocks'] ?? 0)}, lossy ${formatCount(node['Lossy Heap Blocks'] ?? 0)}` });
  if (node['Workers Planned'] !== undefined) out.push({ name: 'Workers', value: `${node['Workers Launched'] ?? '?'} launched of ${node['Workers Planned']} planned` });
  return out;
}

/** A diagnosis's evidence as `key=value` pairs, without the node reference and the verification (shown apart). */
export function evidenceEntries(f: Finding): string[] {
  return Object.entries(f.evidence)
    .filter(([key, value]) => !['node', 'label', 'verification'].includes(key) && value !== null && (typeof value !== 'object' || (Array.isArray(value) && value.length > 0)))
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(', ') : typeof value === 'number' ? formatCount(value) : String(value)}`);
}

/** How an index proposal was checked (hypopg), when the diagnosis is one. */
export function verificationOf(f: Finding): IndexVerification | undefined {
  return f.evidence.verification as IndexVerification | undefined;
}

/** The fix's note, without the "Unverified: ..." sentence when the verification already says why. */
export function fixNote(f: Finding): string | undefined {
  return verificationOf(f)?.status === 'unverified' ? f.fix?.note?.replace(/^Unverified: .*?\.\s*/, '') : f.fix?.note;
}

/** `1 diagnosis: 1 warning (11 checked, 2 not checked).` or `No diagnoses (13 checked).` */
export function summaryText(result: ExplainResult): string {
  const s = result.summary;
  const checked = `${s.rulesRun} checked${s.rulesSkipped ? `, ${s.rulesSkipped} not checked` : ''}`;
  if (s.total === 0) return `No diagnoses (${checked}).`;
  const counts = [s.error && `${s.error} error${s.error === 1 ? '' : 's'}`, s.warning && `${s.warning} warning${s.warning === 1 ? '' : 's'}`, s.info && `${s.info} info`].filter(Boolean);
  return `${s.total} diagnos${s.total === 1 ? 'is' : 'es'}: ${counts.join(', ')} (${checked}).`;
}
