/**
 * Lint of large inputs on several threads. The input is cut into units (small files whole, large
 * files in chunks of whole statements, see sql-chunks.ts); the main thread and the worker threads
 * each take the next unit from a shared counter until none are left, so a worker that starts late
 * simply takes fewer, and one that has not started when the main thread runs out is stopped unused.
 * Each unit's findings, errors, notices and counts are kept apart and put together in unit order,
 * which is the order a single thread goes in: the result is the same, finding for finding.
 *
 * When anything departs from what one thread would do (a chunk the parser rejects, which needs its
 * file parsed whole; a rule that fails, which stops that rule for the rest of the run; a worker that
 * cannot start or dies), the threads stop and the caller lints everything on the main thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CatalogSnapshot } from '../catalog/types.js';
import type { Config } from '../config/config.js';
import { lintRules } from '../rules/lint-rules.js';
import { builtInRulesOnly, LintEngine, unitsOf, type LintEngineOptions, type LintPart, type LintUnit } from './lint-engine.js';
import { PARALLEL_MIN_LENGTH } from './lint-threads.js';

/** Slots of the shared claims array. */
const NEXT_UNIT = 0;
const ABORTED = 1;
/** `STARTED + w`: worker `w` has begun taking units. */
const STARTED = 2;

/** SQL text to lint and the name locations give it. */
export interface NamedSource {
  file: string;
  text: string;
}

/** What a worker is given: everything it needs to build the same engine as the main thread's. */
export interface LintWorkerData {
  sources: NamedSource[];
  units: LintUnit[];
  options: {
    schema?: CatalogSnapshot;
    config?: Config;
    only?: readonly string[];
    baseline?: ReadonlySet<string>;
    /** Ids of the built-in rules to run (default all). */
    ruleIds?: string[];
  };
  claims: SharedArrayBuffer;
  worker: number;
}

/** What a worker answers: each unit it linted with what it found, or that it stopped. */
export type LintWorkerAnswer = { parts: [number, LintPart][] } | { aborted: true };

/** What a worker says: that it has begun taking units, then its answer. */
export type LintWorkerMessage = { started: true } | LintWorkerAnswer;

/** What a parallel lint gives: the whole run's output, and how the units were shared. */
export interface ParallelOutcome {
  engine: LintEngine;
  /** Units each thread linted: the main thread's first. */
  unitsPerThread: number[];
}

/** A parallel lint under way: the workers are starting. */
export interface ParallelLint {
  /**
   * Lints the main thread's units (the parser must be loaded) and waits for the workers; null when
   * the run must be done again on one thread. `waitForWorkers`: take no unit before every worker is
   * ready to take some too (for tests; otherwise a small input may be done before a worker starts).
   */
  finish(options?: { waitForWorkers?: boolean }): Promise<ParallelOutcome | null>;
}

/**
 * Starts the worker threads for `sources` when the input is large enough to gain from them (one
 * per `minLength` of SQL); null when it is not (or `threads` is 1, or a rule is not a built-in
 * one). Call it before loading the parser on the main thread, so that the workers' start-up
 * overlaps with it.
 */
