/**
 * The runner's session: a writable connection (migrate's job is to write) whose lock_timeout keeps a
 * migration from queueing behind a long transaction, with the retry policy that goes with it.
 */
import type { Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import type { LiveConnectionOptions } from '../db/connection-config.js';

/** Defaults of the runner's options. */
export const MIGRATE_DEFAULTS = {
  lockTimeoutMs: 5_000,
  /** 0: no statement_timeout (index builds and backfills take what they take). */
  statementTimeoutMs: 0,
  retries: 3,
  retryDelayMs: 1_000,
} as const;

/** SQLSTATEs after which a migration (or, outside a transaction, its statement) is rolled back and tried again. */
export const RETRYABLE_SQLSTATES: Readonly<Record<string, string>> = {
  '55P03': 'lock timeout',
  '40P01': 'deadlock',
};

export interface MigrateSettings {
  /** lock_timeout of every statement but CONCURRENTLY ones, in ms (default 5 000). */
  lockTimeoutMs: number;
  /** statement_timeout in ms; 0 for none (the default). */
  statementTimeoutMs: number;
  /** Attempts after the first when a lock times out (default 3). */
  retries: number;
  /** Pause before the first retry, doubled before each next one (default 1 000 ms). */
  retryDelayMs: number;
}

export interface MigrateSession extends MigrateSettings {
  db: Db;
  /** Redacted `postgres://user@host:port/db`. */
  description: string;
  serverVersionNum: number;
  progress(message: string): void;
  /** Closes the connection when migrate opened it. */
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  connection?: Pick<LiveConnectionOptions, 'url' | 'connectTimeoutMs'>;
  env?: NodeJS.ProcessEnv;
  /** An open session to use instead of connecting (left open afterwards). */
  db?: Db;
  /** Shown in reports when `db` is given. */
  description?: string;
  /** Read-only session: status, validate and dry runs. */
  readOnly: boolean;
  settings: MigrateSettings;
  progress?: (message: string) => void;
}

/** Connects (or takes `db`), sets lock_timeout and statement_timeout, and reads the server version. */
export async function openSession(options: OpenSessionOptions): Promise<MigrateSession> {
  let db: Db;
  let description: string;
  let owned: LiveDb | null = null;
  if (options.db) {
    db = options.db;
    description = options.description ?? 'database';
  } else {
    owned = await LiveDb.connect({ ...options.connection, env: options.env, readOnly: options.readOnly, lockTimeoutMs: options.settings.lockTimeoutMs });
    db = owned;
    description = owned.description;
  }
  try {
    await applySettings(db, options.settings);
    const rows = await db.query<{ version: string }>("SELECT current_setting('server_version_num') AS version");
    return {
      ...options.settings,
      db,
      description,
      serverVersionNum: Number(rows[0]?.version ?? 0),
      progress: options.progress ?? (() => undefined),
      close: async () => {
        await owned?.close();
      },
    };
  } catch (error) {
    await owned?.close();
    throw error;
  }
}

/**
 * Undoes what a migration may have changed in the session (`SET search_path`, `SET ROLE`, its own
 * timeouts) so that the next migration starts from the same state. `RESET ALL`, not `DISCARD ALL`:
 * the latter would also release the migrate lock.
 */
export async function resetSession(session: MigrateSession): Promise<void> {
  await session.db.exec('RESET ALL');
  await applySettings(session.db, session);
}

/** Sets lock_timeout for what follows (0: wait as long as it takes). */
export async function setLockTimeout(db: Db, ms: number): Promise<void> {
  await db.exec(`SET lock_timeout = ${Math.max(0, Math.round(ms))}`);
}

async function applySettings(db: Db, settings: MigrateSettings): Promise<void> {
  await setLockTimeout(db, settings.lockTimeoutMs);
  await db.exec(`SET statement_timeout = ${Math.max(0, Math.round(settings.statementTimeoutMs))}`);
}
