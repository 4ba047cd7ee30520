/**
 * The live workload from pg_stat_statements: the statements recorded for the current database, ranked
 * by total execution time, each with its figures (calls, total and mean time, share of the database's
 * time). Read by `lint --from-pg-stat-statements` and by `indexes advise`.
 *
 * Left out, before ranking: statements of other databases, nested statements (with
 * `pg_stat_statements.track = all`), transaction and session control (BEGIN, COMMIT, SET, SHOW,
 * EXPLAIN, PREPARE, ...: what pgarchitect's own sessions run), statements that may carry a secret in
 * their text (CREATE/ALTER ROLE, user mappings, subscriptions), and pgarchitect's catalog queries
 * (recognised by their normalised fingerprint).
 *
 * Needs PostgreSQL 13 or later (pg_stat_statements 1.8: `total_exec_time`, `mean_exec_time`).
 */
import * as catalogQueries from '../catalog/queries.js';
import { postgresErrorInfo, type Db } from '../db/db.js';
import { UserError } from '../errors.js';
import { quoteIdent } from '../sql/quote.js';
import { ensureParser, fingerprintSync, parseSync } from '../sql/parser.js';
import { formatPercent } from '../lint/format-text.js';

/** How many statements `--top` takes by default. */
export const DEFAULT_PG_STAT_STATEMENTS_TOP = 200;

/** The file name of a workload statement in locations: `pg_stat_statements#3`. */
export function pgStatStatementsFileName(rank: number): string {
  return `pg_stat_statements#${rank}`;
}

/** One statement of the workload with pg_stat_statements' figures (cumulative since its last reset). */
export interface PgStatStatementsStatement {
  /** 1 for the statement with the most total execution time. */
  rank: number;
  /** How locations name it: `pg_stat_statements#<rank>`. */
  file: string;
  /** pg_stat_statements' queryid (a bigint, as text). */
  queryid: string | null;
  /** The normalised text: constants replaced by `$1`, `$2`, ... */
  query: string;
  calls: number;
  rows: number;
  totalExecTimeMs: number;
  meanExecTimeMs: number;
  /** Share (0 to 1) of the execution time of every statement recorded for the database. */
  share: number;
}

export interface PgStatStatementsWorkload {
  /** Where it was read: `postgres://user@host:port/db`, never with a password. */
  description: string;
  database: string;
  user: string;
  serverVersion: string;
  serverVersionNum: number;
  /** pg_stat_statements' version (`extversion`). */
  extensionVersion: string;
  /** When pg_stat_statements was last reset (ISO 8601; pg_stat_statements 1.9+, else null). */
  statsReset: string | null;
  /** The number of statements asked for (`--top`). */
  top: number;
  /** Statements recorded for the database, all of them (top-level ones when nested ones are tracked). */
  recorded: number;
  /** Their total execution time, milliseconds: the denominator of `share`. */
  totalExecTimeMs: number;
  /** Statements left out of the ranking: transaction and session control, statements that may hold a secret, pgarchitect's own queries. */
  excluded: number;
  /** At most `top` statements, by total execution time, most first. */
  statements: PgStatStatementsStatement[];
}

export interface ReadPgStatStatementsOptions {
  /** How many statements to take, by total execution time (default DEFAULT_PG_STAT_STATEMENTS_TOP). */
  top?: number;
  /** How to name the server in messages and the report (redacted); default `the server`. */
  description?: string;
}

/** What the metadata query tells about the server and the extension. */
interface ExtensionInfo {
  database: string;
  user: string;
  version_num: number;
  version: string;
  extversion: string | null;
  schema: string | null;
  columns: string[] | null;
  has_info: boolean;
  track: string | null;
}

interface WorkloadRow {
  queryid: string | null;
  query: string;
  calls: number;
  rows: number;
  total_exec_time: number;
  mean_exec_time: number;
  recorded: number;
  all_time: number;
  session_control_count: number;
  stats_reset: string | null;
}

const HIDDEN_TEXT = '<insufficient privilege>';

/**
 * Statements with nothing to lint, told by their first word (leading comments defeat this cheap test;
 * `isSessionControl` catches those after parsing). Filtering them in SQL keeps them out of the LIMIT.
 */
const SESSION_CONTROL_WORDS = ['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release', 'prepare', 'execute', 'deallocate', 'set', 'reset', 'show', 'discard', 'explain', 'listen', 'unlisten', 'notify', 'checkpoint', 'load'];
const SESSION_CONTROL_PATTERN = `^\\s*(${SESSION_CONTROL_WORDS.join('|')})\\y`;

/** The same, by statement type, for statements whose text starts with a comment. */
const SESSION_CONTROL_TYPES = new Set([
  'TransactionStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'PrepareStmt',
  'ExecuteStmt',
  'DeallocateStmt',
  'DiscardStmt',
  'ExplainStmt',
  'ListenStmt',
  'UnlistenStmt',
  'NotifyStmt',
  'CheckPointStmt',
  'LoadStmt',
]);

