/**
 * How many threads lint uses: the option, the environment, the machine, and the amount of SQL a
 * worker thread must have to pay for its start-up. Apart from parallel-lint.ts so that reading
 * these loads neither the engine nor the parser.
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';

/**
 * SQL (UTF-16 code units, about bytes) per worker thread. A worker costs about 150 ms of start-up
 * (its own modules, parser and cold code) and slows the main thread while it starts; measured on 2
 * cores (bench/lint-throughput.ts, `--statements`), one thread is faster below about 1.5 MB (10,000
 * statements: 0.72 s on one thread and on two), and two pay from about 3 MB (20,000: 1.13 s and
 * 1.08 s; 50,000, 8 MB: 2.36 s and 1.79 s).
 */
export const PARALLEL_MIN_LENGTH = 2 * 1024 * 1024;

/** At most this many threads by default, however many cores there are. */
const DEFAULT_MAX_THREADS = 4;

/**
 * Threads to lint with: `threads` when given, else `PGARCHITECT_THREADS` from the environment, else
 * the machine's available parallelism up to 4.
 */
export function threadCount(threads: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 1) throw new UserError(`lint: threads must be a positive integer (got ${threads})`);
    return threads;
  }
  const fromEnv = env.PGARCHITECT_THREADS;
  if (fromEnv !== undefined && fromEnv !== '') {
    const value = Number(fromEnv);
    if (!Number.isInteger(value) || value < 1) throw new UserError(`PGARCHITECT_THREADS must be a positive integer (got "${fromEnv}")`, 'use 1 to lint on one thread');
    return value;
  }
  return Math.min(availableParallelism(), DEFAULT_MAX_THREADS);
}
