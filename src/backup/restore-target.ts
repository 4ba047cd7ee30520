/**
 * Where a restore drill restores: a server given by URL (`--target`), where it creates a scratch
 * database, or a temporary cluster it starts itself. Either way the restore goes into a database with
 * a temporary name (`pgarchitect_restore_<hex>`), dropped when the drill ends, fails or is stopped;
 * only `--keep` renames it to the target's name.
 */
import { randomBytes } from 'node:crypto';
import { describeConnection, parseConnectionUrl } from '../db/connection-config.js';
import { libpqVariables } from '../db/child-connection.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { findServerBinDir } from './pg-tools.js';
import { ident } from './table-contents.js';
import { startTemporaryCluster, type TemporaryCluster } from './temporary-cluster.js';

export interface RestoreTarget {
  kind: 'server' | 'temporary cluster';
  /** Password-free. */
  description: string;
  versionNum: number;
  version: string;
  /** The name `--keep` gives the restored database; null for a temporary cluster (nothing is kept). */
  keepAs: string | null;
  /** keepAs exists already. */
  keepAsExists: boolean;
  /** PG* variables reaching `database` on the target (for pg_restore). */
  variables(database: string): Record<string, string>;
  /** A session on `database` of the target, writes allowed, no statement_timeout. */
  connect(database: string): Promise<LiveDb>;
  /** The maintenance session (CREATE/DROP DATABASE). */
  admin: LiveDb;
  close(): Promise<void>;
}

const RESERVED = new Set(['postgres', 'template0', 'template1']);

/** A fresh temporary database name. */
export function temporaryDatabaseName(): string {
  return `pgarchitect_restore_${randomBytes(5).toString('hex')}`;
}

/** The target server of `url`; the database it names (default `<backed-up database>_verify`) is what --keep keeps. */
export async function serverTarget(url: string, backedUp: string, env: NodeJS.ProcessEnv): Promise<RestoreTarget> {
  const parsed = parseConnectionUrl(url);
  const keepAs = parsed.database && parsed.database !== '' ? parsed.database : `${backedUp}_verify`;
  if (RESERVED.has(keepAs)) {
    throw new UserError(`--target names the database ${keepAs}, which a restore drill will not use`, `name a scratch database in the URL (postgres://…/${backedUp}_verify), or none`);
  }
  const urlFor = (database: string): string => withDatabase(url, database);
  let admin: LiveDb;
  try {
    admin = await LiveDb.connect({ url: urlFor('postgres'), env, readOnly: false, statementTimeoutMs: 0 });
  } catch {
    admin = await LiveDb.connect({ url: urlFor('template1'), env, readOnly: false, statementTimeoutMs: 0 });
  }
  const [info] = await admin.query<{ num: string; version: string; exists: boolean }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists`,
    [keepAs],
  );
  const variables = (database: string): Record<string, string> => libpqVariables({ url: urlFor(database) }, env);
  return {
    kind: 'server',
    description: describeConnection({ url }, env),
    versionNum: Number(info!.num),
    version: info!.version,
    keepAs,
    keepAsExists: info!.exists === true,
    variables,
    connect: (database) => LiveDb.connect({ url: urlFor(database), env, readOnly: false, statementTimeoutMs: 0 }),
    admin,
    close: () => admin.close(),
  };
}

/** A temporary cluster of PostgreSQL `major` or newer; a UserError when the server programs are missing. */
export async function clusterTarget(major: number, env: NodeJS.ProcessEnv, onProgress: (line: string) => void): Promise<RestoreTarget> {
  const bin = findServerBinDir(major, env);
  if (!bin) {
    throw new UserError(
      `no PostgreSQL ${major} (or newer) server programs (initdb, pg_ctl, postgres) to start a temporary cluster for the restore`,
      `give --target postgres://… (a server where the restore may create a scratch database), or install postgresql-${major} (or set PGARCHITECT_PG_BINDIR)`,
    );
  }
  onProgress(`starting a temporary PostgreSQL ${bin.major} cluster (${bin.dir})`);
  const cluster: TemporaryCluster = await startTemporaryCluster(bin.dir, bin.major);
  const sessionEnv = (database: string): NodeJS.ProcessEnv => ({ ...cluster.variables, PGDATABASE: database });
  try {
    const admin = await LiveDb.connect({ env: sessionEnv('postgres'), readOnly: false, statementTimeoutMs: 0 });
    const [info] = await admin.query<{ num: string; version: string }>(`SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`);
    return {
      kind: 'temporary cluster',
      description: `temporary cluster in ${cluster.dir}`,
      versionNum: Number(info!.num),
      version: info!.version,
      keepAs: null,
      keepAsExists: false,
      variables: (database) => ({ ...cluster.variables, PGDATABASE: database }),
      connect: (database) => LiveDb.connect({ env: sessionEnv(database), readOnly: false, statementTimeoutMs: 0 }),
      admin,
      close: async () => {
        await admin.close();
        cluster.stop();
      },
    };
  } catch (error) {
    cluster.stop();
    throw error;
  }
}

/** Creates the scratch database, empty (template0), in the backed-up encoding with the C locale (any server has it). */
export async function createScratchDatabase(target: RestoreTarget, name: string, encoding: string): Promise<void> {
  await target.admin.query(`CREATE DATABASE ${ident(name)} TEMPLATE template0 ENCODING '${encoding.replace(/'/g, "''")}' LC_COLLATE 'C' LC_CTYPE 'C'`);
}

/** Drops a database, ending its sessions first (FORCE, PostgreSQL 13+); never throws. */
export async function dropDatabase(target: RestoreTarget, name: string): Promise<string | null> {
  try {
    await target.admin.query(`DROP DATABASE IF EXISTS ${ident(name)}${target.versionNum >= 130000 ? ' WITH (FORCE)' : ''}`);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** `url` with its database replaced. */
export function withDatabase(url: string, database: string): string {
  const match = /^(postgres(?:ql)?:\/\/[^/?#]*)(\/[^?#]*)?(.*)$/i.exec(url);
  if (!match) return url;
  return `${match[1]}/${encodeURIComponent(database)}${match[3] ?? ''}`;
}
