/**
 * The migrate lock: a session-level advisory lock on a fixed key, per database, so that runners
 * started at the same time apply each migration once: the second waits, then finds them applied.
 *
 * It is taken with `pg_try_advisory_lock` in a polling loop, never with a blocking
 * `pg_advisory_lock`: a session blocked in that call holds a snapshot, and a `CREATE INDEX
 * CONCURRENTLY` run by the lock's holder waits for every older snapshot to go away. The two wait for
 * each other until the deadlock detector cancels the waiting runner ("deadlock detected"; tried on
 * PostgreSQL 15). Between polls the waiting runner holds nothing.
 */
import type { Db } from '../db/db.js';

/** `pgarchit` in ASCII, as a signed 64-bit key: the same for every pgarchitect runner. */
export const MIGRATE_LOCK_KEY = 0x7067617263686974n;

export interface AcquireLockOptions {
  /** Called once when another session holds the lock, with its backend pid. */
  onWait?: (holderPid: number | null) => void;
  /** Longest pause between two polls (default 1 s; the first are shorter). */
  maxPollMs?: number;
}

/** Waits until this session holds the migrate lock. */
export async function acquireMigrateLock(db: Db, options: AcquireLockOptions = {}): Promise<void> {
  let pause = 50;
  let announced = false;
  for (;;) {
    const rows = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [MIGRATE_LOCK_KEY.toString()]);
    if (rows[0]?.locked) return;
    if (!announced) {
      announced = true;
      options.onWait?.(await lockHolder(db));
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, options.maxPollMs ?? 1000);
  }
}

/** Releases the lock (it also goes when the session ends). */
export async function releaseMigrateLock(db: Db): Promise<void> {
  await db.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATE_LOCK_KEY.toString()]);
}

/** The pid of the session holding the migrate lock in this database, if any. */
export async function lockHolder(db: Db): Promise<number | null> {
  // pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
  const rows = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_catalog.pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
        AND classid::text::bigint = $1 AND objid::text::bigint = $2
      LIMIT 1`,
    [(MIGRATE_LOCK_KEY >> 32n).toString(), (MIGRATE_LOCK_KEY & 0xffffffffn).toString()],
  );
  return rows[0] ? Number(rows[0].pid) : null;
}
