/**
 * The workload the index advisor optimises for: statements with weights. From a SQL file (`-- weight: N`
 * before a statement, default 1), from pg_stat_statements (the top statements by total execution time),
 * or given by the library caller.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../db/db.js';
import { UserError } from '../errors.js';
import { ensureParser, parseSync } from '../sql/parser.js';
import { readPgStatStatements } from '../workload/pg-stat-statements.js';

export interface WorkloadQuery {
  /** Stable id within the workload: `q1`, `q2`, ... or `pgss:<queryid>`. */
  id: string;
  sql: string;
  /**
   * How much the query counts. From a file: the `-- weight: N` given (default 1), so the objective is
   * weight × estimated cost. From pg_stat_statements the weight is set by the advisor so that weight ×
   * the query's estimated cost today equals its measured total execution time (ms): the objective is
   * then the workload's total time, predicted.
   */
  weight: number;
  /** Where it came from: `queries.sql:12` or `pg_stat_statements queryid 123`. */
  origin: string;
  /** pg_stat_statements figures, when the query came from there. */
  stats?: { calls: number; totalTimeMs: number; meanTimeMs: number };
}

export interface Workload {
  kind: 'file' | 'pg_stat_statements' | 'list';
  description: string;
  queries: WorkloadQuery[];
  /** Statements left out, with the reason (DDL, not parseable, ...). */
  skipped: { origin: string; reason: string }[];
}

const WEIGHT = /--\s*weight\s*:\s*([0-9]+(?:\.[0-9]+)?)/i;
const OPTIMISABLE = new Set(['SelectStmt', 'UpdateStmt', 'DeleteStmt', 'InsertStmt']);

/** Statements of a SQL file; `-- weight: N` in the comments before a statement sets its weight. */
export async function workloadFromFile(path: string, name = path): Promise<Workload> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`${name}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return workloadFromText(text, name);
}

export async function workloadFromText(text: string, name: string): Promise<Workload> {
  await ensureParser();
  const bytes = Buffer.from(text, 'utf8');
  let stmts: { stmt?: Record<string, unknown>; stmt_location?: number; stmt_len?: number }[];
  try {
    stmts = (parseSync(text).stmts ?? []) as typeof stmts;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    const at = details?.cursorPosition ?? 0;
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new UserError(`${name}:${line}:${column}: ${details?.message ?? (error as Error).message}`, 'the workload file must be valid SQL statements separated by semicolons');
  }
  const workload: Workload = { kind: 'file', description: name, queries: [], skipped: [] };
  let previousEnd = 0;
  for (const raw of stmts) {
    if (!raw.stmt) continue;
    const location = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? location + raw.stmt_len : bytes.length;
    // Comments before a statement may or may not be inside its reported span: read from the end of
    // the previous statement either way.
    const chunk = bytes.toString('utf8', previousEnd, end);
    previousEnd = end;
    const leadingLength = chunk.length - chunk.replace(/^(\s|;|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '').length;
    const leading = chunk.slice(0, leadingLength);
    const sql = chunk.slice(leadingLength).trim();
    const line = text.slice(0, bytes.toString('utf8', 0, end).length - chunk.length + leadingLength).split('\n').length;
    const origin = `${name}:${line}`;
    const type = Object.keys(raw.stmt)[0]!;
    if (!OPTIMISABLE.has(type)) {
      workload.skipped.push({ origin, reason: `${type.replace(/Stmt$/, '')} is not a query the advisor optimises (SELECT, UPDATE, DELETE, INSERT ... SELECT)` });
      continue;
    }
    const weightMatch = WEIGHT.exec(leading);
    const weight = weightMatch ? Number(weightMatch[1]) : 1;
    if (!(weight > 0)) {
      workload.skipped.push({ origin, reason: 'weight 0' });
      continue;
    }
    workload.queries.push({ id: `q${workload.queries.length + 1}`, sql, weight, origin });
  }
  return workload;
}

/** Queries given directly (library API): weights default to 1. */
export function workloadFromList(queries: readonly (string | { sql: string; weight?: number })[]): Workload {
  return {
    kind: 'list',
    description: `${queries.length} queries`,
    skipped: [],
    queries: queries.map((q, i) => {
      const item = typeof q === 'string' ? { sql: q } : q;
      return { id: `q${i + 1}`, sql: item.sql, weight: item.weight ?? 1, origin: `query ${i + 1}` };
    }),
  };
}

/**
 * The top `top` statements of this database by total execution time, from pg_stat_statements (see
 * ../workload/pg-stat-statements.ts for what is left out). Statements the advisor cannot optimise (DDL,
 * utility statements) and its own hypopg calls are listed as skipped.
 */
export async function workloadFromPgStatStatements(db: Db, options: { top: number; description?: string }): Promise<Workload> {
  const recorded = await readPgStatStatements(db, { top: options.top, description: options.description });
  await ensureParser();
  const workload: Workload = { kind: 'pg_stat_statements', description: `pg_stat_statements, top ${options.top} by total time`, queries: [], skipped: [] };
  for (const statement of recorded.statements) {
    const origin = `pg_stat_statements queryid ${statement.queryid ?? '?'} (rank ${statement.rank})`;
    let type: string | undefined;
    try {
      type = Object.keys(parseSync(statement.query).stmts?.[0]?.stmt ?? {})[0];
    } catch {
      type = undefined;
    }
    if (!type || !OPTIMISABLE.has(type) || /\bhypopg_/i.test(statement.query)) {
      workload.skipped.push({ origin, reason: type ? `${type.replace(/Stmt$/, '')} is not a query the advisor optimises` : 'its normalised text does not parse' });
      continue;
    }
    workload.queries.push({
      id: `pgss:${statement.queryid ?? statement.rank}`,
      sql: statement.query,
      weight: 1,
      origin,
      stats: { calls: statement.calls, totalTimeMs: statement.totalExecTimeMs, meanTimeMs: statement.meanExecTimeMs },
    });
  }
  return workload;
}