/**
 * Statements whose text may hold a secret: pg_stat_statements keeps the constants of utility
 * statements (`CREATE ROLE ... PASSWORD '...'`, a subscription's connection string), and a report
 * must not print them. Nothing to lint in them either.
 */
const SECRET_BEARING_TYPES = new Set([
  'CreateRoleStmt',
  'AlterRoleStmt',
  'CreateUserMappingStmt',
  'AlterUserMappingStmt',
  'CreateForeignServerStmt',
  'AlterForeignServerStmt',
  'CreateSubscriptionStmt',
  'AlterSubscriptionStmt',
]);

/**
 * Reads the top statements of the current database from pg_stat_statements. `db` is a live server
 * session (read only is enough). Throws a UserError, with what to do, when the extension is missing or
 * not loaded, the server is older than PostgreSQL 13, other roles' statements in the top are hidden
 * from this role (`<insufficient privilege>`: needs pg_read_all_stats), or nothing was recorded.
 */
export async function readPgStatStatements(db: Db, options: ReadPgStatStatementsOptions = {}): Promise<PgStatStatementsWorkload> {
  const top = options.top ?? DEFAULT_PG_STAT_STATEMENTS_TOP;
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top: "${top}" is not a positive whole number`);
  const target = options.description ?? 'the server';
  const [info] = await db.query<ExtensionInfo>(EXTENSION_INFO_SQL);
  if (!info) throw new Error('the pg_stat_statements metadata query returned no row');
  if (info.version_num < 130000) {
    throw new UserError(`${target}: ${shortVersion(info.version)} is not supported for --from-pg-stat-statements`, 'it needs PostgreSQL 13 or later (pg_stat_statements with total_exec_time)');
  }
  if (info.extversion === null || info.schema === null) {
    throw new UserError(
      `pg_stat_statements is not installed in database "${info.database}" of ${target}`,
      'run CREATE EXTENSION pg_stat_statements; in that database (the server must also load it: shared_preload_libraries = \'pg_stat_statements\' in postgresql.conf, then a restart)',
    );
  }
  const columns = new Set(info.columns ?? []);
  if (!columns.has('total_exec_time')) {
    throw new UserError(`pg_stat_statements ${info.extversion} in database "${info.database}" is older than the server`, 'run ALTER EXTENSION pg_stat_statements UPDATE; (total_exec_time came with version 1.8)');
  }

  await ensureParser();
  let rows: WorkloadRow[];
  try {
    // A margin over `top` for pgarchitect's own statements, removed below.
    rows = await db.query<WorkloadRow>(workloadSql(info, columns.has('toplevel')), [SESSION_CONTROL_PATTERN, top + OWN_STATEMENT_MARGIN]);
  } catch (error) {
    const pgError = postgresErrorInfo(error);
    if (pgError?.sqlstate === '55000') {
      throw new UserError(`${target}: ${pgError.message}`, "pg_stat_statements is installed but the server does not load it: add it to shared_preload_libraries in postgresql.conf and restart");
    }
    throw error;
  }

  const first = rows[0];
  const own = ownStatementFingerprints();
  const statements: PgStatStatementsStatement[] = [];
  let excluded = first?.session_control_count ?? 0;
  let hidden = 0;
  let hiddenTime = 0;
  for (const row of rows) {
    if (statements.length === top) break;
    if (row.query !== HIDDEN_TEXT && isLeftOut(row.query, own)) {
      excluded++;
      continue;
    }
    if (row.query === HIDDEN_TEXT) {
      hidden++;
      hiddenTime += row.total_exec_time;
    }
    const rank = statements.length + 1;
    statements.push({
      rank,
      file: pgStatStatementsFileName(rank),
      queryid: row.queryid,
      query: row.query,
      calls: row.calls,
      rows: row.rows,
      totalExecTimeMs: row.total_exec_time,
      meanExecTimeMs: row.mean_exec_time,
      share: first && first.all_time > 0 ? row.total_exec_time / first.all_time : 0,
    });
  }
  if (hidden > 0) {
    const share = first && first.all_time > 0 ? ` (${formatPercent(hiddenTime / first.all_time)} of the time)` : '';
    throw new UserError(
      `pg_stat_statements: ${hidden} of the top ${statements.length} statements by total time${share} were run by other roles, and "${info.user}" may not see their text (${HIDDEN_TEXT})`,
      `GRANT pg_read_all_stats TO ${quoteIdent(info.user)}; (or connect as a role that has it)`,
    );
  }
  if (statements.length === 0) {
    const tracking = info.track === 'none' ? 'pg_stat_statements.track is none: set it to top and run the workload' : 'run the workload first';
    const since = first?.stats_reset ? ` since its reset at ${first.stats_reset}` : '';
    throw new UserError(
      `nothing to lint: pg_stat_statements has recorded no statements of database "${info.database}"${since} (apart from transaction and session control, and pgarchitect's own)`,
      tracking,
    );
  }

  return {
    description: target,
    database: info.database,
    user: info.user,
    serverVersion: info.version,
    serverVersionNum: info.version_num,
    extensionVersion: info.extversion,
    statsReset: first?.stats_reset ?? null,
    top,
    recorded: first?.recorded ?? 0,
    totalExecTimeMs: first?.all_time ?? 0,
    excluded,
    statements,
  };
}

