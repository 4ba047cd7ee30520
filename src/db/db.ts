/**
 * The small port through which pgarchitect talks to a database. Two adapters implement it: a live
 * server through `pg` (`live-db.ts`) and embedded PostgreSQL through PGlite (`embedded-db.ts`).
 * Nothing outside `db/` and `catalog/` sees a driver type.
 */
export interface Db {
  readonly kind: 'live' | 'embedded';
  /**
   * Runs one statement and returns its rows as plain objects. With `params` (even an empty array) it
   * goes through the extended protocol, which refuses more than one statement.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs one statement (or a script, where the engine allows it) and discards rows. */
  exec(sql: string): Promise<void>;
  /** Number of statements sent through `query` since the connection opened (for benchmarks). */
  readonly queryCount: number;
  close(): Promise<void>;
}

/** An error reported by PostgreSQL itself, stripped of the statement text (which may hold secrets). */
export interface PostgresErrorInfo {
  sqlstate: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position within the statement, when Postgres gave one. */
  position?: number;
  severity?: string;
}

/** Picks the useful fields of a `pg` or PGlite error without copying the query text or parameters. */
export function postgresErrorInfo(error: unknown): PostgresErrorInfo | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as Record<string, unknown>;
  if (typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return null;
  const position = e.position === undefined ? undefined : Number(e.position);
  return {
    sqlstate: e.code,
    message: typeof e.message === 'string' ? e.message : String(e.message),
    detail: typeof e.detail === 'string' ? e.detail : undefined,
    hint: typeof e.hint === 'string' ? e.hint : undefined,
    position: position !== undefined && Number.isFinite(position) ? position : undefined,
    severity: typeof e.severity === 'string' ? e.severity : undefined,
  };
}
