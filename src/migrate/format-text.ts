/** The terminal report of a `migrate` command. A pure function of the result. */
import pc from 'picocolors';
import type { MigrationStatus } from './migration-state.js';
import type { MigrateResult } from './result.js';
import type { StepFailure, StepReport } from './run-step.js';

/** The text report: the status table or the migrations run, the failure with its partial state, problems, notes and a summary line. */
export function formatMigrateText(result: MigrateResult, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const dry = result.dryRun ? ' --dry-run' : '';
  out.push(c.bold(`pgarchitect migrate ${result.command}${dry}: ${result.database}`));
  out.push(c.dim(`${result.folder} (${result.layout})${result.dryRun ? '; dry run: nothing is written' : ''}`));
  if (result.migrations.length > 0) out.push(...statusTable(result.migrations, c));
  const fileWidth = Math.max(0, ...result.steps.map((s) => s.file.length));
  for (const step of result.steps) out.push(...stepLines(step, result.dryRun, fileWidth, c));
  for (const repair of result.repairs) {
    const verb = result.dryRun ? 'would ' : '';
    out.push(
      repair.action === 'checksum-realigned'
        ? `  ${verb}${result.dryRun ? 'record' : 'recorded'} the new checksum of ${repair.file} (${short(repair.from ?? null)} → ${short(repair.to ?? null)})`
        : `  ${verb}${result.dryRun ? 'remove' : 'removed'} the failed entry of ${repair.file}`,
    );
  }
  if (result.failure) out.push(...failureLines(result.failure, result, c));
  for (const problem of result.problems) out.push(c.red(`problem: ${problem.message}`));
  for (const notice of result.notices) out.push(c.yellow(`note: ${notice}`));
  out.push(summary(result));
  return out.join('\n') + '\n';
}

