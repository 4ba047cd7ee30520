/**
 * One short step of partition maintenance: a statement, or a few in one transaction, run with
 * lock_timeout so that it never queues for long in front of the application's queries, and retried
 * with growing pauses when the lock was not granted in time (SQLSTATE 55P03).
 */
import { postgresErrorInfo, type Db } from '../db/db.js';

export interface StepPolicy {
  lockTimeoutMs: number;
  retries: number;
  retryDelayMs: number;
}

export interface StepOutcome {
  ok: boolean;
  attempts: number;
  /** The last error's message when not ok. */
  error?: string;
  sqlstate?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `statements`: one alone in autocommit (DETACH … CONCURRENTLY refuses a transaction block), several
 * in one transaction. `beforeRetry` may re-read state and return other statements (a detach left
 * pending is finished with FINALIZE), or null to stop.
 */
export async function runLockedStep(db: Db, statements: string[], policy: StepPolicy, beforeRetry?: () => Promise<string[] | null>): Promise<StepOutcome> {
  await db.exec(`SET lock_timeout = ${Math.max(1, Math.round(policy.lockTimeoutMs))}`);
  let current = statements;
  for (let attempt = 1; ; attempt++) {
    try {
      if (current.length === 1) await db.exec(current[0]!);
      else {
        await db.exec('BEGIN');
        try {
          for (const statement of current) await db.exec(statement);
          await db.exec('COMMIT');
        } catch (error) {
          await db.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      return { ok: true, attempts: attempt };
    } catch (error) {
      const info = postgresErrorInfo(error);
      // A lock not granted in time, or a concurrent row that made a validation fail (retried: the next
      // attempt moves it too).
      const retryable = info?.sqlstate === '55P03' || info?.sqlstate === '40P01' || info?.sqlstate === '23514';
      if (!retryable || attempt > policy.retries) return { ok: false, attempts: attempt, error: info?.message ?? (error as Error).message, sqlstate: info?.sqlstate };
      await sleep(policy.retryDelayMs * 2 ** (attempt - 1));
      if (beforeRetry) {
        const next = await beforeRetry();
        if (next === null) return { ok: true, attempts: attempt };
        current = next;
      }
    }
  }
}