export function startParallelLint(
  sources: readonly NamedSource[],
  options: LintEngineOptions,
  threads: number,
  minLength = PARALLEL_MIN_LENGTH,
): ParallelLint | null {
  if (threads < 2 || !builtInRulesOnly(options.rules)) return null;
  const length = sources.reduce((sum, source) => sum + source.text.length, 0);
  if (length < minLength) return null;
  // A rule that remembers a file's earlier statements (the migration rules) needs the whole file in one thread.
  const perFile = (options.rules ?? lintRules).some((rule) => rule.startFile && (!options.only || options.only.includes(rule.meta.id)));
  const units = sources.flatMap((source, i) => unitsOf(i, source.text, !perFile));
  const workerCount = Math.min(threads - 1, units.length - 1, Math.floor(length / minLength));
  if (workerCount < 1) return null;

  const claims = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (STARTED + workerCount));
  const workerOptions: LintWorkerData['options'] = {
    schema: options.schema,
    config: options.config,
    only: options.only,
    baseline: options.baseline,
    ruleIds: options.rules?.map((rule) => rule.meta.id),
  };
  const entry = workerEntry();
  if (!entry) return null;
  const workers: Worker[] = [];
  for (let w = 0; w < workerCount; w++) {
    const workerData: LintWorkerData = { sources: [...sources], units, options: workerOptions, claims, worker: w };
    workers.push(new Worker(entry.script, { workerData, eval: entry.eval }));
  }
  const started = workers.map(startOf);
  const answers = workers.map(answerOf);
  return {
    async finish({ waitForWorkers = false } = {}) {
      const shared = new Int32Array(claims);
      try {
        if (waitForWorkers && !(await Promise.all(started)).every(Boolean)) return null;
        const engine = new LintEngine(options);
        const parts: (LintPart | undefined)[] = new Array(units.length);
        const unitsPerThread = [0];
        const done = (unit: number, part: LintPart): void => {
          parts[unit] = part;
          unitsPerThread[0]!++;
        };
        if (!lintClaimedUnits(engine, sources, units, claims, done)) return null;
        for (let w = 0; w < workerCount; w++) {
          unitsPerThread.push(0);
          // A worker that had not begun when the units ran out can take none: it is not waited for.
          if (Atomics.load(shared, STARTED + w) === 0) continue;
          const answer = await answers[w]!;
          if (answer === null || 'aborted' in answer) return null;
          for (const [unit, part] of answer.parts) parts[unit] = part;
          unitsPerThread[w + 1] = answer.parts.length;
        }
        for (const part of parts) {
          if (!part) return null;
          engine.addPart(part);
        }
        return { engine, unitsPerThread };
      } finally {
        for (const worker of workers) {
          worker.unref();
          void worker.terminate();
        }
      }
    },
  };
}

/**
 * Takes units from the shared counter and lints them until none are left, calling `done` with each
 * unit's part; false (and the other threads told to stop) when a unit needs the single-thread path.
 */
export function lintClaimedUnits(
  engine: LintEngine,
  sources: readonly NamedSource[],
  units: readonly LintUnit[],
  claims: SharedArrayBuffer,
  done: (unit: number, part: LintPart) => void,
): boolean {
  const shared = new Int32Array(claims);
  for (;;) {
    if (Atomics.load(shared, ABORTED) !== 0) return false;
    const index = Atomics.add(shared, NEXT_UNIT, 1);
    if (index >= units.length) return true;
    const unit = units[index]!;
    const source = sources[unit.source]!;
    if (!engine.lintUnit(source.file, source.text, unit) || engine.ruleFailed) {
      Atomics.store(shared, ABORTED, 1);
      return false;
    }
    done(index, engine.takePart());
  }
}

/** Marks worker `worker` as having begun to take units (see `finish`). */
export function markStarted(claims: SharedArrayBuffer, worker: number): void {
  Atomics.store(new Int32Array(claims), STARTED + worker, 1);
}

/** True once the worker has begun taking units; false when it failed or exited before. */
function startOf(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    worker.on('message', (message: LintWorkerMessage) => {
      if ('started' in message) resolve(true);
    });
    worker.on('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
}

/** The worker's answer; null when it failed or exited without one. */
function answerOf(worker: Worker): Promise<LintWorkerAnswer | null> {
  return new Promise((resolve) => {
    worker.on('message', (message: LintWorkerMessage) => {
      if (!('started' in message)) resolve(message);
    });
    worker.on('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}

/**
 * How to start a worker: lint-worker.js beside this module when built. Run from source (the tests,
 * under tsx), lint-worker.ts, with tsx registered in the worker first: a worker does not inherit
 * `--import tsx`. Null when neither can be started.
 */
function workerEntry(): { script: string | URL; eval: boolean } | null {
  const built = new URL('./lint-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { script: built, eval: false };
  const source = new URL('./lint-worker.ts', import.meta.url).href;
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
  const script = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return { script, eval: true };
}
