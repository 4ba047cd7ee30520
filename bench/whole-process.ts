/**
 * What the lint benchmarks share: a command timed as a whole process (wall time, and peak memory and
 * CPU from GNU time when present), squawk-cli for the side-by-side (installed on demand into a cache
 * folder: its per-platform optional packages cannot be recorded in a lock made here), and the median.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const GNU_TIME = '/usr/bin/time';
export const SQUAWK_VERSION = '2.66.0';
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export interface ProcessRun {
  wallMs: number;
  /** Maximum resident set of the largest process in the tree, KiB (NaN without GNU time). */
  maxRssKiB: number;
  /** User + system CPU seconds of the process and the children it waited for (NaN without GNU time). */
  cpuMs: number;
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a command under GNU time (when present), stdout captured, timed from here. */
export function runProcess(command: string[], workDir: string, env: Record<string, string> = {}): ProcessRun {
  const timeFile = join(workDir, 'time.txt');
  const useTime = existsSync(GNU_TIME);
  const [file, ...args] = useTime ? [GNU_TIME, '-f', '%M %U %S', '-o', timeFile, ...command] : command;
  const start = performance.now();
  const child = spawnSync(file!, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, ...env } });
  const wallMs = performance.now() - start;
  if (child.error) throw child.error;
  let maxRssKiB = Number.NaN;
  let cpuMs = Number.NaN;
  if (useTime) {
    // GNU time puts "Command exited with non-zero status N" on a line before the figures.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [rss, user, system] = last.split(' ').map(Number);
    maxRssKiB = rss ?? Number.NaN;
    cpuMs = ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000;
  }
  return { wallMs, maxRssKiB, cpuMs, status: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

let squawkRequireCache: NodeJS.Require | undefined;

/** A require that resolves squawk-cli from the benchmarks' cache folder, installed there on first use (never a devDependency). */
export function squawkRequire(): NodeJS.Require {
  if (squawkRequireCache) return squawkRequireCache;
  const dir = new URL('../node_modules/.cache/pgarchitect-bench/squawk/', import.meta.url).pathname;
  const probe = createRequire(`${dir}package.json`);
  try {
    probe.resolve('squawk-cli/package.json');
  } catch {
    console.log(`installing squawk-cli@${SQUAWK_VERSION} for the comparison into ${dir} ...`);
    mkdirSync(dir, { recursive: true });
    const install = spawnSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `squawk-cli@${SQUAWK_VERSION}`], { stdio: 'inherit' });
    if (install.status !== 0) throw new Error(`npm install squawk-cli@${SQUAWK_VERSION} failed`);
  }
  squawkRequireCache = probe;
  return probe;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
