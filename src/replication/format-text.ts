/** The terminal report of `replication`: a pure function of the result. */
import pc from 'picocolors';
import type { Severity } from '../finding.js';
import { objectHeading } from '../health/format-text.js';
import type { HealthResult } from '../health/result.js';
import { formatBytes } from '../report/format-bytes.js';
import type { ReplicationResult } from './result.js';

const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

export function formatReplicationText(result: ReplicationResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  const p = result.primary;
  const version = /^([\d.]+)/.exec(p.serverVersion)?.[1] ?? p.serverVersion;
  out.push(c.bold(`pgarchitect replication: ${p.description}`));
  out.push(c.dim(`primary, PostgreSQL ${version}, WAL at ${p.currentLsn ?? 'unknown'}; ${settingsText(p.settings)}`));
  out.push('');

  out.push(c.bold(`Standbys streaming from the primary (${result.standbys.length})`));
  if (result.standbys.length === 0) out.push('  none (pg_stat_replication is empty)');
  else {
    const rows = result.standbys.map((s) => [
      s.name,
      s.state ?? '?',
      s.syncState ?? '?',
      s.slot ?? 'no slot',
      s.replayLagBytes === null ? '?' : formatBytes(s.replayLagBytes),
      s.replayLagSeconds === null ? 'idle' : `${s.replayLagSeconds.toFixed(1)} s`,
      s.sendLagBytes === null ? '?' : formatBytes(s.sendLagBytes),
      s.replica ?? '',
    ]);
    out.push(...table(['name', 'state', 'sync', 'slot', 'replay lag', 'lag time', 'unsent', 'given as --replica'], rows).map((l, i) => (i === 0 ? c.dim(`  ${l}`) : `  ${l}`)));
  }
  out.push('');

  if (result.replicas.length) {
    out.push(c.bold(`Replicas examined (${result.replicas.length})`));
    for (const r of result.replicas) {
      out.push(`  ${c.bold(r.description)}${r.standby ? ` = standby ${r.standby}` : c.yellow(' (not found among the primary\'s standbys)')}`);
      out.push(`    receiver ${r.receiverStatus ?? 'not running'}${r.sender ? ` from ${r.sender}` : ''}${r.slot ? `, slot ${r.slot}` : ''}; replay ${r.replayPaused ? c.yellow('paused') : 'running'}${r.receivedNotReplayedBytes !== null ? `, ${formatBytes(r.receivedNotReplayedBytes)} received not applied` : ''}${r.lastReplaySeconds !== null ? `, last transaction replayed ${r.lastReplaySeconds.toFixed(0)} s ago` : ''}`);
      out.push(`    ${settingsText(r.settings)}; ${r.conflicts} ${r.conflicts === 1 ? 'query' : 'queries'} cancelled by recovery conflicts`);
    }
    out.push('');
  }

  const sides: [string, HealthResult][] = [['primary', p.health], ...result.replicas.map((r): [string, HealthResult] => [r.description, r.health])];
  const findings = sides.flatMap(([side, h]) => h.findings.map((f) => ({ side, f })));
  out.push(c.bold(`Findings (${findings.length})`));
  for (const { side, f } of findings) {
    out.push(`  ${paint[f.severity](MARKS[f.severity])} ${c.bold(side === 'primary' ? objectHeading(f) : `${side}`)}: ${f.message} ${c.dim(`[${f.rule}]`)}`);
    if (f.fix) {
      for (const line of f.fix.sql.split('\n')) out.push(`      ${c.green(line)}`);
      if (f.fix.note) out.push(c.dim(`      note: ${f.fix.note}`));
    }
  }
  for (const [side, h] of sides) {
    for (const check of h.checks) out.push(c.dim(`  ✓ ${check.rule} on ${side}: ${check.examined}`));
    for (const s of h.skipped) out.push(c.yellow(`  not run: ${s.rule} on ${side}: ${s.reason}`));
  }
  out.push('');

  out.push(c.bold('Workload that replicas could serve (pg_stat_statements)'));
  const w = result.workload;
  if (!w) out.push(c.yellow(`  not examined: ${result.workloadUnavailable}`));
  else {
    out.push(`  ${w.statements} statements classified (the top by total time of ${w.recorded} recorded), ${w.totalCalls} calls, ${(w.totalExecTimeMs / 1000).toFixed(1)} s`);
    const line = (label: string, r: (typeof w.routes)['replica']) => `  ${label.padEnd(28)} ${pct(r.callShare).padStart(6)} of calls  ${pct(r.timeShare).padStart(6)} of time  (${r.statements} statements)`;
    out.push(c.green(line('reads only: replica-ready', w.routes.replica)));
    out.push(line('primary only', w.routes.primary));
    if (w.routes.review.statements) out.push(c.yellow(line('to review (volatile calls)', w.routes.review)));
    if (w.top.length) {
      out.push(c.dim('  heaviest read-only statements, and those to review:'));
      for (const s of w.top) out.push(`    #${s.rank} ${s.route === 'review' ? c.yellow(`[review: ${s.reason}] `) : ''}${(s.totalExecTimeMs / 1000).toFixed(2)} s, ${s.calls} calls  ${c.dim(oneLine(s.query))}`);
    }
  }
  out.push('');
  out.push(c.bold('Read-after-write'));
  for (const caveat of result.readAfterWrite) out.push(`  - ${caveat}`);
  return out.join('\n') + '\n';
}

function settingsText(settings: Record<string, string | null>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v === null ? '?' : v === '' ? "''" : v}`)
    .join(', ');
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
