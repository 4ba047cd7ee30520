/**
 * `indexes advise --verify`: for staging. Builds the advised indexes for real (CREATE INDEX
 * CONCURRENTLY), measures each workload statement's estimated cost and actual execution time before
 * and after, and drops the indexes again unless asked to keep them (also when something fails midway).
 *
 * This writes: it runs only when the user asks. Statements are executed with EXPLAIN ANALYZE inside a
 * transaction that is rolled back; statements with `$n` parameters run with representative values from
 * their columns' statistics (parameter-values.ts), or are only costed when no value can be placed.
 */
import type { Db } from '../db/db.js';
import { postgresErrorInfo } from '../db/db.js';
import type { LiveConnectionOptions } from '../db/connection-config.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { quoteIdent } from '../sql/quote.js';
import type { AdviseResult } from './advise.js';
import { explainOutputOf, planStatement } from './generic-plan.js';
import { representativeValues } from './parameter-values.js';
import { ensureParser, parseSync } from '../sql/parser.js';

export interface VerifyOptions {
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** Keep the built indexes (default: drop them again). */
  keep?: boolean;
  /** Executions per statement and state; the median is reported (default 3). */
  runs?: number;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  onProgress?(message: string): void;
}

export interface VerifiedQuery {
  id: string;
  estimatedBefore: number;
  estimatedAfter: number;
  /** Median execution time in ms (EXPLAIN ANALYZE, rolled back); null when not executed, see `note`. */
  actualMsBefore: number | null;
  actualMsAfter: number | null;
  note: string | null;
}

export interface VerifyResult {
  built: { name: string; sql: string; bytes: number; buildMs: number }[];
  queries: VerifiedQuery[];
  /** Weighted sums over the statements that were executed before and after. */
  weightedMsBefore: number;
  weightedMsAfter: number;
  kept: boolean;
  /** A failure midway (the indexes built so far were dropped unless --keep). */
  error: string | null;
}

export async function verifyAdvice(advice: AdviseResult, options: VerifyOptions = {}): Promise<VerifyResult> {
  const progress = options.onProgress ?? (() => undefined);
  const runs = options.runs ?? 3;
  await ensureParser();
  const db = await LiveDb.connect({ ...options.connection, env: options.env, readOnly: false, statementTimeoutMs: options.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs });
  const built: VerifyResult['built'] = [];
  const result: VerifyResult = { built, queries: [], weightedMsBefore: 0, weightedMsAfter: 0, kept: options.keep === true, error: null };
  try {
    await db.exec('SET plan_cache_mode = force_generic_plan');
    progress('measuring the workload before');
    const before = new Map<string, { estimated: number; actual: number | null; note: string | null }>();
    for (const q of advice.queries) before.set(q.id, await measure(db, advice.source.serverVersionNum, q.sql, q.parameters, runs));
    for (const index of advice.indexes) {
      const name = /^CREATE INDEX CONCURRENTLY (\S+) /.exec(index.sql)?.[1] ?? '';
      progress(`building ${name}`);
      const started = Date.now();
      try {
        await db.exec(index.sql.replace(/;$/, ''));
      } catch (error) {
        // A failed concurrent build leaves an invalid index behind: remove it too.
        await db.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(index.schema)}.${name}`).catch(() => undefined);
        throw new UserError(`building ${name} failed: ${postgresErrorInfo(error)?.message ?? (error as Error).message}`);
      }
      const [size] = await db.query<{ bytes: string }>('SELECT pg_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2', [index.schema, name.replace(/^"|"$/g, '')]);
      built.push({ name: `${quoteIdent(index.schema)}.${name}`, sql: index.sql, bytes: Number(size?.bytes ?? 0), buildMs: Date.now() - started });
    }
    progress('measuring the workload after');
    for (const q of advice.queries) {
      const after = await measure(db, advice.source.serverVersionNum, q.sql, q.parameters, runs);
      const was = before.get(q.id)!;
      result.queries.push({ id: q.id, estimatedBefore: was.estimated, estimatedAfter: after.estimated, actualMsBefore: was.actual, actualMsAfter: after.actual, note: was.note ?? after.note });
      if (was.actual !== null && after.actual !== null) {
        result.weightedMsBefore += q.weight * was.actual;
        result.weightedMsAfter += q.weight * after.actual;
      }
    }
  } catch (error) {
    result.error = error instanceof UserError ? error.message : (postgresErrorInfo(error)?.message ?? (error as Error).message);
  } finally {
    if (!options.keep) {
      for (const index of built) {
        progress(`dropping ${index.name}`);
        await db.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${index.name}`).catch(() => undefined);
      }
    }
    await db.close();
  }
  return result;
}

/** Estimated cost (generic plan for `$n` statements) and, for statements without parameters, the median execution time. */
async function measure(db: Db, serverVersionNum: number, sql: string, parameters: number, runs: number): Promise<{ estimated: number; actual: number | null; note: string | null }> {
  const estimated = Number((await planStatement(db, serverVersionNum, sql, parameters)).Plan['Total Cost'] ?? 0);
  let run = `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`;
  let note: string | null = null;
  if (parameters > 0) {
    const values = await representativeValues(db, parseSync(sql).stmts?.[0]?.stmt, parameters);
    if ('reason' in values) return { estimated, actual: null, note: `not executed: ${values.reason}; only its generic plan cost is measured` };
    await db.exec(`PREPARE pgarchitect_verify AS ${sql}`);
    run = `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE pgarchitect_verify(${values.values.join(', ')})`;
    note = `executed with values from the column statistics: ${values.values.map((v, i) => `$${i + 1} = ${v}`).join(', ')}`;
  }
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      await db.exec('BEGIN');
      try {
        // The values' own plan, as an application's first executions get it.
        if (parameters > 0) await db.exec('SET LOCAL plan_cache_mode = force_custom_plan');
        const plan = explainOutputOf(await db.query(run));
        times.push(Number(plan['Execution Time'] ?? 0));
      } finally {
        await db.exec('ROLLBACK').catch(() => undefined);
      }
    }
  } finally {
    if (parameters > 0) await db.exec('DEALLOCATE pgarchitect_verify').catch(() => undefined);
  }
  times.sort((a, b) => a - b);
  return { estimated, actual: times[Math.floor(times.length / 2)] ?? null, note };
}
