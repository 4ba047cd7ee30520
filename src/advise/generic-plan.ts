/**
 * Plans a workload statement without executing it. Statements with `$n` parameters (as
 * pg_stat_statements shows them) have no values: they get their generic plan, the one Postgres would
 * cache for any values: `EXPLAIN (GENERIC_PLAN)` on 16+, before that PREPARE with
 * plan_cache_mode = force_generic_plan (set on the session by the caller) and EXPLAIN EXECUTE with
 * NULLs, which a generic plan does not look at.
 *
 * The statement is prepared afresh each time: a cached plan would not see indexes hypopg adds.
 */
import type { Db } from '../db/db.js';
import type { ExplainOutput } from '../plan/types.js';

const STATEMENT_NAME = 'pgarchitect_plan';

/** `EXPLAIN (VERBOSE, FORMAT JSON)` of the statement, generic when it has parameters. */
export async function planStatement(db: Db, serverVersionNum: number, sql: string, parameters: number): Promise<ExplainOutput> {
  let rows: Record<string, unknown>[];
  if (parameters === 0) {
    rows = await db.query(`EXPLAIN (VERBOSE, FORMAT JSON) ${sql}`);
  } else if (serverVersionNum >= 160000) {
    rows = await db.query(`EXPLAIN (GENERIC_PLAN, VERBOSE, FORMAT JSON) ${sql}`);
  } else {
    await db.exec(`PREPARE ${STATEMENT_NAME} AS ${sql}`);
    try {
      const nulls = Array.from({ length: parameters }, () => 'NULL').join(', ');
      rows = await db.query(`EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE ${STATEMENT_NAME}(${nulls})`);
    } finally {
      await db.exec(`DEALLOCATE ${STATEMENT_NAME}`).catch(() => undefined);
    }
  }
  return explainOutputOf(rows);
}

/** The element of EXPLAIN (FORMAT JSON)'s one-row, one-column result. */
export function explainOutputOf(rows: Record<string, unknown>[]): ExplainOutput {
  const value = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as ExplainOutput[];
  return parsed[0]!;
}

/** Highest `$n` parameter number in a parse tree (0 when none). */
export function parameterCount(tree: unknown): number {
  let max = 0;
  for (const match of JSON.stringify(tree).matchAll(/"ParamRef":\{(?:"number":(\d+))?/g)) max = Math.max(max, Number(match[1] ?? 0));
  return max;
}
