/**
 * The human report of `lint`: one line per finding, `file:line:column`, in file order like a
 * compiler's messages, each with its fix when it has one; statements the parser rejected first; then
 * the rules not run and a summary line. For a pg_stat_statements workload, the statements that have
 * something to say come ranked by total time, each with its figures, its text and its findings under
 * it. Colour only when asked. A pure function of the result.
 */
import pc from 'picocolors';
import type { Finding, Severity } from '../finding.js';
import type { LoadError, Notice } from '../result.js';
import type { LintResult, LintWorkload } from './lint-result.js';

type Colors = ReturnType<typeof pc.createColors>;

export interface LintTextOptions {
  color: boolean;
  /** Show each finding's fix under it (default true). */
  verbose?: boolean;
}

export function formatLintText(result: LintResult, options: LintTextOptions): string {
  const c = pc.createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const verbose = options.verbose ?? true;
  const out: string[] = [];
  const s = result.summary;
  const schema = result.source.schema;
  const workload = result.workload;
  if (workload) out.push(...workloadHeader(workload, c));
  else out.push(c.bold(`pgarchitect lint: ${s.files} file${s.files === 1 ? '' : 's'}, ${s.statements} statement${s.statements === 1 ? '' : 's'}`));
  out.push(c.dim(schema ? `schema: ${schema.description} (${shortVersion(schema.serverVersion)})` : 'no schema: rules that need one are not checked (give one with --db)'));
  const check = result.postgresCheck;
  if (check) {
    const rejected = check.rejected ? `, ${check.rejected} rejected` : '';
    const utility = check.notCheckable ? `; ${check.notCheckable} DDL or utility statement${check.notCheckable === 1 ? '' : 's'} not checked` : '';
    out.push(c.dim(`checked with Postgres (${check.engine}): ${check.checked} statement${check.checked === 1 ? '' : 's'}${rejected}${utility}`));
  }
  out.push('');

  // With a workload, what concerns one of its statements is printed under it, in rank order.
  const inWorkload = (file: string | undefined): boolean => file !== undefined && workload?.statements[file] !== undefined;
  const printError = (error: LoadError, indent: string): void => {
    out.push(`${indent}${c.bold(`${error.file}:${error.line}:${error.column}`)}: ${c.red(c.bold(`ERROR ${error.sqlstate}`))}: ${error.message}`);
    if (error.detail) out.push(`${indent}  DETAIL: ${error.detail}`);
    if (error.hint) out.push(`${indent}  HINT: ${error.hint}`);
    if (error.suggestion) out.push(`${indent}  fix: ${error.suggestion}`);
  };
  const printNotice = (notice: Notice, indent: string): void => {
    const where = notice.file && notice.line !== undefined ? `${notice.file}:${notice.line}:${notice.column}: ` : '';
    out.push(`${indent}${c.yellow(`${where}note: ${notice.message}`)}`);
  };
  const printFinding = (finding: Finding, indent: string): void => {
    const where = finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}` : finding.object.name;
    out.push(`${indent}${c.bold(where)}: ${paint[finding.severity](finding.severity)}: ${finding.message} ${c.dim(`[${finding.rule}]`)}`);
    if (verbose && finding.fix) {
      out.push(`${indent}${c.dim('  fix:')}`);
      for (const line of finding.fix.sql.split('\n')) out.push(`${indent}    ${c.green(line)}`);
      if (finding.fix.note) out.push(`${indent}${c.dim(`  note: ${finding.fix.note}`)}`);
    }
  };

  const errors = result.errors.filter((e) => !inWorkload(e.file));
  for (const error of errors) printError(error, '');
  if (errors.length) out.push('');
  const notices = result.notices.filter((n) => !inWorkload(n.file));
  for (const notice of notices) printNotice(notice, '');
  if (notices.length) out.push('');

  if (workload) {
    let quiet = 0;
    let quietShare = 0;
    for (const [file, statement] of Object.entries(workload.statements).sort((a, b) => a[1].rank - b[1].rank)) {
      const findings = result.findings.filter((f) => f.location?.file === file);
      const statementErrors = result.errors.filter((e) => e.file === file);
      const statementNotices = result.notices.filter((n) => n.file === file);
      if (findings.length + statementErrors.length + statementNotices.length === 0) {
        quiet++;
        quietShare += statement.share;
        continue;
      }
      out.push(`${c.bold(`#${statement.rank}`)}  ${c.bold(formatPercent(statement.share))} of the time: ${formatMs(statement.totalExecTimeMs)} total, ${formatCount(statement.calls)} call${statement.calls === 1 ? '' : 's'}, ${formatMs(statement.meanExecTimeMs)} mean  ${c.dim(file)}`);
      out.push(`    ${c.dim(oneLine(statement.query))}`);
      for (const error of statementErrors) printError(error, '    ');
      for (const notice of statementNotices) printNotice(notice, '    ');
      for (const finding of findings) printFinding(finding, '    ');
      out.push('');
    }
    const count = Object.keys(workload.statements).length;
    if (quiet === count) out.push(`None of the ${count} statements has a finding.`, '');
    else if (quiet > 0) out.push(`${quiet} more of the ${count} statements (${formatPercent(quietShare)} of the time) have no findings.`, '');
  } else {
    for (const finding of result.findings) printFinding(finding, '');
    if (result.findings.length) out.push('');
  }

  if (result.skipped.length) {
    out.push(c.bold(`Not checked (${result.skipped.length} rule${result.skipped.length === 1 ? '' : 's'})`));
    for (const skipped of result.skipped) out.push(`  ${skipped.rule}: ${skipped.reason}`);
    out.push('');
  }
  const counts = [`${s.error} error${s.error === 1 ? '' : 's'}`, `${s.warning} warning${s.warning === 1 ? '' : 's'}`, `${s.info} info`];
  const extra = [`${s.rulesRun} rules run`];
  if (s.rulesSkipped) extra.push(`${s.rulesSkipped} not checked`);
  if (s.suppressed) extra.push(`${s.suppressed} suppressed`);
  let line = `${counts.join(', ')} (${extra.join(', ')})`;
  const rejected = check?.rejected ?? 0;
  const notParsed = result.errors.length - rejected;
  if (notParsed > 0) line += c.red(` ${notParsed} statement${notParsed === 1 ? '' : 's'} not parsed, see above`);
  if (rejected > 0) line += c.red(` ${rejected} statement${rejected === 1 ? '' : 's'} rejected by Postgres, see above`);
  out.push(c.bold(line));
  return out.join('\n') + '\n';
}

function workloadHeader(workload: LintWorkload, c: Colors): string[] {
  const count = Object.keys(workload.statements).length;
  const since = workload.statsReset ? `, since ${workload.statsReset}` : '';
  const excluded = workload.excluded ? `; ${workload.excluded} left out (transaction and session control, statements that may hold a password, pgarchitect's own queries)` : '';
  return [
    c.bold(`pgarchitect lint: pg_stat_statements of ${workload.description} (${shortVersion(workload.serverVersion)})`),
    `top ${count} of ${workload.recorded} statements by total execution time (${formatMs(workload.totalExecTimeMs)} in all${since})${excluded}`,
  ];
}

/** `12.3%`: one decimal under 10%, none above. */
export function formatPercent(share: number): string {
  const percent = share * 100;
  return `${percent < 10 ? percent.toFixed(1) : percent.toFixed(0)}%`;
}

/** `0.42 ms`, `12.3 ms`, `4.56 s`, `3.2 min`, `1.5 h`. */
function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 1000) return `${ms < 100 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** `1,234,567`, the same whatever the locale. */
function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A statement on one line, cut at 160 characters. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

function shortVersion(version: string): string {
  return /^(PostgreSQL [\d.]+)/.exec(version)?.[1] ?? version;
}
