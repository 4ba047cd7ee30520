/**
 * How a child program (pg_dump, pg_restore, pgbackrest) reaches the server: through libpq's PG*
 * environment variables, so that nothing secret is on its command line (where `ps` shows it) and the
 * password reaches it in PGPASSWORD only.
 */
import { parseConnectionUrl, type LiveConnectionOptions } from './connection-config.js';

const LIBPQ_VARIABLES = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE', 'PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY', 'PGPASSFILE', 'PGSERVICE', 'PGSERVICEFILE', 'PGOPTIONS', 'PGAPPNAME', 'PGCONNECT_TIMEOUT'];

/** The PG* variables for the connection: from its URL (or DATABASE_URL), else the caller's own PG* variables. */
export function libpqVariables(connection: LiveConnectionOptions, env: NodeJS.ProcessEnv): Record<string, string> {
  const url = connection.url ?? env.DATABASE_URL;
  const vars: Record<string, string> = {};
  if (!url) {
    for (const name of LIBPQ_VARIABLES) if (env[name] !== undefined) vars[name] = env[name]!;
  } else {
    const parsed = parseConnectionUrl(url);
    if (parsed.host) vars.PGHOST = parsed.host;
    if (parsed.port) vars.PGPORT = String(parsed.port);
    if (parsed.user) vars.PGUSER = parsed.user;
    if (parsed.password) vars.PGPASSWORD = parsed.password;
    else if (env.PGPASSWORD) vars.PGPASSWORD = env.PGPASSWORD; // libpq's own fallback, kept for the child
    if (parsed.database) vars.PGDATABASE = parsed.database;
    const sslmode = /[?&]sslmode=([^&#]+)/.exec(url)?.[1];
    if (sslmode) vars.PGSSLMODE = decodeURIComponent(sslmode);
    if (env.PGPASSFILE) vars.PGPASSFILE = env.PGPASSFILE;
  }
  vars.PGAPPNAME = 'pgarchitect';
  if (connection.connectTimeoutMs) vars.PGCONNECT_TIMEOUT = String(Math.max(1, Math.round(connection.connectTimeoutMs / 1000)));
  return vars;
}

/** The environment of a child: this process's, without its own PG* variables, plus `vars`. */
export function childEnvironment(vars: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of LIBPQ_VARIABLES) delete base[name];
  return { ...base, ...vars };
}
