/** The terminal report of `indexes advise`: the plan ranked by benefit, drops, and the queries it changes. A pure function of the result. */
import pc from 'picocolors';
import { formatBytes } from '../report/format-bytes.js';
import type { AdviseResult } from './advise.js';

export function formatAdviseText(result: AdviseResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const cost = (n: number): string => formatCost(n, result.costUnit);
  out.push(c.bold(`pgarchitect indexes advise: ${result.source.description}`));
  out.push(c.dim(`PostgreSQL ${result.source.serverVersion}, hypopg ${result.source.hypopgVersion}; workload: ${result.workload.description}, ${result.workload.queries} statements`));
  out.push(
    c.dim(
      `search: Extend, ${result.search.whatIfCalls} what-if plans (${result.search.evaluations} distinct), ${(result.search.durationMs / 1000).toFixed(1)} s, ${STOPS[result.search.stoppedBy] ?? result.search.stoppedBy}` +
        `; budget ${result.settings.budgetBytes === null ? 'none' : formatBytes(result.settings.budgetBytes)}, at most ${result.settings.maxIndexes ?? '∞'} indexes of ${result.settings.maxWidth} columns`,
    ),
  );
  if (result.costUnit === 'ms') out.push(c.dim('costs: predicted total execution time (ms), each statement\'s estimated cost scaled to its measured total time in pg_stat_statements'));
  for (const notice of result.notices) out.push(c.yellow(`note: ${notice}`));
  out.push('');

  const totalBytes = result.indexes.reduce((sum, i) => sum + i.bytes, 0);
  const change = result.costBefore > 0 ? ` (${formatShare((result.costAfter - result.costBefore) / result.costBefore)})` : '';
  out.push(c.bold(`Add ${result.indexes.length} index${result.indexes.length === 1 ? '' : 'es'} (${formatBytes(totalBytes)}): workload cost ${cost(result.costBefore)} → ${cost(result.costAfter)}${change}`));
  if (result.indexes.length === 0) out.push('  none: no candidate improves the workload by more than the threshold within the limits');
  for (const index of result.indexes) {
    out.push(`${String(index.rank).padStart(3)}. ${c.green(index.sql)}`);
    out.push(
      `      ${formatBytes(index.bytes)}; workload cost without it ${cost(index.workloadCostWithout)}, with the plan ${cost(index.workloadCostWith)} (benefit ${cost(index.benefit)})` +
        (index.tableWrites !== null ? `; ${formatCount(index.tableWrites)} writes to ${index.table} since the statistics reset would maintain it` : ''),
    );
    for (const q of index.helps.slice(0, 3)) out.push(c.dim(`      helps ${q.id} (${q.origin}): ${formatCount(q.costWithout)} → ${formatCount(q.costWith)} per execution`));
  }
  out.push('');

  out.push(c.bold(`Drop ${result.drops.length} index${result.drops.length === 1 ? '' : 'es'}${result.drops.length ? ` (${formatBytes(result.drops.reduce((s, d) => s + (d.bytes ?? 0), 0))})` : ''}`));
  if (result.drops.length === 0) out.push('  none: every existing index is used, backs a constraint, or is the replica identity');
  for (const drop of result.drops) {
    out.push(`  - ${c.red(drop.sql)}`);
    out.push(
      c.dim(
        `      ${drop.kind}: ${drop.reason} ${drop.bytes !== null ? formatBytes(drop.bytes) : 'size unknown'}, ${drop.scans ?? '?'} scans` +
          (drop.tableWrites !== null ? `, ${formatCount(drop.tableWrites)} writes maintained it` : '') +
          (drop.usedByWorkload ? '; a workload plan uses it today (the index it defers to serves the same searches)' : ''),
      ),
    );
  }
  out.push('');

  out.push(c.bold('Statements, by weighted gain'));
  for (const q of result.queries) {
    const gain = q.costBefore > 0 ? ` (${formatShare((q.costAfter - q.costBefore) / q.costBefore)})` : '';
    const stats = q.stats ? `, ${formatCount(q.stats.calls)} calls, ${formatCount(q.stats.totalTimeMs)} ms total` : `, weight ${formatCount(q.weight)}`;
    out.push(`  ${q.id} ${c.dim(q.origin)}${stats}: ${formatCount(q.costBefore)} → ${formatCount(q.costAfter)}${gain}${q.indexesUsed.length ? c.dim(` using ${q.indexesUsed.join(', ')}`) : ''}`);
    out.push(c.dim(`      ${oneLine(q.sql)}`));
  }
  if (result.workload.skipped.length) {
    out.push('', c.bold(`Left out (${result.workload.skipped.length})`));
    for (const s of result.workload.skipped) out.push(`  ${s.origin}: ${s.reason}`);
  }
  return out.join('\n') + '\n';
}

const STOPS: Record<string, string> = {
  'no-improvement': 'stopped: no step improves the workload enough',
  budget: 'stopped: the next useful step exceeds the budget',
  'max-indexes': 'stopped: the index count limit is reached',
  'time-limit': 'stopped at the time limit',
};

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 140 ? `${flat.slice(0, 137)}...` : flat;
}

export { formatBytes };

function formatCount(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toFixed(2)).toString();
}

function formatCost(n: number, unit: 'cost' | 'ms'): string {
  return unit === 'ms' ? `${formatCount(n)} ms` : formatCount(n);
}

function formatShare(share: number): string {
  return `${share > 0 ? '+' : share < 0 ? '−' : ''}${Math.abs(share * 100).toFixed(1)}%`;
}
