/**
 * `review --fix-sql fix.sql`: one script with the fixes of all fixable findings. Online-safe fixes run
 * as written (CREATE/DROP INDEX CONCURRENTLY, NOT VALID then VALIDATE); fixes that take a blocking
 * lock or rewrite a table are included only with `includeUnsafe`, otherwise listed as comments.
 */
import { describeObject } from './finding.js';
import type { ReviewResult } from './result.js';
import { splitStatementsSync } from './sql/split-statements.js';

export interface FixScriptOptions {
  includeUnsafe?: boolean;
  /** lock_timeout set at the top so no ALTER waits long behind application locks. */
  lockTimeout?: string;
}

export function fixScript(result: ReviewResult, options: FixScriptOptions = {}): string {
  const fixable = result.findings.filter((f) => f.fix);
  const safe = fixable.filter((f) => f.fix!.safeOnline);
  const unsafe = fixable.filter((f) => !f.fix!.safeOnline);
  const seen = new Set<string>();
  const out: string[] = [
    `-- pgarchitect fix script for ${result.source.description} (database ${result.source.database})`,
    `-- ${safe.length} online-safe fix${safe.length === 1 ? '' : 'es'}${unsafe.length ? `, ${unsafe.length} that take blocking locks (${options.includeUnsafe ? 'included at the end' : 'listed as comments'})` : ''}.`,
    '-- Run it in autocommit mode (psql -f fix.sql): CONCURRENTLY and VACUUM refuse a transaction block.',
    '-- Review it first: a fix is a suggestion checked against the schema, not against your application.',
    '',
    `SET lock_timeout = '${options.lockTimeout ?? '5s'}';`,
    '',
  ];
  // Two rules may fix the same object the same way (an index both unused and redundant): each
  // statement is written once, or the second DROP would fail.
  const emit = (title: string, sql: string, note: string | undefined, comment: boolean): void => {
    const statements = statementsOf(sql);
    const fresh = statements.filter((s) => s.control || !seen.has(s.text)).map((s) => s.text);
    if (statements.every((s) => s.control || seen.has(s.text))) return;
    for (const s of statements) if (!s.control) seen.add(s.text);
    out.push(`-- ${title}`);
    if (note) out.push(`-- note: ${note}`);
    out.push(...fresh.join('\n').split('\n').map((line) => (comment ? `-- ${line}` : line)), '');
  };
  for (const f of safe) emit(`${f.rule}: ${describeObject(f.object)}`, f.fix!.sql, f.fix!.note, false);
  if (unsafe.length) {
    out.push(options.includeUnsafe ? '-- Fixes that take blocking locks or rewrite tables: schedule a maintenance window.' : '-- Fixes that take blocking locks or rewrite tables (not applied; rerun with --unsafe-fixes to include them):', '');
    for (const f of unsafe) emit(`${f.rule}: ${describeObject(f.object)}`, f.fix!.sql, f.fix!.note, !options.includeUnsafe);
  }
  return out.join('\n');
}

/**
 * The statements of a fix, each with its semicolon (the parser is loaded: the review ran).
 * Transaction control and SET are never deduplicated: they belong to each fix that uses them.
 */
function statementsOf(sql: string): { text: string; control: boolean }[] {
  try {
    return splitStatementsSync(sql).map((s) => ({ text: `${s.text};`, control: 'TransactionStmt' in s.node || 'VariableSetStmt' in s.node }));
  } catch {
    return [{ text: sql, control: false }];
  }
}
