/**
 * The default human report: grouped by severity, then by object; colour only when asked (the CLI asks
 * on a TTY). A pure function of the result.
 */
import pc from 'picocolors';
import { describeObject, type Finding, type Severity } from '../finding.js';
import type { ReviewResult } from '../result.js';

export interface TextReportOptions {
  color: boolean;
  /** Show evidence and fix SQL under each finding (default true). */
  verbose?: boolean;
}

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: '●' };

export function formatText(result: ReviewResult, options: TextReportOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const verbose = options.verbose ?? true;
  const out: string[] = [];
  const sourceLabel = result.source.kind === 'files' ? 'SQL files loaded into embedded PostgreSQL' : result.source.kind === 'live' ? 'live server' : 'snapshot';
  out.push(c.bold(`pgarchitect review: ${result.source.description}`));
  out.push(c.dim(`${sourceLabel}, ${shortVersion(result.source.serverVersion)}, database ${result.source.database}`));
  out.push('');

  for (const error of result.errors) {
    out.push(c.red(c.bold(`${error.file}:${error.line}:${error.column}: ERROR ${error.sqlstate}: ${error.message}`)));
    if (error.detail) out.push(`  DETAIL: ${error.detail}`);
    if (error.hint) out.push(`  HINT: ${error.hint}`);
    if (error.explanation) out.push(`  why: ${error.explanation}`);
    if (error.suggestion) out.push(`  fix: ${error.suggestion}`);
    out.push(c.red('  Loading stopped at this statement: the review below covers only what loaded before it.'));
    out.push('');
  }
  for (const notice of result.notices) {
    const where = notice.file ? `${notice.file}:${notice.line}:${notice.column}: ` : '';
    out.push(c.yellow(`${where}note: ${notice.message}`));
  }
  if (result.notices.length) out.push('');

  for (const severity of ['error', 'warning', 'info'] as const) {
    const findings = result.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    out.push(paint[severity](c.bold(`${HEADINGS[severity]} (${findings.length})`)));
    let lastObject = '';
    for (const finding of findings) {
      const object = objectHeading(finding);
      if (object !== lastObject) {
        out.push(`  ${c.bold(object)}${finding.location ? c.dim(`  ${finding.location.file}:${finding.location.line}`) : ''}`);
        lastObject = object;
      }
      out.push(`    ${paint[severity](MARKS[severity])} ${finding.message} ${c.dim(`[${finding.rule}]`)}`);
      if (verbose) {
        const evidence = formatEvidence(finding.evidence);
        if (evidence) out.push(c.dim(`      evidence: ${evidence}`));
        if (finding.fix) {
          out.push(c.dim(`      fix${finding.fix.safeOnline ? ' (online-safe)' : ' (takes a blocking lock)'}:`));
          for (const line of finding.fix.sql.split('\n')) out.push(`        ${c.green(line)}`);
          if (finding.fix.note) out.push(c.dim(`      note: ${finding.fix.note}`));
        }
      }
    }
    out.push('');
  }

  if (result.skipped.length) {
    out.push(c.bold(`Not checked (${result.skipped.length} rules)`));
    for (const s of result.skipped) out.push(`  ${s.rule}: ${s.reason}`);
    out.push('');
  }
  out.push(summaryLine(result, c));
  return out.join('\n') + '\n';
}

function objectHeading(finding: Finding): string {
  const o = finding.object;
  const table = o.table ?? (o.type === 'table' || o.type === 'partitioned table' ? o.name : undefined);
  if (table && o.schema) return `${o.schema}.${table}`;
  return `${o.type} ${describeObject(o)}`;
}

function formatEvidence(evidence: Record<string, unknown>): string {
  return Object.entries(evidence)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function shortVersion(version: string): string {
  return /^(PostgreSQL [\d.]+)/.exec(version)?.[1] ?? version;
}

function summaryLine(result: ReviewResult, c: ReturnType<typeof pc.createColors>): string {
  const s = result.summary;
  const parts = [
    `${s.error} error${s.error === 1 ? '' : 's'}`,
    `${s.warning} warning${s.warning === 1 ? '' : 's'}`,
    `${s.info} info`,
  ];
  const extra = [`${s.rulesRun} rules run`];
  if (s.rulesSkipped) extra.push(`${s.rulesSkipped} not checked`);
  if (s.suppressed) extra.push(`${s.suppressed} suppressed`);
  let line = `${parts.join(', ')} (${extra.join(', ')})`;
  if (result.partial) line += c.red(' PARTIAL: not everything loaded, see above');
  return c.bold(line);
}
