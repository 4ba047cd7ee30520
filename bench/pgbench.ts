/**
 * pgbench against a bench server: initialising its tables and running it for a fixed time, the password
 * passed in the environment (PGPASSWORD), never in argv. pgbench is the one beside the server's
 * binaries (Debian ships it in /usr/lib/postgresql/<major>/bin with initdb and pg_ctl).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchServer } from './bench-server.js';

export interface PgbenchRun {
  /** Transactions per second, without the initial connection time. */
  tps: number;
  latencyMs: number;
  transactions: number;
  failedTransactions: number;
}

export interface PgbenchLoad {
  clients: number;
  threads: number;
  seconds: number;
}

/**
 * pgbench beside the server's binaries, or beside the file `postgres` links to (the bin dir may be a
 * folder of symlinks, /usr/local/bin say); an error saying where it looked when there is none.
 */
export function pgbenchPath(server: BenchServer): string {
  const dirs = [...new Set([server.binDir, dirname(realpathSync(join(server.binDir, 'postgres')))])];
  const found = dirs.map((dir) => join(dir, 'pgbench')).find((path) => existsSync(path));
  if (!found) throw new Error(`pgbench not found in ${dirs.join(' or ')} (Debian: it comes with postgresql-client-<major>)`);
  return found;
}

function connectionArgs(server: BenchServer, database: string): string[] {
  return ['-h', server.host, '-p', String(server.port), '-U', 'postgres', '-d', database];
}

function connectionEnv(server: BenchServer): NodeJS.ProcessEnv {
  return { ...process.env, PGPASSWORD: decodeURIComponent(new URL(server.url()).password) };
}

/** `pgbench -i -s <scale> --foreign-keys`: the four pgbench tables, vacuumed, with their keys. */
export function pgbenchInit(server: BenchServer, database: string, scale: number): void {
  const child = spawnSync(pgbenchPath(server), ['-i', '-q', '-s', String(scale), '--foreign-keys', ...connectionArgs(server, database)], {
    env: connectionEnv(server),
    encoding: 'utf8',
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`pgbench -i failed: ${child.stderr.trim()}`);
}

/** Reads pgbench's summary; throws with its output when the figures are not there. */
export function parsePgbenchOutput(output: string): PgbenchRun {
  // "without initial connection time" since PostgreSQL 14, "excluding connections establishing" before.
  const tps = /^tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/m.exec(output);
  const latency = /^latency average = ([\d.]+) ms/m.exec(output);
  const transactions = /^number of transactions actually processed: (\d+)/m.exec(output);
  const failed = /^number of failed transactions: (\d+)/m.exec(output);
  if (!tps || !latency || !transactions) throw new Error(`pgbench printed no figures:\n${output.trim()}`);
  return {
    tps: Number(tps[1]),
    latencyMs: Number(latency[1]),
    transactions: Number(transactions[1]),
    failedTransactions: failed ? Number(failed[1]) : 0,
  };
}

/**
 * Runs the built-in TPC-B-like script for `load.seconds`. With -v pgbench first vacuums its four tables
 * (pgbench_accounts too) and empties pgbench_history, so each run starts from the same state even with
 * autovacuum off: the dead rows of one run do not slow the next.
 */
export function runPgbench(server: BenchServer, database: string, load: PgbenchLoad): Promise<PgbenchRun> {
  const args = ['-v', '-c', String(load.clients), '-j', String(load.threads), '-T', String(load.seconds), ...connectionArgs(server, database)];
  return new Promise((resolve, reject) => {
    const child = spawn(pgbenchPath(server), args, { env: connectionEnv(server), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`pgbench exited with ${status}:\n${output.trim()}`));
      try {
        resolve(parsePgbenchOutput(output));
      } catch (error) {
        reject(error);
      }
    });
  });
}
