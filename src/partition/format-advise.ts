/** `partition advise` as text. Pure. */
import pc from 'picocolors';
import { formatBytes } from '../report/format-bytes.js';
import type { AdviseResult } from './advise-result.js';

export function formatAdviseText(result: AdviseResult, options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color === true);
  const t = result.thresholds;
  const lines = [
    `pgarchitect partition advise: ${result.source.description}`,
    `${result.tablesExamined} table${result.tablesExamined === 1 ? '' : 's'} examined (${formatBytes(t.minBytes)} or more, or growing ${formatBytes(t.minGrowthBytesPerMonth)} a month; partitions aimed at ${formatBytes(t.targetPartitionBytes)})` +
      (result.workload ? `; workload: ${result.workload.description}, ${result.workload.statements} statements` : ''),
  ];
  if (result.advice.length === 0) lines.push('', 'No table is large enough to consider partitioning.');
  for (const a of result.advice) {
    const colour = a.verdict === 'recommended' ? c.green : a.verdict === 'consider' ? c.yellow : c.dim;
    lines.push('', `${c.bold(a.table)}  ${colour(a.verdict)}`, `  ${a.message}`);
    const e = a.evidence;
    const figures = [
      e.rowEstimate !== undefined && e.rowEstimate !== null ? `${Number(e.rowEstimate).toLocaleString('en-US')} rows` : null,
      e.rowsPerDay ? `${Number(e.rowsPerDay).toLocaleString('en-US')} rows a day` : null,
      e.dataSpanDays !== null && e.dataSpanDays !== undefined ? `${e.keyFrom} .. ${e.keyTo} (${e.dataSpanDays} days)` : null,
      e.partitions ? `${e.partitions} partition${e.partitions === 1 ? '' : 's'}` : null,
    ].filter(Boolean);
    if (figures.length) lines.push(c.dim(`  evidence: ${figures.join(', ')}`));
    for (const b of a.blockers) {
      lines.push(`  - ${b.message}`);
      if (b.fix) for (const l of b.fix.split('\n')) lines.push(c.dim(`      ${l}`));
    }
    if (a.command) lines.push(c.dim(`  next: ${a.command}`));
  }
  for (const note of result.notes) lines.push('', c.yellow(`note: ${note}`));
  return lines.join('\n') + '\n';
}
