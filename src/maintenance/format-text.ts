/**
 * The terminal report of `maintenance plan`: autovacuum settings for large tables, what is due now,
 * index usage by class, then the script (or where it was written). A pure function of the plan.
 */
import pc from 'picocolors';
import { formatBytes } from '../tune/size.js';
import type { IndexUsage, MaintenancePlan } from './result.js';

export function formatMaintenanceText(plan: MaintenancePlan, options: { color: boolean; scriptFile?: string }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const version = /^([\d.]+)/.exec(plan.source.serverVersion)?.[1] ?? plan.source.serverVersion;
  const stats = plan.statistics;
  out.push(c.bold(`pgarchitect maintenance plan: ${plan.source.description}`));
  out.push(c.dim(`PostgreSQL ${version}, database ${plan.source.database}; usage statistics ${stats.since ? `since ${stats.since.slice(0, 16).replace('T', ' ')} (${stats.sinceWhat}, ${stats.days} days)` : 'of unknown age'}; index bloat ${plan.options.bloatMethod === 'pgstattuple' ? 'measured with pgstattuple' : 'estimated from statistics'}`));
  out.push('');

  out.push(c.bold(`Autovacuum settings for large tables (${plan.autovacuumSettings.length})`));
  if (plan.autovacuumSettings.length === 0) out.push(c.dim(`  none needed: no table of ${plan.options.largeRows.toLocaleString('en-US')} rows or more waits for a larger share of dead or changed rows than its size calls for`));
  for (const a of plan.autovacuumSettings) {
    out.push(`  ${c.bold(`${a.schema}.${a.table}`)}  ${count(a.rows)} rows: vacuum from ${count(a.vacuumTrigger.now)} → ${count(a.vacuumTrigger.after)} dead rows, analyze from ${count(a.analyzeTrigger.now)} → ${count(a.analyzeTrigger.after)} changed rows`);
    out.push(`    ${c.green(a.sql)}`);
  }
  out.push('');

  out.push(c.bold(`Due now (${plan.due.length})`));
  if (plan.due.length === 0) out.push(c.dim('  nothing: every table is within autovacuum\'s triggers, and no index is bloated or invalid'));
  for (const t of plan.due) {
    out.push(`  ${c.green(t.sql)}`);
    out.push(c.dim(`    ${t.reason}`));
  }
  out.push('');

  const classes = ['unused', 'rare', 'active'] as const;
  out.push(c.bold(`Index usage (${plan.indexUsage.length} indexes; rare: under ${plan.options.rarePerDay} scan${plan.options.rarePerDay === 1 ? '' : 's'} a day)`));
  if (plan.indexUsage.length) {
    const rows = plan.indexUsage.map((u) => [u.class, `${u.schema}.${u.name}`, `${u.schema}.${u.table}`, count(u.scans), String(u.scansPerDay), count(u.tuplesRead), count(u.tuplesFetched), u.bytes === null ? '?' : formatBytes(u.bytes), note(u)]);
    const header = ['class', 'index', 'table', 'scans', 'per day', 'tuples read', 'fetched', 'size', ''];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => `  ${cells.map((cell, i) => (i >= 3 && i <= 7 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd();
    out.push(c.dim(line(header)));
    for (const r of rows) out.push(r[0] === 'unused' ? c.yellow(line(r)) : line(r));
    const totals = classes.map((k) => {
      const of = plan.indexUsage.filter((u) => u.class === k);
      return `${k} ${of.length} (${formatBytes(of.reduce((n, u) => n + (u.bytes ?? 0), 0))})`;
    });
    out.push(c.dim(`  ${totals.join(', ')}`));
  }
  out.push('');

  for (const item of plan.notExamined) out.push(c.yellow(`not examined: ${item}`));
  for (const note of plan.notes) out.push(c.yellow(`note: ${note}`));
  if (plan.notExamined.length || plan.notes.length) out.push('');

  if (options.scriptFile) {
    out.push(c.bold(`Script written to ${options.scriptFile}`) + c.dim(' (not run: psql -f it when ready)'));
  } else {
    out.push(c.bold('Script') + c.dim(' (not run; --out <file> writes it to a file)'));
    out.push(plan.script.trimEnd());
  }
  return out.join('\n') + '\n';
}

function note(u: IndexUsage): string {
  const notes: string[] = [];
  if (u.enforcesConstraint) notes.push('enforces a constraint');
  if (!u.valid) notes.push('invalid');
  return notes.join(', ');
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
