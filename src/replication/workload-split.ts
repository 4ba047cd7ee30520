/**
 * How much of the recorded workload reads only and could be served by replicas, by calls and by
 * execution time, and which tables are both written and read (where reading from a replica right after
 * a write can miss that write).
 */
import type { Db } from '../db/db.js';
import type { PgStatStatementsWorkload } from '../workload/pg-stat-statements.js';
import { classifyStatement, type StatementRoute } from './classify-statement.js';

export interface RoutedStatement {
  rank: number;
  queryid: string | null;
  query: string;
  calls: number;
  totalExecTimeMs: number;
  route: StatementRoute;
  reason: string;
}

export interface ReadAfterWriteTable {
  table: string;
  /** Calls of statements writing it / reading it (read-only statements only). */
  writeCalls: number;
  readCalls: number;
}

export interface WorkloadSplit {
  /** Statements classified (the top by total time) of those recorded. */
  statements: number;
  recorded: number;
  totalCalls: number;
  totalExecTimeMs: number;
  /** Per route: calls and time, and their shares of the statements classified. */
  routes: Record<StatementRoute, { statements: number; calls: number; execTimeMs: number; callShare: number; timeShare: number }>;
  /** The heaviest read-only statements (by total time), and every statement to review. */
  top: RoutedStatement[];
  /** Tables both written and read by the workload, most written first. */
  readAfterWrite: ReadAfterWriteTable[];
}

const ROUTES: readonly StatementRoute[] = ['replica', 'primary', 'review'];

export async function splitWorkload(db: Db, workload: PgStatStatementsWorkload, limit = 10): Promise<WorkloadSplit> {
  const classified = workload.statements.map((s) => ({ s, c: classifyStatement(s.query) }));
  const volatile = await volatileUserFunctions(db, [...new Set(classified.flatMap((x) => x.c.functions))]);
  const routed = classified.map(({ s, c }) => {
    const calls = c.route === 'replica' ? c.functions.filter((f) => volatile.has(f.toLowerCase())) : [];
    const route: StatementRoute = calls.length ? 'review' : c.route;
    const reason = calls.length ? `calls volatile ${calls.map((f) => `${f}()`).join(', ')}` : c.reason;
    return { statement: { rank: s.rank, queryid: s.queryid, query: s.query, calls: s.calls, totalExecTimeMs: s.totalExecTimeMs, route, reason }, c };
  });
  const totalCalls = sum(routed.map((r) => r.statement.calls));
  const totalTime = sum(routed.map((r) => r.statement.totalExecTimeMs));
  const routes = Object.fromEntries(
    ROUTES.map((route) => {
      const of = routed.filter((r) => r.statement.route === route).map((r) => r.statement);
      const calls = sum(of.map((s) => s.calls));
      const time = sum(of.map((s) => s.totalExecTimeMs));
      return [route, { statements: of.length, calls, execTimeMs: time, callShare: totalCalls ? calls / totalCalls : 0, timeShare: totalTime ? time / totalTime : 0 }];
    }),
  ) as WorkloadSplit['routes'];

  const writes = new Map<string, number>();
  const reads = new Map<string, number>();
  for (const { statement, c } of routed) {
    for (const table of c.writes) writes.set(bare(table), (writes.get(bare(table)) ?? 0) + statement.calls);
    if (statement.route === 'replica') for (const table of c.reads) reads.set(bare(table), (reads.get(bare(table)) ?? 0) + statement.calls);
  }
  const readAfterWrite = [...writes.entries()]
    .filter(([table]) => reads.has(table))
    .map(([table, writeCalls]) => ({ table, writeCalls, readCalls: reads.get(table)! }))
    .sort((a, b) => b.writeCalls - a.writeCalls || (a.table < b.table ? -1 : 1))
    .slice(0, limit);

  const top = [
    ...routed.filter((r) => r.statement.route === 'replica').slice(0, limit),
    ...routed.filter((r) => r.statement.route === 'review'),
  ].map((r) => r.statement);
  return { statements: routed.length, recorded: workload.recorded, totalCalls, totalExecTimeMs: totalTime, routes, top, readAfterWrite };
}

/** Names (as written in the statements, lower case) of volatile functions outside pg_catalog. */
async function volatileUserFunctions(db: Db, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await db.query<{ qualified: string; name: string }>(
    `SELECT n.nspname || '.' || p.proname AS qualified, p.proname AS name
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.provolatile = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND (p.proname = ANY($1::text[]) OR n.nspname || '.' || p.proname = ANY($1::text[]))`,
    [names.map((n) => n.toLowerCase())],
  );
  const found = new Set(rows.flatMap((r) => [r.qualified, r.name]));
  return new Set(names.map((n) => n.toLowerCase()).filter((n) => found.has(n)));
}

/** `public.orders` and `orders` name the same table with the default search_path: one key for both. */
function bare(table: string): string {
  return table.startsWith('public.') ? table.slice('public.'.length) : table;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