const OWN_STATEMENT_MARGIN = 100;

const EXTENSION_INFO_SQL = `
SELECT current_database() AS database, current_user AS "user",
       current_setting('server_version_num')::int AS version_num, version() AS version,
       e.extversion, n.nspname AS schema,
       (SELECT array_agg(a.attname::text) FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = to_regclass(quote_ident(n.nspname) || '.pg_stat_statements') AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
       to_regclass(quote_ident(n.nspname) || '.pg_stat_statements_info') IS NOT NULL AS has_info,
       current_setting('pg_stat_statements.track', true) AS track
FROM (SELECT 1) AS one
LEFT JOIN pg_catalog.pg_extension e ON e.extname = 'pg_stat_statements'
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace`;

/** $1: the session-control pattern; $2: how many rows. */
function workloadSql(info: ExtensionInfo, hasToplevel: boolean): string {
  const schema = quoteIdent(info.schema!);
  const statsReset = info.has_info
    ? `(SELECT to_char(stats_reset AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM ${schema}.pg_stat_statements_info)`
    : 'NULL::text';
  return `
WITH recorded AS (
  SELECT s.queryid::text AS queryid, s.query, s.calls::float8 AS calls, s.rows::float8 AS rows,
         s.total_exec_time::float8 AS total_exec_time, s.mean_exec_time::float8 AS mean_exec_time,
         s.query ~* $1 AS session_control
  FROM ${schema}.pg_stat_statements s
  WHERE s.dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())${hasToplevel ? ' AND s.toplevel' : ''}
)
SELECT queryid, query, calls, rows, total_exec_time, mean_exec_time,
       (SELECT count(*) FROM recorded)::float8 AS recorded,
       (SELECT coalesce(sum(total_exec_time), 0) FROM recorded)::float8 AS all_time,
       (SELECT count(*) FROM recorded WHERE session_control)::float8 AS session_control_count,
       ${statsReset} AS stats_reset
FROM recorded
WHERE NOT session_control
ORDER BY total_exec_time DESC, queryid, query
LIMIT $2`;
}

let ownFingerprints: Set<string> | undefined;

/**
 * Fingerprints of the statements pgarchitect itself sends: every catalog query (as each supported
 * version builds it) and this module's. A fingerprint ignores constants, so pg_stat_statements'
 * normalised text of a catalog query has the fingerprint of the query. Requires `ensureParser()`.
 */
function ownStatementFingerprints(): Set<string> {
  if (ownFingerprints) return ownFingerprints;
  const versions = [130000, 140000, 150000, 160000, 170000, 180000];
  const texts: string[] = [EXTENSION_INFO_SQL, "SELECT pg_catalog.set_config('jit', 'off', true)"];
  // Every export of queries.ts, so that a catalog query added there is recognised too. The builders
  // take a server version (or a flag), or nothing but the relations to skip: call each with every
  // variant, and with none. (The skipped relations are a constant: the fingerprint ignores them.)
  for (const [name, value] of Object.entries(catalogQueries) as [string, unknown][]) {
    if (typeof value === 'string') texts.push(value);
    else if (typeof value === 'function' && name !== 'oidArray') {
      const build = value as (arg?: unknown) => string;
      texts.push(build());
      for (const variant of [...versions, true, false]) texts.push(build(variant));
    }
  }
  for (const hasInfo of [true, false]) {
    for (const hasToplevel of [true, false]) texts.push(workloadSql({ schema: 'public', has_info: hasInfo } as ExtensionInfo, hasToplevel));
  }
  ownFingerprints = new Set(texts.map(fingerprintOrNull).filter((f): f is string => f !== null));
  return ownFingerprints;
}

function isLeftOut(query: string, own: Set<string>): boolean {
  let type: string | undefined;
  try {
    const statements = parseSync(query).stmts ?? [];
    type = statements.length === 1 && statements[0]!.stmt ? Object.keys(statements[0]!.stmt)[0] : undefined;
  } catch {
    return false; // lint reports what does not parse
  }
  if (type && (SESSION_CONTROL_TYPES.has(type) || SECRET_BEARING_TYPES.has(type))) return true;
  const fingerprint = fingerprintOrNull(query);
  return fingerprint !== null && own.has(fingerprint);
}

function fingerprintOrNull(text: string): string | null {
  try {
    return fingerprintSync(text);
  } catch {
    return null;
  }
}

function shortVersion(version: string): string {
  return /^(PostgreSQL [\d.]+)/.exec(version)?.[1] ?? version;
}
