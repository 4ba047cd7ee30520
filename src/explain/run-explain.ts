/**
 * Runs EXPLAIN on a live server. With ANALYZE the statement really executes, so it runs inside a
 * transaction that is always rolled back: analysing an INSERT, UPDATE or DELETE changes nothing (the
 * session must then be read-write; sequences still advance, as they do in any rolled-back
 * transaction). Without ANALYZE nothing executes and a read-only session does.
 */
import { postgresErrorInfo, type Db } from '../db/db.js';
import { UserError } from '../errors.js';
import { explainOutputOf } from '../plan/parse-json.js';
import type { ExplainOutput } from '../plan/types.js';
import { lineColumnOf, splitStatements, SqlSyntaxError } from '../sql/split-statements.js';

export interface RunExplainOptions {
  /** Execute the statement (EXPLAIN ANALYZE, BUFFERS) or only plan it. Default true. */
  analyze?: boolean;
  /** Planner settings for this statement only (`SET LOCAL`), e.g. `{ work_mem: '64MB' }`. */
  settings?: Readonly<Record<string, string>>;
}

/** Statements EXPLAIN accepts. */
const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'ExecuteStmt', 'DeclareCursorStmt', 'CreateTableAsStmt']);

/** One statement to explain, and where it sits in the text the user gave (for error positions). */
export interface ExplainableStatement {
  /** The statement without its final `;`. */
  text: string;
  /** Its offset in `source`. */
  offset: number;
  source: string;
  origin: string;
}

/**
 * Checks that `sql` is one statement EXPLAIN accepts. Syntax errors are reported with line and column.
 */
export async function explainableStatement(sql: string, origin = 'query'): Promise<ExplainableStatement> {
  let statements;
  try {
    statements = await splitStatements(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) {
      const { line, column } = lineColumnOf(sql, error.offset);
      throw new UserError(`${origin}:${line}:${column}: ${error.message}`, 'the query does not parse as PostgreSQL');
    }
    throw error;
  }
  if (statements.length === 0) throw new UserError(`${origin}: no statement to explain`);
  if (statements.length > 1) {
    const { line, column } = lineColumnOf(sql, statements[1]!.offset);
    throw new UserError(`${origin}:${line}:${column}: give one statement to explain, found ${statements.length}`);
  }
  const statement = statements[0]!;
  const kind = Object.keys(statement.node)[0] ?? 'unknown';
  if (kind === 'ExplainStmt') throw new UserError(`${origin}: the query already starts with EXPLAIN`, 'give the statement alone: pgarchitect adds EXPLAIN (ANALYZE, BUFFERS, VERBOSE, SETTINGS)');
  if (!EXPLAINABLE.has(kind)) {
    const { line, column } = lineColumnOf(sql, statement.offset);
    const name = kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    throw new UserError(`${origin}:${line}:${column}: EXPLAIN cannot run a ${name} statement`, 'explain a SELECT, INSERT, UPDATE, DELETE, MERGE, EXECUTE or CREATE TABLE AS');
  }
  return { text: statement.text, offset: statement.offset, source: sql, origin };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON) of one statement inside BEGIN ... ROLLBACK.
 * `statement` must come from `explainableStatement`. A statement Postgres rejects is a UserError with
 * its position in the statement.
 */
export async function runExplain(db: Db, statement: ExplainableStatement, options: RunExplainOptions = {}): Promise<ExplainOutput> {
  const analyze = options.analyze ?? true;
  const prefix = `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}VERBOSE, SETTINGS, FORMAT JSON) `;
  return inRolledBackTransaction(db, options.settings, async () => {
    let rows: Record<string, unknown>[];
    try {
      rows = await db.query(prefix + statement.text);
    } catch (error) {
      throw statementError(error, statement, prefix.length);
    }
    const value = rows[0]?.['QUERY PLAN'];
    return explainOutputOf(typeof value === 'string' ? JSON.parse(value) : value, 'EXPLAIN');
  });
}

/** The estimated plan of `statement` (no execution), in the current transaction. */
export async function estimatePlan(db: Db, statement: ExplainableStatement): Promise<ExplainOutput> {
  const rows = await db.query('EXPLAIN (FORMAT JSON) ' + statement.text);
  const value = rows[0]?.['QUERY PLAN'];
  return explainOutputOf(typeof value === 'string' ? JSON.parse(value) : value, 'EXPLAIN');
}

/**
 * Runs `work` inside BEGIN ... ROLLBACK with the given settings applied by SET LOCAL: whatever `work`
 * does is undone, even when it fails.
 */
export async function inRolledBackTransaction<T>(db: Db, settings: Readonly<Record<string, string>> | undefined, work: () => Promise<T>): Promise<T> {
  await db.exec('BEGIN');
  try {
    for (const [name, value] of Object.entries(settings ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new UserError(`--set: "${name}" is not a setting name`);
      try {
        await db.query('SELECT set_config($1, $2, true)', [name, value]);
      } catch (error) {
        const info = postgresErrorInfo(error);
        throw new UserError(`--set ${name}=${value}: ${info?.message ?? (error as Error).message}`);
      }
    }
    return await work();
  } finally {
    await db.exec('ROLLBACK').catch(() => undefined);
  }
}

/** Postgres's error for the statement, with the position mapped back to the user's text. */
function statementError(error: unknown, statement: ExplainableStatement, prefixLength: number): unknown {
  const info = postgresErrorInfo(error);
  if (!info) return error;
  let where = statement.origin;
  if (info.position !== undefined && info.position > prefixLength) {
    const { line, column } = lineColumnOf(statement.source, statement.offset + info.position - 1 - prefixLength);
    where = `${statement.origin}:${line}:${column}`;
  }
  const hint = [info.detail, info.hint].filter(Boolean).join('; ') || undefined;
  if (info.sqlstate === '57014') return new UserError(`${where}: the statement ran longer than statement_timeout and was cancelled`, 'raise --statement-timeout, or use --no-analyze for the estimated plan only');
  if (info.sqlstate === '25006') return new UserError(`${where}: ${info.message}`, 'the session is read only: EXPLAIN ANALYZE of a writing statement needs a read-write session (it is rolled back)');
  return new UserError(`${where}: ERROR ${info.sqlstate}: ${info.message}`, hint);
}
