/**
 * Checks linted statements with Postgres itself, on the engine the schema came from (embedded PGlite
 * for SQL files, or a live server): a statement Postgres rejects (a missing table or column, a wrong
 * type, an operator that does not exist) gets Postgres's own error, SQLSTATE and position, mapped to
 * its file:line:column.
 *
 * Each SELECT, INSERT, UPDATE, DELETE and MERGE is sent as `PREPARE pgarchitect_check_<n> AS <stmt>`:
 * parse analysis and rewrite only, never planned nor executed, with the types of `$1` parameters
 * inferred. PREPARE rather than `EXPLAIN (GENERIC_PLAN)` (PostgreSQL 16+) because it goes through the
 * extended protocol, which accepts exactly one statement whatever the server's lexer makes of the text,
 * plans nothing (no plan-time evaluation of functions), and works the same on every version. Each
 * statement runs in its own (read-only, on a live server) implicit transaction: a rejected one does not
 * abort the others, and no lock on a user table outlives its statement. The prepared statements are
 * deallocated in batches.
 *
 * DDL and other utility statements are not checked (they are not run). After one in a file, an error
 * that an object does not exist is a notice, not an error: the statement may use what the file creates.
 */
import { postgresErrorInfo, type Db, type PostgresErrorInfo } from '../db/db.js';
import type { LoadError, Notice } from '../result.js';
import { ensureParser } from '../sql/parser.js';
import { lineLocator, splitStatementsSync, SqlSyntaxError, type SqlStatement } from '../sql/split-statements.js';
import type { LintPostgresCheck, LintResult } from './lint-result.js';
import type { LintSource } from './lint.js';

export interface PostgresCheckOptions {
  /**
   * The statements are pg_stat_statements' normalised texts: a syntax error at a `$n` is the
   * normalisation's doing (`interval $1`), a notice rather than an error.
   */
  normalised?: boolean;
  /** Called after each statement checked (for a progress line). */
  onProgress?: (done: number, total: number) => void;
}

export interface PostgresCheckResult {
  /** Statements Postgres rejected, at the offending token when Postgres says which. */
  errors: LoadError[];
  /** Statements Postgres could not judge: parameters it cannot type, timeouts, objects the file creates. */
  notices: Notice[];
  /** Statements sent to Postgres. */
  checked: number;
  /** DDL and utility statements, not checked. */
  notCheckable: number;
}

/** Statement types PREPARE accepts that read or change rows. */
const CHECKABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** "Does not exist" errors: undefined table, column, function, object, schema. */
const UNDEFINED_OBJECT = new Set(['42P01', '42703', '42883', '42704', '3F000']);

/** Prepared statements kept before a DEALLOCATE ALL. */
const DEALLOCATE_EVERY = 500;

/**
 * Checks every statement of `sources` that reads or changes rows with Postgres on `db`, one round trip
 * per statement. `db` should hold the schema the statements are written for; on a live server the
 * session should be read only (LiveDb's default).
 */
export async function checkWithPostgres(db: Db, sources: readonly LintSource[], options: PostgresCheckOptions = {}): Promise<PostgresCheckResult> {
  await ensureParser();
  const result: PostgresCheckResult = { errors: [], notices: [], checked: 0, notCheckable: 0 };
  const files: { file: string; text: string; statements: SqlStatement[] }[] = [];
  for (const source of sources) {
    const file = source.file ?? '<sql>';
    try {
      files.push({ file, text: source.text, statements: splitStatementsSync(source.text) });
    } catch (error) {
      if (!(error instanceof SqlSyntaxError)) throw error;
      // lint reports the syntax error itself.
      if (!options.normalised) result.notices.push({ kind: 'statement-skipped', message: `${file}: not checked with Postgres: a statement in it does not parse` });
    }
  }
  const total = files.reduce((n, f) => n + f.statements.filter(isCheckable).length, 0);
  let prepared = 0;
  let counter = 0;
  try {
    for (const { file, text, statements } of files) {
      const locate = lineLocator(text);
      const where = (offset: number) => ({ file, ...locate(offset) });
      let changedAtLine: number | null = null;
      for (const statement of statements) {
        if (!isCheckable(statement)) {
          result.notCheckable++;
          if (!('TransactionStmt' in statement.node)) changedAtLine ??= locate(statement.offset).line;
          continue;
        }
        const prefix = `PREPARE pgarchitect_check_${++counter} AS `;
        try {
          // With parameters (none here), the statement goes through the extended protocol: one statement only.
          await db.query(prefix + statement.text, []);
          prepared++;
        } catch (error) {
          const info = postgresErrorInfo(error);
          // Connection, resource and server failures are not the statement's.
          if (!info || /^(08|53|57P|58|XX)/.test(info.sqlstate)) throw error;
          const offset = statement.offset + offsetInStatement(statement.text, info.position, prefix.length);
          const notice = notCheckedReason(info, statement, offset - statement.offset, changedAtLine, options);
          if (notice) result.notices.push({ kind: 'statement-skipped', message: notice, ...where(offset) });
          else result.errors.push(loadError(info, where(offset)));
        }
        result.checked++;
        options.onProgress?.(result.checked, total);
        if (prepared >= DEALLOCATE_EVERY) {
          await db.query('DEALLOCATE ALL', []);
          prepared = 0;
        }
      }
    }
  } finally {
    if (prepared > 0) await db.query('DEALLOCATE ALL', []).catch(() => undefined);
  }
  return result;
}

