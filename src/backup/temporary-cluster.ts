/**
 * A throwaway PostgreSQL cluster for a restore drill: initdb in a temp folder, listening on a Unix
 * socket in that folder only (no TCP), durability off (its data is thrown away), trust authentication
 * for the local socket. Stopped and removed by `stop()`, and at process exit. As root, initdb and the
 * server run as the `postgres` OS user (initdb refuses root).
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.js';

const execFileAsync = promisify(execFile);

export interface TemporaryCluster {
  /** The folder holding the data and the socket. */
  dir: string;
  /** PG* variables that reach it as its superuser. */
  variables: Record<string, string>;
  major: number;
  stop(): void;
}

const PORT = '5432';

/** Starts a cluster with the programs of `binDir`. Throws a UserError when it cannot. */
export async function startTemporaryCluster(binDir: string, major: number): Promise<TemporaryCluster> {
  const asServerUser = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-restore-'));
  if (asServerUser) chownSync(dir, asServerUser.uid, asServerUser.gid);
  const data = join(dir, 'data');
  const run = async (program: string, args: string[]): Promise<void> => {
    const [file, fullArgs] = asServerUser ? ['runuser', ['-u', asServerUser.name, '--', join(binDir, program), ...args]] : [join(binDir, program), args];
    await execFileAsync(file, fullArgs, { env: { ...process.env, LC_ALL: 'C' } });
  };
  let started = false;
  const remove = (): void => {
    if (started) {
      const stopArgs = [join(binDir, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'];
      const [file, args] = asServerUser ? ['runuser', ['-u', asServerUser.name, '--', ...stopArgs]] : [stopArgs[0]!, stopArgs.slice(1)];
      spawnSync(file, args, { stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', remove);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', remove);
    remove();
  };
  try {
    await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    started = true;
    const settings = ['-c listen_addresses=', `-c unix_socket_directories=${dir}`, `-p ${PORT}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_wal_size=1GB'];
    await run('pg_ctl', ['-D', data, '-o', settings.join(' '), '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    stop();
    const message = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n').slice(-2).join(' ');
    throw new UserError(`could not start a temporary PostgreSQL ${major} cluster for the restore (${binDir}): ${message}`, 'give --target postgres://… (a server where the restore may create a scratch database)');
  }
  return { dir, variables: { PGHOST: dir, PGPORT: PORT, PGUSER: 'postgres', PGDATABASE: 'postgres' }, major, stop };
}

/** As root: the `postgres` OS user to run the cluster as (an error when there is none); otherwise null. */
function serverUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { name: 'postgres', uid, gid };
  } catch {
    throw new UserError('running as root, a temporary cluster needs the postgres OS user (initdb refuses root), and there is none', 'give --target postgres://… (a server where the restore may create a scratch database), or run as another user');
  }
}
