/**
 * A streaming standby of a test server, on loopback: pg_basebackup -R (which writes primary_conninfo and
 * standby.signal) into the primary's temp folder, then started as a hot standby on a free port. Named by
 * `cluster_name`, which is also the application_name it streams as.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, runAsServerUser, TEST_PASSWORD, type PgServer } from './pg-server-core.js';

export interface TestStandby {
  name: string;
  port: number;
  url(database?: string): string;
  /** Runs SQL on the standby as superuser (reads, and recovery control functions). */
  query<Row = Record<string, unknown>>(database: string, sql: string): Promise<Row[]>;
  stop(): void;
}

export interface StartStandbyOptions {
  /** Streams through this physical slot, created by pg_basebackup (default: no slot). */
  slot?: string;
  /** Server settings of the standby (`-c`). */
  settings?: Record<string, string>;
}

const isRoot = process.getuid?.() === 0;


/** A client program of the primary's major version: beside its server binaries, else in Debian's folder for that major. */
function clientProgram(primary: PgServer, program: string): string {
  const major = Math.floor(primary.versionNum / 10000);
  const found = [primary.binDir, `/usr/lib/postgresql/${major}/bin`].map((dir) => join(dir, program)).find((path) => existsSync(path));
  if (!found) throw new Error(`${program} (PostgreSQL ${major}) not found beside ${primary.binDir} nor in /usr/lib/postgresql/${major}/bin`);
  return found;
}

export async function startStandby(primary: PgServer, name: string, options: StartStandbyOptions = {}): Promise<TestStandby> {
  const data = join(primary.dir, `standby-${name}`);
  const basebackup = clientProgram(primary, 'pg_basebackup');
  const slotArgs = options.slot ? ['-S', options.slot, '-C'] : [];
  await runAsServerUser('env', [`PGPASSWORD=${TEST_PASSWORD}`, basebackup, '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync', ...slotArgs]);
  const port = await freePort();
  const settings = { hot_standby: 'on', fsync: 'off', cluster_name: name, ...options.settings };
  const serverOptions = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${primary.dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  const pgCtl = join(primary.binDir, 'pg_ctl');
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    const args = [pgCtl, '-D', data, '-m', 'immediate', 'stop'];
    const [file, fullArgs] = isRoot ? ['runuser', ['-u', 'postgres', '--', ...args]] : [args[0]!, args.slice(1)];
    spawnSync(file, fullArgs, { stdio: 'ignore' });
    rmSync(data, { recursive: true, force: true });
  };
  process.once('exit', stop);
  try {
    await runAsServerUser(pgCtl, ['-D', data, '-o', serverOptions, '-l', join(primary.dir, `standby-${name}.log`), '-w', '-t', '60', 'start']);
  } catch (error) {
    stop();
    throw error;
  }
  const url = (database = 'postgres'): string => `postgres://postgres:${encodeURIComponent(TEST_PASSWORD)}@127.0.0.1:${port}/${database}`;
  return {
    name,
    port,
    url,
    async query<Row = Record<string, unknown>>(database: string, sql: string): Promise<Row[]> {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        const res = await client.query(sql);
        return (Array.isArray(res) ? res[res.length - 1].rows : res.rows) as Row[];
      } finally {
        await client.end();
      }
    },
    stop,
  };
}
