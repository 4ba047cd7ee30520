/**
 * A real PostgreSQL server started by the tests themselves: initdb into a temp dir, a free port on
 * 127.0.0.1, pg_stat_statements preloaded, hypopg created, scram passwords for TCP. As root, the server
 * runs as the `postgres` OS user (initdb refuses root). One server per test process, stopped at exit.
 *
 * Outside CI a missing PostgreSQL makes `requireServer` skip loudly; with CI=true it fails instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import pg from 'pg';

export const TEST_PASSWORD = 'pgarchitect-test-secret-7Qx';

export interface TestServer {
  host: string;
  port: number;
  versionNum: number;
  /** URL for the superuser `postgres`, with password, to a database (default `postgres`). */
  url(database?: string): string;
  /** Creates a fresh empty database (with hypopg and pg_stat_statements) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as superuser on a database (writes allowed: test set-up only). */
  admin(database: string, sql: string): Promise<void>;
  stop(): void;
}

/** Finds initdb and pg_ctl: PATH, `pg_config --bindir`, then Debian's /usr/lib/postgresql/<major>/bin. */
export function findPostgresBinDir(): string | null {
  const candidates: string[] = [];
  if (process.env.PGARCHITECT_PG_BINDIR) candidates.push(process.env.PGARCHITECT_PG_BINDIR);
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) candidates.push(join(which.stdout.trim(), '..'));
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  if (existsSync('/usr/lib/postgresql')) {
    const majors = readdirSync('/usr/lib/postgresql').filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push(`/usr/lib/postgresql/${major}/bin`);
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const isRoot = process.getuid?.() === 0;

function runAsServerUser(command: string, args: string[]): void {
  const [file, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  execFileSync(file, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function start(): Promise<TestServer> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (Debian: apt-get install postgresql-15 postgresql-15-hypopg)');
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-test-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${TEST_PASSWORD}\n`);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  runAsServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c shared_preload_libraries=pg_stat_statements',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=50',
  ].join(' ');
  runAsServerUser(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const stop = (): void => {
    spawnSync(isRoot ? 'runuser' : join(bin, 'pg_ctl'), isRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const url = (database = 'postgres'): string => `postgres://postgres:${encodeURIComponent(TEST_PASSWORD)}@127.0.0.1:${port}/${database}`;
  const admin = async (database: string, sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin('template1', 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  {
    try {
      await admin('template1', 'CREATE EXTENSION IF NOT EXISTS hypopg');
    } catch (error) {
      if (process.env.CI === 'true') throw new Error(`hypopg is not installed for this server: ${(error as Error).message}`);
      console.warn(`\n*** pgarchitect tests: hypopg is not available (${(error as Error).message}); install postgresql-15-hypopg ***\n`);
    }
  }
  const versionClient = new pg.Client({ connectionString: url() });
  await versionClient.connect();
  const versionNum = Number((await versionClient.query('SHOW server_version_num')).rows[0].server_version_num);
  await versionClient.end();
  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    versionNum,
    url,
    admin,
    async createDatabase(name: string): Promise<string> {
      await admin('postgres', `DROP DATABASE IF EXISTS "${name}"`);
      await admin('postgres', `CREATE DATABASE "${name}" TEMPLATE template1`);
      return url(name);
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stop);
      stop();
    },
  };
}

let shared: Promise<TestServer> | undefined;

// Registered at import time so it belongs to the file's root: the server outlives every test of the file.
after(async () => {
  const server = await shared?.catch(() => undefined);
  shared = undefined;
  server?.stop();
});

/** The process's server, started on first use and stopped when the tests of this file end. */
export function sharedServer(): Promise<TestServer> {
  shared ??= start();
  return shared;
}

/**
 * The server for a test that needs one. Outside CI, when PostgreSQL is not installed, the test is
 * skipped with a loud message; with CI=true the test fails.
 */
export async function requireServer(t: TestContext): Promise<TestServer | null> {
  try {
    return await sharedServer();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    const message = `*** SKIPPED: needs a PostgreSQL server: ${(error as Error).message} ***`;
    console.warn(`\n${message}\n`);
    t.skip(message);
    return null;
  }
}
