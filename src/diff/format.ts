/** The migration as a SQL script, or as JSON (`--format json`): pure functions of a DiffResult. */
import { describeDiffObject, type DiffResult, type DiffStep } from './diff-result.js';

/** The output formats of `pgarchitect diff`. */
export const DIFF_FORMATS = ['sql', 'json'] as const;
/** `sql` (the script) or `json` (the steps). */
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** How the script is written. */
export interface DiffSqlOptions {
  /** `SET lock_timeout` at the top, so no step waits long behind application locks (default `5s`). */
  lockTimeout?: string;
}

/** The migration in one of the formats. */
export function formatDiff(result: DiffResult, format: DiffFormat): string {
  return format === 'json' ? formatDiffJson(result) : formatDiffSql(result);
}

/** The DiffResult as JSON: the contract for scripts (`schemaVersion`). */
export function formatDiffJson(result: DiffResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * The script: a header (both sides, counts, how to run it, notes), `SET lock_timeout`, then each step
 * with a numbered title, what it loses, its notes and its SQL; steps not applied as comments.
 */
export function formatDiffSql(result: DiffResult, options: DiffSqlOptions = {}): string {
  const out = [`-- Migration from ${result.from.description} to ${result.to.description}, written by pgarchitect diff.`];
  if (result.steps.length === 0) {
    out.push('-- No differences.');
    return `${out.join('\n')}\n`;
  }
  const written = result.steps.filter((s) => s.applied);
  const held = result.steps.filter((s) => !s.applied && s.sql !== '');
  const manual = result.steps.filter((s) => s.sql === '');
  const blocking = written.filter((s) => !s.safeOnline);
  out.push(
    `-- ${count(result.steps.length, 'step')}: ${written.length} written${held.length ? `, ${held.length} left as comments (destructive: rerun with --allow-drops to include ${held.length === 1 ? 'it' : 'them'})` : ''}${manual.length ? `, ${manual.length} to do by hand` : ''}.`,
  );
  if (blocking.length) out.push(`-- ${count(blocking.length, 'step')} marked "blocking" hold locks that block reads or writes for a while: schedule ${blocking.length === 1 ? 'it' : 'them'}.`);
  out.push(
    result.steps.some((s) => s.applied && s.sql.includes(' CONCURRENTLY '))
      ? '-- Run it in autocommit mode, statement by statement (psql -f migration.sql): CONCURRENTLY refuses a transaction block.'
      : result.options.concurrently
        ? '-- Run it statement by statement (psql -f migration.sql).'
        : '-- Written without CONCURRENTLY (--no-concurrently), for runners that wrap a migration in a transaction: index builds block writes to their table.',
    '-- Review it before running it: it changes the schema, never the data (no data migrations), and cannot tell a rename from a drop and an add.',
  );
  for (const note of result.notes) out.push(`-- note: ${note}`);
  out.push('', `SET lock_timeout = '${options.lockTimeout ?? '5s'}';`);
  if (result.steps.some((s) => s.applied && /^(CREATE OR REPLACE (FUNCTION|PROCEDURE))/m.test(s.sql))) {
    out.push('-- Function bodies are checked when first called, as pg_dump does: a body may use tables created below.', 'SET check_function_bodies = off;');
  }
  out.push('');
  result.steps.forEach((step, i) => out.push(...stepLines(step, i + 1), ''));
  return out.join('\n');
}

function stepLines(step: DiffStep, n: number): string[] {
  const flags = [step.destructive ? 'destructive' : null, step.applied && !step.safeOnline ? 'blocking' : null].filter(Boolean);
  const lines = [`-- ${n}. ${step.kind} ${describeDiffObject(step.object)}${flags.length ? ` [${flags.join(', ')}]` : ''}`];
  if (step.loses) lines.push(`-- loses: ${step.loses}`);
  for (const note of step.notes) lines.push(`-- note: ${note}`);
  if (step.sql === '') {
    lines.push('-- (not written: do it by hand)');
  } else if (!step.applied) {
    lines.push(`-- not applied: ${step.destructive ? 'destructive, rerun with --allow-drops' : 'needs a destructive step above, rerun with --allow-drops'}`);
    lines.push(...step.sql.split('\n').map((line) => `-- ${line}`));
  } else {
    lines.push(step.sql);
  }
  return lines;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
