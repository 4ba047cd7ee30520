/**
 * The live workload as lint input: each statement pg_stat_statements recorded (see
 * ../workload/pg-stat-statements.ts) becomes a lint source named `pg_stat_statements#<rank>`, so findings
 * read `pg_stat_statements#3:1:8`; the normalised `$1` parameters parse like any other.
 */
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import { readLiveSnapshot } from '../source.js';
import { readPgStatStatements, type PgStatStatementsWorkload } from '../workload/pg-stat-statements.js';
import { addPostgresCheck, checkWithPostgres } from './check-with-postgres.js';
import type { LintResult, LintWorkload } from './lint-result.js';
import { lint, type LintOptions, type LintSource } from './lint.js';

export {
  DEFAULT_PG_STAT_STATEMENTS_TOP,
  pgStatStatementsFileName,
  readPgStatStatements,
  type PgStatStatementsStatement,
  type PgStatStatementsWorkload,
  type ReadPgStatStatementsOptions,
} from '../workload/pg-stat-statements.js';

/** The workload's statements as lint sources, named `pg_stat_statements#<rank>`. */
export function pgStatStatementsSources(workload: PgStatStatementsWorkload): LintSource[] {
  return workload.statements.map((s) => ({ file: s.file, text: s.query }));
}

/**
 * Adds the workload's figures to a lint result of `pgStatStatementsSources(workload)`: `result.workload`, keyed
 * by source file name. A statement the parser rejects because pg_stat_statements put a `$1` where
 * Postgres's grammar wants a literal (`interval $1`) is a notice, not an error: the application's
 * statement was valid, its normalised form is not.
 */
export function attachPgStatStatements(result: LintResult, workload: PgStatStatementsWorkload): LintResult {
  const byFile = new Map(workload.statements.map((s) => [s.file, s]));
  const errors = result.errors.filter((error) => {
    const statement = byFile.get(error.file);
    if (!statement || error.sqlstate !== '42601' || !/\$\d/.test(statement.query)) return true;
    result.notices.push({
      kind: 'statement-skipped',
      message: `not linted: pg_stat_statements replaced constants with $n parameters where the grammar wants a literal (${error.message})`,
      file: error.file,
      line: error.line,
      column: error.column,
    });
    return false;
  });
  result.errors = errors;
  result.partial = errors.length > 0;
  const info: LintWorkload = {
    source: 'pg_stat_statements',
    description: workload.description,
    database: workload.database,
    serverVersion: workload.serverVersion,
    serverVersionNum: workload.serverVersionNum,
    extensionVersion: workload.extensionVersion,
    statsReset: workload.statsReset,
    top: workload.top,
    recorded: workload.recorded,
    excluded: workload.excluded,
    totalExecTimeMs: workload.totalExecTimeMs,
    statements: Object.fromEntries(
      workload.statements.map((s) => [
        s.file,
        { rank: s.rank, queryid: s.queryid, calls: s.calls, rows: s.rows, totalExecTimeMs: s.totalExecTimeMs, meanExecTimeMs: s.meanExecTimeMs, share: s.share, query: s.query },
      ]),
    ),
  };
  result.workload = info;
  return result;
}

export interface LintPgStatStatementsOptions extends LintOptions {
  /** The server: a URL, else DATABASE_URL or the PG* variables of `env`; with timeouts. */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** How many statements, by total execution time (default DEFAULT_PG_STAT_STATEMENTS_TOP). */
  top?: number;
  /**
   * Check each statement with Postgres (default true): on `checkWith` when given, else on the server
   * itself when no `schema` is given (with a `schema` and no `checkWith`, not checked).
   */
  check?: boolean;
  /** The engine `schema` was read from, to check the statements on, and how to name it. */
  checkWith?: { db: Db; engine: string };
  /** Progress of the check: statements done, of how many. */
  onCheckProgress?: (done: number, total: number) => void;
}

/**
 * Lints the live workload: the top statements of the current database by total execution time, from
 * pg_stat_statements (see `readPgStatStatements`), with the server's own schema for the schema-aware rules
 * unless `schema` is given, and each statement checked with Postgres (`checkWithPostgres`). The result
 * has the statements' figures in `workload`; locations read `pg_stat_statements#<rank>:line:column`.
 * The session is read only and bounded by the connection's timeouts.
 */
export async function lintPgStatStatements(options: LintPgStatStatementsOptions = {}): Promise<LintResult> {
  const env = options.env ?? process.env;
  const connection = options.connection ?? {};
  const db = await LiveDb.connect({ ...connection, env });
  try {
    const description = describeConnection(connection, env);
    const workload = await readPgStatStatements(db, { top: options.top, description });
    const schema = options.schema ?? (await readLiveSnapshot(db, description)).snapshot;
    const sources = pgStatStatementsSources(workload);
    const result = attachPgStatStatements(await lint(sources, { ...options, schema }), workload);
    const checkOn = options.checkWith ?? (options.schema ? null : { db, engine: description });
    if (options.check !== false && checkOn) {
      const check = await checkWithPostgres(checkOn.db, sources, { normalised: true, onProgress: options.onCheckProgress });
      addPostgresCheck(result, check, checkOn.engine);
    }
    return result;
  } finally {
    await db.close();
  }
}

/** Rows read beyond `top`, to make up for pgarchitect's own statements that are removed. */
