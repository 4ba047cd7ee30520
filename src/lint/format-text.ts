/**
 * The human report of `lint`: one line per finding, `file:line:column`, in file order like a
 * compiler's messages, each with its fix when it has one; statements the parser rejected first; then
 * the rules not run and a summary line. Colour only when asked. A pure function of the result.
 */
import pc from 'picocolors';
import type { Severity } from '../finding.js';
import type { LintResult } from './lint-result.js';

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
  out.push(c.bold(`pgarchitect lint: ${s.files} file${s.files === 1 ? '' : 's'}, ${s.statements} statement${s.statements === 1 ? '' : 's'}`));
  out.push(c.dim(schema ? `schema: ${schema.description} (${shortVersion(schema.serverVersion)})` : 'no schema: rules that need one are not checked (give one with --db)'));
  out.push('');

  for (const error of result.errors) {
    out.push(`${c.bold(`${error.file}:${error.line}:${error.column}`)}: ${c.red(c.bold(`ERROR ${error.sqlstate}`))}: ${error.message}`);
    if (error.detail) out.push(`  DETAIL: ${error.detail}`);
    if (error.hint) out.push(`  HINT: ${error.hint}`);
    if (error.suggestion) out.push(`  fix: ${error.suggestion}`);
  }
  if (result.errors.length) out.push('');
  for (const notice of result.notices) {
    const where = notice.file ? `${notice.file}:${notice.line}:${notice.column}: ` : '';
    out.push(c.yellow(`${where}note: ${notice.message}`));
  }
  if (result.notices.length) out.push('');

  for (const finding of result.findings) {
    const where = finding.location ? `${finding.location.file}:${finding.location.line}:${finding.location.column}` : finding.object.name;
    out.push(`${c.bold(where)}: ${paint[finding.severity](finding.severity)}: ${finding.message} ${c.dim(`[${finding.rule}]`)}`);
    if (verbose && finding.fix) {
      out.push(c.dim('  fix:'));
      for (const line of finding.fix.sql.split('\n')) out.push(`    ${c.green(line)}`);
      if (finding.fix.note) out.push(c.dim(`  note: ${finding.fix.note}`));
    }
  }
  if (result.findings.length) out.push('');

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
  if (result.errors.length) line += c.red(` ${result.errors.length} statement${result.errors.length === 1 ? '' : 's'} not parsed, see above`);
  out.push(c.bold(line));
  return out.join('\n') + '\n';
}

function shortVersion(version: string): string {
  return /^(PostgreSQL [\d.]+)/.exec(version)?.[1] ?? version;
}
