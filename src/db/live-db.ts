/**
 * A live PostgreSQL server behind the Db port, through `pg`. The session is made read only and bounded
 * by statement_timeout and lock_timeout before anything else runs: analysis never writes.
 */
import pg from 'pg';
import { UserError } from '../errors.js';
import type { Db } from './db.js';
import { describeConnection, redactPassword, resolveClientConfig, type LiveConnectionOptions } from './connection-config.js';

export class LiveDb implements Db {
  readonly kind = 'live' as const;
  #count = 0;
  private constructor(
    private readonly client: pg.Client,
    /** Redacted `postgres://user@host:port/db`. */
    readonly description: string,
  ) {}

  /**
   * Connects and sets the session up. `readOnly: false` is only for commands whose job is to write
   * (and for test set-up); analysis always uses the default.
   */
  static async connect(options: LiveConnectionOptions & { readOnly?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<LiveDb> {
    const env = options.env ?? process.env;
    const description = describeConnection(options, env);
    const client = new pg.Client(resolveClientConfig(options, env));
    // An idle connection dropped by the server emits 'error'; without a listener Node would crash.
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (options.readOnly !== false) await client.query('SET default_transaction_read_only = on');
    } catch (error) {
      await client.end().catch(() => undefined);
      throw connectionError(error, description);
    }
    return new LiveDb(client, description);
  }

  get queryCount(): number {
    return this.#count;
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]> {
    this.#count++;
    // With params (even none), the extended protocol: exactly one statement, as PGlite's query.
    const result = params === undefined ? await this.client.query(sql) : await this.client.query({ text: sql, values: params, queryMode: 'extended' } as pg.QueryConfig);
    return result.rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** Turns a driver error during connect into one clear, password-free line. */
export function connectionError(error: unknown, target: string): UserError {
  const e = (error ?? {}) as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code;
  const message = redactPassword(String(e.message ?? error));
  switch (code) {
    case 'ECONNREFUSED':
      return new UserError(`cannot connect to ${target}: connection refused`, 'check that the server is running and accepts TCP connections on that host and port');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UserError(`cannot connect to ${target}: host not found`, 'check the host name');
    case 'ETIMEDOUT':
      return new UserError(`cannot connect to ${target}: timed out`, 'check the host, port and any firewall');
    case '28P01':
      return new UserError(`cannot connect to ${target}: password authentication failed`, 'check the password (URL, PGPASSWORD or ~/.pgpass)');
    case '28000':
      return new UserError(`cannot connect to ${target}: ${message}`, 'the server refused this user, host or database (pg_hba.conf)');
    case '3D000':
      return new UserError(`cannot connect to ${target}: ${message}`, 'check the database name');
    case '57P03':
      return new UserError(`cannot connect to ${target}: the server is starting up or shutting down`, 'try again in a moment');
    default:
      if (/timeout/i.test(message)) return new UserError(`cannot connect to ${target}: timed out`, 'check the host, port and any firewall');
      return new UserError(`cannot connect to ${target}: ${message}`);
  }
}