function statusTable(statuses: readonly MigrationStatus[], c: ReturnType<typeof pc.createColors>): string[] {
  const rows = statuses.map((s) => [
    s.version ?? (s.type === 'repeatable' ? 'R' : ''),
    s.description,
    s.state,
    s.installedAt ? s.installedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '',
    s.executionMs !== null && s.type !== 'baseline' ? duration(s.executionMs) : '',
    s.transactional === false ? 'no' : '',
    s.file ?? s.script,
  ]);
  const header = ['Version', 'Description', 'State', 'Installed (UTC)', 'Time', 'Non-tx', 'File'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const paint: Record<string, (s: string) => string> = { applied: c.green, pending: c.cyan, outdated: c.cyan, failed: c.red, drifted: c.red, missing: c.yellow, 'out-of-order': c.yellow };
  return [c.dim(line(header)), ...rows.map((r, i) => (paint[statuses[i]!.state] ?? ((s: string) => s))(line(r)))];
}

function stepLines(step: StepReport, dryRun: boolean, fileWidth: number, c: ReturnType<typeof pc.createColors>): string[] {
  const mark = step.outcome === 'failed' ? c.red('✘') : dryRun ? '·' : c.green('✔');
  const version = step.version ? (step.direction === 'down' ? `↓ ${step.version}` : step.version) : 'R';
  const how = step.transactional ? 'in one transaction' : `statement by statement, outside a transaction: ${[...new Set(step.nonTransactional.map((n) => n.reason))].join(', ')}`;
  const lines = [`  ${mark} ${step.outcome.padEnd(13)} ${version.padEnd(6)} ${step.file.padEnd(fileWidth)}  ${dryRun ? '' : `${duration(step.durationMs).padStart(8)}  `}${c.dim(how + (step.attempts > 1 ? `; ${step.attempts} attempts` : ''))}`];
  if (dryRun) {
    for (const s of step.statements) {
      lines.push(c.dim(`      ${String(s.index).padStart(3)}  line ${String(s.line).padEnd(5)}`) + ` ${s.summary}${s.nonTransactional ? c.yellow(`  [${s.nonTransactional}]`) : ''}`);
    }
    if (step.statements.length === 0) lines.push(c.dim('      (no statements)'));
  }
  return lines;
}

function failureLines(failure: StepFailure, result: MigrateResult, c: ReturnType<typeof pc.createColors>): string[] {
  const where = failure.statement === null ? `COMMIT of its ${failure.statements} statements failed` : `statement ${failure.statement} of ${failure.statements} failed`;
  const lines = [c.red(`${failure.file}:${failure.line}:${failure.column}: ${where}: ${failure.sqlstate} ${failure.message}`)];
  if (failure.detail) lines.push(`  detail: ${failure.detail}`);
  if (failure.hint) lines.push(`  hint: ${failure.hint}`);
  if (failure.openTransactions) {
    const s = result.settings;
    lines.push(`  gave up after ${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'} (lock_timeout ${duration(s.lockTimeoutMs)}, ${s.retries} retr${s.retries === 1 ? 'y' : 'ies'}): another session holds a lock the migration needs, and waiting longer would queue every other query on that table behind it`);
    if (failure.openTransactions.length > 0) {
      lines.push(
        `  open transactions, oldest first: ${failure.openTransactions.map((t) => `pid ${t.pid} (${t.state}, open ${duration(t.ageMs)}${t.applicationName ? `, ${t.applicationName}` : ''})`).join('; ')}`,
      );
    }
    lines.push('  run it again when that transaction has ended, or raise --lock-timeout / --retries');
  }
  const step = result.steps[result.steps.length - 1];
  if (failure.transactional) {
    lines.push(`  rolled back: nothing of ${failure.file} stays applied${step?.direction === 'up' ? '; recorded as failed: the next `migrate up` starts from it' : '; the migration stays applied'}`);
  } else {
    const total = failure.statements;
    const failed = failure.statement;
    const notRun = failed === null ? [] : range(failed + 1, total);
    lines.push(
      `  ran outside a transaction, so it is partly applied: ${failure.applied.length ? `statement${failure.applied.length === 1 ? '' : 's'} ${failure.applied.join(', ')} stayed applied` : 'no statement stayed applied'}` +
        (failed !== null ? `; statement ${failed} failed` : '') +
        (notRun.length ? `; statement${notRun.length === 1 ? '' : 's'} ${notRun.join(', ')} did not run` : ''),
    );
    for (const index of failure.invalidIndexes) lines.push(c.yellow(`  left an INVALID index ${index}: drop it (DROP INDEX CONCURRENTLY ${index};) before the next attempt`));
    if (step?.direction === 'up') lines.push('  recorded as failed: the next `migrate up` runs the whole file again, so make its statements safe to repeat (IF NOT EXISTS) or undo what stayed applied');
  }
  return lines;
}

function summary(result: MigrateResult): string {
  const at = result.currentVersion ? `version ${result.currentVersion}` : 'no version (nothing applied)';
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  switch (result.command) {
    case 'status': {
      const pending = result.migrations.filter((m) => ['pending', 'failed', 'outdated'].includes(m.state)).length;
      return `The database is at ${at}; ${count(pending, 'migration')} to apply.`;
    }
    case 'validate':
      return result.ok ? `Valid: every applied migration matches its file (the database is at ${at}).` : `Invalid: ${count(result.problems.length, 'problem')}.`;
    case 'up':
    case 'down': {
      const verb = result.command === 'up' ? 'applied' : 'reverted';
      const done = result.steps.filter((s) => s.outcome === 'applied' || s.outcome === 'reverted').length;
      if (result.dryRun) return result.steps.length === 0 ? `Nothing to ${result.command === 'up' ? 'apply' : 'revert'}: the database is at ${at}.` : `${count(result.steps.length, 'migration')} would be ${verb}; nothing was written.`;
      if (result.problems.length > 0) return `Stopped before running anything: ${count(result.problems.length, 'problem')}.`;
      if (result.failure) return `Failed: ${count(done, 'migration')} ${verb} before it; the database is at ${at}.`;
      if (result.steps.length === 0) return `Nothing to ${result.command === 'up' ? 'apply' : 'revert'}: the database is at ${at}.`;
      return `${count(done, 'migration')} ${verb} in ${duration(result.durationMs)}; the database is at ${at}.`;
    }
    case 'repair':
      return result.dryRun ? `${count(result.repairs.length, 'change')} would be made; nothing was written.` : `${count(result.repairs.length, 'change')} made to the history.`;
    case 'baseline':
      return `Baseline recorded: the database is at ${at}.`;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function short(checksum: string | null): string {
  return checksum ? checksum.slice(0, 12) : 'none';
}