/**
 * Adds a check's errors and notices to a lint result (errors in file order, after the parser's), marks
 * the result partial when Postgres rejected a statement, and records the check in `postgresCheck`.
 */
export function addPostgresCheck(result: LintResult, check: PostgresCheckResult, engine: string): LintResult {
  const fileOrder = new Map(result.source.files.map((file, i) => [file, i]));
  const order = (e: LoadError): number => fileOrder.get(e.file) ?? -1;
  result.errors = [...result.errors, ...check.errors].sort((a, b) => order(a) - order(b) || a.line - b.line || a.column - b.column);
  result.notices.push(...check.notices);
  result.partial ||= check.errors.length > 0;
  const summary: LintPostgresCheck = { engine, checked: check.checked, rejected: check.errors.length, notCheckable: check.notCheckable };
  result.postgresCheck = summary;
  return result;
}

function isCheckable(statement: SqlStatement): boolean {
  const type = Object.keys(statement.node)[0] ?? '';
  if (!CHECKABLE.has(type)) return false;
  // SELECT ... INTO creates a table: DDL.
  const select = statement.node.SelectStmt as { intoClause?: unknown } | undefined;
  return !select?.intoClause;
}

/** Why a rejection is not the statement's fault, or null when it is. */
function notCheckedReason(info: PostgresErrorInfo, statement: SqlStatement, offset: number, changedAtLine: number | null, options: PostgresCheckOptions): string | null {
  const hasParameters = JSON.stringify(statement.node).includes('"ParamRef"');
  if (info.sqlstate === '57014' || info.sqlstate === '55P03') {
    return `not checked with Postgres: ${info.message} (raise --statement-timeout or --lock-timeout, or check when the server is less busy)`;
  }
  if (hasParameters && (info.sqlstate === '42P18' || ((info.sqlstate === '42725' || info.sqlstate === '42883') && /\bunknown\b/.test(info.message)))) {
    return `not checked with Postgres: without the types the application binds, its $n parameters are ambiguous (${info.message})`;
  }
  if (options.normalised && info.sqlstate === '42601' && /^\$\d/.test(statement.text.slice(offset))) {
    return `not checked with Postgres: pg_stat_statements replaced a constant with a parameter where the grammar wants a literal (${info.message})`;
  }
  if (changedAtLine !== null && UNDEFINED_OBJECT.has(info.sqlstate)) {
    return `not checked with Postgres: ${info.message}; the file changes the schema or the session (line ${changedAtLine}) before this statement, and the check does not run such statements`;
  }
  return null;
}

function loadError(info: PostgresErrorInfo, location: { file: string; line: number; column: number }): LoadError {
  return {
    ...location,
    sqlstate: info.sqlstate,
    message: info.message,
    ...(info.detail ? { detail: info.detail } : {}),
    ...(info.hint ? { hint: info.hint } : {}),
  };
}

/**
 * The offset (UTF-16 units of the statement text) of Postgres's `position`: 1-based, in characters, of
 * the whole text sent, which starts with `prefixLength` ASCII characters. The statement's start when
 * Postgres gave no position (or one in the prefix).
 */
function offsetInStatement(text: string, position: number | undefined, prefixLength: number): number {
  if (position === undefined) return 0;
  const characters = position - 1 - prefixLength;
  if (characters <= 0) return 0;
  let index = 0;
  for (let n = 0; n < characters && index < text.length; n++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  return index;
}
