/**
 * The terminal reports of `backup audit`, `backup create` and `backup verify`: findings grouped by
 * severity then object, each with its evidence and fix; the checks that ran with what each examined;
 * the checks that could not run and why; a summary line. Pure functions of the results.
 */
import pc from 'picocolors';
import type { Finding, Severity } from '../finding.js';
import { objectHeading } from '../health/format-text.js';
import { formatBytes } from '../tune/size.js';
import { duration } from './audit-checks.js';
import type { BackupCheck } from './check-list.js';
import type { CreateBackupResult } from './create-backup.js';
import type { BackupAuditResult, BackupVerifyResult } from './result.js';
import type { ReviewSummary, SkippedRule } from '../result.js';

type Colors = ReturnType<typeof pc.createColors>;

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

export function formatAuditText(result: BackupAuditResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const s = result.source;
  const out: string[] = [c.bold(`pgarchitect backup audit: ${s.description}`)];
  out.push(c.dim(`PostgreSQL ${s.serverVersion.split(' ')[0]}, database ${s.database}, ${s.standby ? 'standby' : 'primary'}, as ${s.user}; read at ${s.takenAt.slice(0, 19).replace('T', ' ')}`));
  const o = result.objectives;
  out.push(`Recovery point objective: ${o.rpoSeconds === null ? o.rpoBasis : `up to ${duration(o.rpoSeconds)} of commits (${o.rpoBasis})`}`);
  out.push(`Recovery time objective:  ${o.rtoSeconds === null ? o.rtoBasis : `about ${duration(o.rtoSeconds)} (${o.rtoBasis})`}`);
  out.push('');
  out.push(...body(c, result.findings, result.checks, result.skipped, result.notices));
  out.push(c.bold(summaryLine(result.summary)));
  return out.join('\n') + '\n';
}

export function formatVerifyText(result: BackupVerifyResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const b = result.backup;
  const out: string[] = [c.bold(`pgarchitect backup verify: ${b.dir}`)];
  out.push(c.dim(`database ${b.database} dumped ${b.createdAt.slice(0, 19).replace('T', ' ')} from PostgreSQL ${b.serverVersion.split(' ')[0]} (${b.format} format, ${b.files} files, ${formatBytes(b.totalBytes)})`));
  out.push(c.dim(`restored into ${result.target.scratchDatabase} on ${result.target.description} (PostgreSQL ${result.target.serverVersion.split(' ')[0]})${result.target.keptAs ? `, kept as ${result.target.keptAs}` : ', dropped afterwards'}`));
  if (result.restore) out.push(`Measured restore time (RTO): ${result.restore.seconds} s for ${formatBytes(result.restore.databaseBytes)} (${formatBytes(result.restore.bytesPerSecond)}/s, pg_restore ${result.restore.jobs} job${result.restore.jobs === 1 ? '' : 's'})`);
  out.push('');
  out.push(...body(c, result.findings, result.checks, result.skipped, result.notices));
  const notRun = result.skipped.length ? ` (${result.skipped.length} check${result.skipped.length === 1 ? '' : 's'} not run: see above)` : '';
  const verdict = result.ok ? c.green(c.bold(`VERIFIED: the backup restores, and every table matches the manifest${notRun}`)) : c.red(c.bold('FAILED: the backup does not restore as it was taken'));
  out.push(verdict);
  out.push(c.bold(summaryLine(result.summary)));
  return out.join('\n') + '\n';
}

export function formatCreateText(result: CreateBackupResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const m = result.manifest;
  const rows = m.tables.reduce((sum, t) => sum + t.rows, 0);
  const out = [
    c.bold(`pgarchitect backup create: ${result.dir}`),
    `database ${m.database}, PostgreSQL ${m.server.version.split(' ')[0]}, snapshot of ${m.createdAt.slice(0, 19).replace('T', ' ')}`,
    `pg_dump ${result.pgDump.major} (${result.pgDump.path}), ${m.format} format${m.format === 'directory' ? `, ${m.jobs} job${m.jobs === 1 ? '' : 's'}` : ''}: ${m.dumpSeconds} s`,
    `${m.tables.length} table${m.tables.length === 1 ? '' : 's'} (${rows.toLocaleString('en-US')} rows), ${m.sequences.length} sequence${m.sequences.length === 1 ? '' : 's'}, ${m.largeObjects ? `${m.largeObjects.count} large object${m.largeObjects.count === 1 ? '' : 's'}` : `large objects not measured (${m.largeObjectsUnreadable})`}`,
    `${m.files.length} files, ${formatBytes(m.totalBytes)}; manifest.json holds their sha256 and every table's row count and checksum`,
  ];
  for (const warning of result.warnings) out.push(c.yellow(`note: ${warning}`));
  out.push(c.dim(`prove it restores: pgarchitect backup verify ${result.dir}`));
  return out.join('\n') + '\n';
}

function body(c: Colors, findings: readonly Finding[], checks: readonly BackupCheck[], skipped: readonly SkippedRule[], notices: readonly string[]): string[] {
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  for (const notice of notices) out.push(c.yellow(`note: ${notice}`));
  if (notices.length) out.push('');
  for (const severity of ['error', 'warning', 'info'] as const) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(paint[severity](c.bold(`${HEADINGS[severity]} (${group.length})`)));
    let lastObject = '';
    for (const finding of group) {
      const object = objectHeading(finding);
      if (object !== lastObject) {
        out.push(`  ${c.bold(object)}`);
        lastObject = object;
      }
      out.push(`    ${paint[severity](MARKS[severity])} ${finding.message} ${c.dim(`[${finding.rule}]`)}`);
      const evidence = Object.entries(finding.evidence)
        .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(', ');
      if (evidence) out.push(c.dim(`      evidence: ${evidence}`));
      if (finding.fix) {
        out.push(c.dim(`      fix${finding.fix.safeOnline ? ' (online-safe)' : ' (needs a restart or downtime)'}:`));
        for (const line of finding.fix.sql.split('\n')) out.push(`        ${c.green(line)}`);
        if (finding.fix.note) out.push(c.dim(`      note: ${finding.fix.note}`));
      }
    }
    out.push('');
  }
  out.push(c.bold(`Checks run (${checks.length})`));
  const width = Math.max(0, ...checks.map((k) => k.rule.length));
  for (const check of checks) {
    const mark = check.findings === 0 ? c.green('✓') : c.yellow(String(check.findings));
    out.push(`  ${check.rule.padEnd(width)}  ${mark}  ${c.dim(check.examined)}`);
  }
  out.push('');
  if (skipped.length) {
    out.push(c.bold(`Not run (${skipped.length})`));
    for (const s of skipped) out.push(`  ${s.rule}: ${s.reason}`);
    out.push('');
  }
  return out;
}

function summaryLine(s: ReviewSummary): string {
  const extra = [`${s.rulesRun} checks run`];
  if (s.rulesSkipped) extra.push(`${s.rulesSkipped} not run`);
  return `${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}, ${s.info} info (${extra.join(', ')})`;
}
