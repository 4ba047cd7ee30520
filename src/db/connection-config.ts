/**
 * Resolves where to connect (a URL, DATABASE_URL, or libpq's PG* variables and ~/.pgpass, which `pg`
 * reads itself) and how to describe it without ever showing a password.
 */
import { parse } from 'pg-connection-string';
import type { ClientConfig } from 'pg';

/**
 * A connection URL's parts, with libpq's meaning of `sslmode` (as psql, pg_dump and every libpq client
 * read it): `require` encrypts without verifying the certificate, `verify-ca` checks the CA only. pg's
 * own reading treats require as verify-full, so a server with a self-signed or private-CA certificate
 * that psql reaches with `sslmode=require` would be refused, and it prints a deprecation warning.
 */
export function parseConnectionUrl(url: string): ReturnType<typeof parse> {
  // The URL may ask for it itself; pg-connection-string refuses being asked twice.
  const asks = /[?&]uselibpqcompat=/i.test(url);
  return parse(url, asks ? {} : { useLibpqCompat: true });
}

export interface LiveConnectionOptions {
  /** `postgres://...` URL; when absent DATABASE_URL, then the PG* variables are used. */
  url?: string;
  /** Milliseconds; default 30 000. */
  statementTimeoutMs?: number;
  /** Milliseconds; default 2 000. */
  lockTimeoutMs?: number;
  /** Milliseconds to wait for the connection itself; default 10 000. */
  connectTimeoutMs?: number;
}

export function isConnectionUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

export function resolveClientConfig(options: LiveConnectionOptions, env = process.env): ClientConfig {
  const url = options.url ?? env.DATABASE_URL;
  // libpq's variables, read from the given environment (pg would read process.env itself; being
  // explicit lets callers pass another environment). A URL wins over them, as with libpq.
  const base: ClientConfig = url
    ? (parseConnectionUrl(url) as ClientConfig)
    : {
        host: env.PGHOST,
        port: env.PGPORT ? Number(env.PGPORT) : undefined,
        user: env.PGUSER,
        password: env.PGPASSWORD,
        database: env.PGDATABASE,
      };
  if (!url && env.PGSSLMODE && env.PGSSLMODE !== 'disable' && env.PGSSLMODE !== 'allow' && env.PGSSLMODE !== 'prefer') {
    base.ssl = env.PGSSLMODE === 'verify-full' || env.PGSSLMODE === 'verify-ca' ? true : { rejectUnauthorized: false };
  }
  return {
    ...base,
    application_name: 'pgarchitect',
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    lock_timeout: options.lockTimeoutMs ?? 2_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  };
}

/** `postgres://user@host:port/db`, with the password removed whatever form it came in. */
export function describeConnection(options: LiveConnectionOptions, env = process.env): string {
  const url = options.url ?? env.DATABASE_URL;
  if (url) {
    try {
      const parsed = parseConnectionUrl(url);
      return formatTarget(parsed.user ?? undefined, parsed.host ?? undefined, parsed.port ?? undefined, parsed.database ?? undefined);
    } catch {
      return redactPassword(url);
    }
  }
  return formatTarget(env.PGUSER, env.PGHOST ?? 'localhost', env.PGPORT ?? '5432', env.PGDATABASE ?? env.PGUSER);
}

function formatTarget(user?: string, host?: string, port?: string, database?: string): string {
  const who = user ? `${user}@` : '';
  const where = host ? (host.startsWith('/') ? `[${host}]` : host) : 'localhost';
  return `postgres://${who}${where}${port ? `:${port}` : ''}/${database ?? ''}`;
}

/** Removes `:password@` from anything that looks like a connection URL, and `password=...` pairs. */
export function redactPassword(text: string): string {
  return text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@')
    .replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***');
}
