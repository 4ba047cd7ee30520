/**
 * What `health` and `maintenance plan` cost a busy server (issue 6, "Under load"). On a throwaway
 * PostgreSQL server with pg_stat_statements preloaded it builds a database of 1,000 tables (see
 * review-scale-schema.ts: primary keys, foreign keys, a second index, a few rows each; ten of them
 * larger, with dead rows) plus pgbench's tables, ANALYZEd. Then:
 *
 * 1. `health` and `maintenance plan` on the quiet server, each a whole process as a user runs it
 *    (`node bin/pgarchitect.js health --format json`, the URL in DATABASE_URL): wall time, CPU, memory.
 * 2. pgbench (`-v -c 8 -j 2 -T <seconds>`) in phases without pgarchitect (A) and with it (B): in B,
 *    health and maintenance plan run one after the other for the whole phase, with `--pause-ms`
 *    between two runs (default 8 s: each command about every 20 s, a monitoring cadence far tighter than
 *    the usual minute; `--pause-ms=0` runs them back to back, the worst case). The pairs
 *    go A B, B A, A B, ... so that a drift of the machine during the run falls on both; -v vacuums
 *    pgbench's tables before each phase, so one phase's dead rows do not slow the next (autovacuum is
 *    off). Median TPS of each, and the drop.
 * 3. Lock waits (health-under-load-locks.ts): sessions waiting on a lock held by a pgarchitect session,
 *    and pgarchitect sessions waiting themselves, sampled from pg_stat_activity in every phase, and the
 *    waits of a second or more and lock timeouts from the server log.
 *
 * Targets (issue 6): TPS drop at most 5 %, no lock wait caused, health under 2 s at 1,000 tables. A miss
 * is reported, not failed; a pgarchitect run that fails (exit code other than 0 or 1) is a real error.
 *
 * pgarchitect runs on the same machine as the server and pgbench here, so its own CPU (Node start-up,
 * rules, JSON) competes with them, which it would not from another host: the CPU it used is printed
 * beside the drop, split into its process (client) and its server backends, and `--nice=19` shows how
 * much of the drop is the client's CPU. Other processes on the machine make the figures noisy: the load
 * average before each phase is printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBenchServer, type BenchServer } from './bench-server.js';
import { BenchUsageError, type Benchmark } from './benchmark.js';
import {
  addLogFacts,
  addTallies,
  emptyTally,
  LOCK_LOG_SETTINGS,
  LockSampler,
  logOffset,
  processCpuMs,
  readLogLockFacts,
  type LockTally,
  type LogLockFacts,
} from './health-under-load-locks.js';
import { pgbenchInit, pgbenchPath, runPgbench, type PgbenchLoad, type PgbenchRun } from './pgbench.js';
import { createBenchDatabase } from './review-scale-schema.js';
import { count, megabytesFromKiB, ms, textTable } from './text-table.js';
import { GNU_TIME, median, repoRoot, runProcess, type ProcessRun } from './whole-process.js';

const TARGET_TPS_DROP = 0.05;
/** Between two pgarchitect runs in the B phases: with runs of about 2 s, each command runs about every 20 s. */
const DEFAULT_PAUSE_MS = 8000;
const TARGET_HEALTH_MS = 2_000;
const DATABASE = 'health_load';
/** Tables of the 1,000 that get LARGE_ROWS rows, a fifth of them then updated (dead rows, no autovacuum). */
const LARGE_TABLES = 10;
const LARGE_ROWS = 20_000;

const cli = join(repoRoot, 'bin/pgarchitect.js');

type Command = 'health' | 'maintenance plan';
const COMMANDS: readonly Command[] = ['health', 'maintenance plan'];

function cliArgs(command: Command): string[] {
  return [cli, ...command.split(' '), '--format', 'json'];
}

interface Options {
  tables: number;
  scale: number;
  seconds: number;
  pairs: number;
  runs: number;
  load: PgbenchLoad;
  sampleMs: number;
  pauseMs: number;
  /** nice(1) level of pgarchitect in the B phases (0: as is). */
  nice: number;
  warmUpSeconds: number;
}

function positiveInteger(options: Record<string, string>, key: string, min = 1): number {
  const value = Number(options[key]);
  if (!Number.isInteger(value) || value < min) throw new BenchUsageError(`--${key} must be an integer ≥ ${min} (got "${options[key]}")`);
  return value;
}

function parseOptions(options: Record<string, string>): Options {
  const seconds = positiveInteger(options, 'seconds', 5);
  return {
    tables: positiveInteger(options, 'tables', 10),
    scale: positiveInteger(options, 'scale'),
    seconds,
    pairs: positiveInteger(options, 'pairs'),
    runs: positiveInteger(options, 'runs'),
    load: { clients: positiveInteger(options, 'clients'), threads: positiveInteger(options, 'threads'), seconds },
    sampleMs: positiveInteger(options, 'sample-ms', 10),
    pauseMs: positiveInteger(options, 'pause-ms', 0),
    nice: positiveInteger(options, 'nice', 0),
    warmUpSeconds: positiveInteger(options, 'warm-up', 0),
  };
}

/** One pgarchitect command run while pgbench ran. */
interface LoadedRun {
  command: Command;
  run: ProcessRun;
}

/** Like runProcess, without blocking the event loop (pgbench and the sampler run meanwhile). */
function runProcessAsync(command: string[], timeFile: string, env: Record<string, string>): Promise<ProcessRun> {
  const useTime = existsSync(GNU_TIME);
  const [file, ...args] = useTime ? [GNU_TIME, '-f', '%M %U %S', '-o', timeFile, ...command] : command;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => {
      const wallMs = performance.now() - start;
      // GNU time puts "Command exited with non-zero status N" on a line before the figures.
      const last = useTime ? (readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '') : '';
      const [rss, user, system] = last.split(' ').map(Number);
      resolve({ wallMs, maxRssKiB: rss ?? Number.NaN, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000, status: status ?? -1, stdout, stderr });
    });
  });
}

/** Runs health, maintenance plan, health, ... until `done()` says stop; returns every run. */
async function pgarchitectLoop(env: Record<string, string>, workDir: string, options: Options, done: () => boolean): Promise<LoadedRun[]> {
  const runs: LoadedRun[] = [];
  const nice = options.nice > 0 ? ['nice', '-n', String(options.nice)] : [];
  for (let i = 0; !done(); i++) {
    const command = COMMANDS[i % COMMANDS.length]!;
    runs.push({ command, run: await runProcessAsync([...nice, process.execPath, ...cliArgs(command)], join(workDir, 'time-loop.txt'), env) });
    if (options.pauseMs > 0 && !done()) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  return runs;
}

interface Phase {
  withPgarchitect: boolean;
  pgbench: PgbenchRun;
  locks: LockTally;
  log: LogLockFacts;
  runs: LoadedRun[];
  /** Wall clock of the phase (pgarchitect may run on a little after pgbench ends). */
  wallMs: number;
  /** The machine's 1-minute load average as the phase began (other processes show here). */
  loadBefore: number;
}

async function runPhase(server: BenchServer, options: Options, withPgarchitect: boolean, env: Record<string, string>, workDir: string): Promise<Phase> {
  const logFile = join(server.dir, 'server.log');
  const loadBefore = loadavg()[0]!;
  const from = logOffset(logFile);
  const sampler = new LockSampler(server.url(DATABASE), options.sampleMs);
  await sampler.start();
  const start = performance.now();
  let pgbenchDone = false;
  // pgarchitect starts first, so the whole pgbench window is under its load.
  const loop = withPgarchitect ? pgarchitectLoop(env, workDir, options, () => pgbenchDone) : Promise.resolve([]);
  let pgbench: PgbenchRun;
  try {
    pgbench = await runPgbench(server, DATABASE, options.load);
  } catch (error) {
    pgbenchDone = true;
    await loop.catch(() => undefined);
    await sampler.stop().catch(() => undefined);
    throw error;
  }
  pgbenchDone = true;
  const runs = await loop;
  const wallMs = performance.now() - start;
  const locks = await sampler.stop();
  // The log is written by another process: give it a moment to flush the last lines.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const log = readLogLockFacts(logFile, from, logOffset(logFile));
  return { withPgarchitect, pgbench, locks, log, runs, wallMs, loadBefore };
}

/** What a health result said: to show it saw the workload, and whether its catalog read hit lock_timeout. */
interface HealthOutcome {
  checks: number;
  skipped: number;
  findings: number;
  statementsSeen: boolean;
  catalogLockTimeout: boolean;
}

function healthOutcome(stdout: string): HealthOutcome {
  const result = JSON.parse(stdout) as { checks: { rule: string }[]; skipped: { rule: string; reason: string }[]; findings: { rule: string }[] };
  return {
    checks: result.checks.length,
    skipped: result.skipped.length,
    findings: result.findings.length,
    statementsSeen: result.checks.some((c) => c.rule === 'pg-stat-statements-missing') && !result.findings.some((f) => f.rule === 'pg-stat-statements-missing'),
    catalogLockTimeout: result.skipped.some((s) => /lock_timeout/.test(s.reason)),
  };
}

function isFailure(run: ProcessRun): boolean {
  return run.status !== 0 && run.status !== 1;
}

function failureLine(command: string, run: ProcessRun): string {
  return `${command} exited with ${run.status}: ${run.stderr.trim().split('\n')[0] ?? ''}`;
}

/** Newest modification time of the files under `dir`. */
function newestMtime(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/** Throws when the built CLI lacks health or maintenance plan; a note when src/ changed after the build. */
function checkBuiltCli(): string | null {
  for (const command of COMMANDS) {
    const child = spawnSync(process.execPath, [cli, ...command.split(' '), '--help'], { cwd: repoRoot, encoding: 'utf8' });
    if (child.status !== 0 || !new RegExp(`^Usage: pgarchitect ${command}\\b`, 'm').test(child.stdout)) {
      throw new Error(`the built CLI has no \`${command}\` command (bin/pgarchitect.js runs dist/): npm run build`);
    }
  }
  const src = newestMtime(join(repoRoot, 'src'));
  const dist = newestMtime(join(repoRoot, 'dist'));
  if (src.mtimeMs <= dist.mtimeMs) return null;
  return `note: src/ changed after the last build (${src.file.slice(repoRoot.length)} at ${new Date(src.mtimeMs).toISOString()}, dist/ at ${new Date(dist.mtimeMs).toISOString()}): these are the figures of the built code (npm run build)`;
}

async function buildDatabase(server: BenchServer, options: Options): Promise<string> {
  const start = performance.now();
  const facts = await createBenchDatabase(server, DATABASE, options.tables);
  // A few larger tables with dead rows (autovacuum is off), so bloat and vacuum checks have work.
  await server.query(
    DATABASE,
    `DO $do$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT c.relname AS t, a.attname AS fk
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 2
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname ~ '^t[0-9]+$'
    ORDER BY c.relname LIMIT ${LARGE_TABLES}
  LOOP
    EXECUTE format($sql$
      INSERT INTO %1$I (%2$I, name, code, status, amount, is_active, attributes)
      SELECT 1 + g %% 3, 'name ' || g, 'C-' || g, (ARRAY['new', 'paid', 'shipped'])[1 + g %% 3], g * 1.5, g %% 2 = 0,
             jsonb_build_object('k', g)
      FROM generate_series(1, ${LARGE_ROWS}) AS g$sql$, r.t, r.fk);
    EXECUTE format('UPDATE %I SET updated_at = now() WHERE id %% 5 = 0', r.t);
  END LOOP;
END
$do$`,
  );
  pgbenchInit(server, DATABASE, options.scale);
  await server.admin(DATABASE, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await server.admin(DATABASE, 'ANALYZE');
  const [size] = await server.query<{ size: string; tables: string }>(
    DATABASE,
    `SELECT pg_size_pretty(pg_database_size(current_database())) AS size,
            (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r') AS tables`,
  );
  return (
    `${DATABASE}: ${count(Number(size?.tables))} tables (${count(facts.tables)} with ${count(facts.columns)} columns, ${count(facts.indexes)} indexes, ` +
    `${count(facts.foreignKeys)} foreign keys, 5 rows each, ${LARGE_TABLES} of them with ${count(LARGE_ROWS)} more rows and 20 % dead; ` +
    `pgbench scale ${options.scale} with foreign keys), ${size?.size}, ANALYZEd (built in ${ms(performance.now() - start)})`
  );
}

interface QuietRun extends ProcessRun {
  /** CPU of the run's server backend: what the postmaster's reaped children used meanwhile. */
  serverCpuMs: number;
}

interface QuietTiming {
  command: Command;
  runs: QuietRun[];
}

/**
 * Runs a command and measures its backend's CPU: on the quiet server (autovacuum off, no other session)
 * the only backend to exit meanwhile is the command's, and the postmaster adds its CPU to its children's.
 */
async function runQuiet(server: BenchServer, args: string[], workDir: string, env: Record<string, string>): Promise<QuietRun> {
  const postmaster = Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const before = processCpuMs(postmaster, true);
  const run = runProcess(args, workDir, env);
  // The backend exits just after the client closes: give the postmaster a moment to reap it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { ...run, serverCpuMs: processCpuMs(postmaster, true) - before };
}

/** Each command: one warm-up run (file cache; each run is a fresh process), then `runs` timed. */
async function timeQuiet(server: BenchServer, env: Record<string, string>, workDir: string, runs: number): Promise<QuietTiming[]> {
  const timings: QuietTiming[] = [];
  for (const command of COMMANDS) {
    const args = [process.execPath, ...cliArgs(command)];
    const warmUp = runProcess(args, workDir, env);
    if (isFailure(warmUp)) throw new Error(failureLine(command, warmUp));
    const timed: QuietRun[] = [];
    for (let i = 0; i < runs; i++) timed.push(await runQuiet(server, args, workDir, env));
    const failed = timed.find(isFailure);
    if (failed) throw new Error(failureLine(command, failed));
    timings.push({ command, runs: timed });
  }
  return timings;
}

function pass(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)} %`;
}

function printQuiet(timings: QuietTiming[], runs: number): void {
  const rows = timings.map(({ command, runs: r }) => {
    const wall = median(r.map((x) => x.wallMs));
    const isHealth = command === 'health';
    return [
      command,
      ms(wall),
      ms(Math.min(...r.map((x) => x.wallMs))),
      ms(Math.max(...r.map((x) => x.wallMs))),
      ms(median(r.map((x) => x.cpuMs))),
      ms(median(r.map((x) => x.serverCpuMs))),
      megabytesFromKiB(median(r.map((x) => x.maxRssKiB))),
      isHealth ? `< ${ms(TARGET_HEALTH_MS)}` : '',
      isHealth ? pass(wall < TARGET_HEALTH_MS) : '',
    ];
  });
  console.log(`On the quiet server, whole process (node bin/pgarchitect.js <command> --format json), ${runs} runs after a warm-up:\n`);
  console.log(textTable(['command', 'median', 'min', 'max', 'CPU: process', 'server backend', 'peak RSS', 'target', ''], rows));
  console.log('(CPU figures are medians; wall time well above process + backend CPU means waiting for a core: see the load average)');
  const health = timings.find((t) => t.command === 'health')!.runs.at(-1)!;
  const outcome = healthOutcome(health.stdout);
  console.log(
    `\nhealth said: ${outcome.checks} checks run, ${outcome.skipped} skipped, ${outcome.findings} findings; ` +
      `pg_stat_statements ${outcome.statementsSeen ? 'seen' : 'NOT seen (pg-stat-statements-missing fired or did not run)'}.`,
  );
}

function printPhases(phases: Phase[], options: Options, cores: number): void {
  const rows = phases.map((p, i) => {
    const cpuMs = p.runs.reduce((sum, r) => sum + r.run.cpuMs, 0);
    const byCommand = (command: Command) => p.runs.filter((r) => r.command === command);
    return [
      `${i + 1} ${p.withPgarchitect ? 'B with' : 'A without'}`,
      p.pgbench.tps.toFixed(1),
      `${p.pgbench.latencyMs.toFixed(2)} ms`,
      p.withPgarchitect ? `${byCommand('health').length} / ${byCommand('maintenance plan').length}` : '',
      p.withPgarchitect ? ms(median(byCommand('health').map((r) => r.run.wallMs))) : '',
      p.withPgarchitect ? ms(median(byCommand('maintenance plan').map((r) => r.run.wallMs))) : '',
      p.withPgarchitect ? `${percent(cpuMs / (p.wallMs * cores))} + ${percent(p.locks.pgarchitectBackendCpuMs / (p.wallMs * cores))}` : '',
      count(p.locks.samples),
      p.loadBefore.toFixed(2),
    ];
  });
  console.log(
    `\npgbench -v -c ${options.load.clients} -j ${options.load.threads} -T ${options.load.seconds} (TPC-B-like), phases in the order run; ` +
      `in B, health and maintenance plan run ${options.pauseMs ? `one after the other with ${ms(options.pauseMs)} between` : 'back to back'}` +
      `${options.nice ? ` under nice -n ${options.nice}` : ''}:\n`,
  );
  console.log(
    textTable(
      ['phase', 'TPS', 'latency', 'health / plan runs', 'health (median)', 'plan (median)', `pgarchitect CPU of ${cores} cores: process + backends (at least)`, 'lock samples', 'load avg before'],
      rows,
    ),
  );
}

function printSummary(phases: Phase[], quiet: QuietTiming[]): boolean {
  const tps = (withPgarchitect: boolean): number => median(phases.filter((p) => p.withPgarchitect === withPgarchitect).map((p) => p.pgbench.tps));
  const without = tps(false);
  const withIt = tps(true);
  const drop = (without - withIt) / without;
  const pairs = phases.length / 2;
  const pairDrops = Array.from({ length: pairs }, (_, i) => {
    const pair = phases.slice(2 * i, 2 * i + 2);
    const a = pair.find((p) => !p.withPgarchitect)!.pgbench.tps;
    return (a - pair.find((p) => p.withPgarchitect)!.pgbench.tps) / a;
  });
  const loaded = phases.filter((p) => p.withPgarchitect);
  const locks = loaded.reduce((sum, p) => addTallies(sum, p.locks), emptyTally());
  const quietLocks = phases.filter((p) => !p.withPgarchitect).reduce((sum, p) => addTallies(sum, p.locks), emptyTally());
  const log = phases.map((p) => p.log).reduce(addLogFacts);
  const healthMs = median(quiet.find((q) => q.command === 'health')!.runs.map((r) => r.wallMs));
  const planMs = median(quiet.find((q) => q.command === 'maintenance plan')!.runs.map((r) => r.wallMs));
  const caused = locks.waitsCausedByPgarchitect + log.longWaitsCausedByPgarchitect;
  const suffered = locks.waitsOfPgarchitect + log.longWaitsOfPgarchitect + log.lockTimeoutsOfPgarchitect;
  const healthRuns = loaded.flatMap((p) => p.runs.filter((r) => r.command === 'health'));
  const catalogTimeouts = healthRuns.filter((r) => !isFailure(r.run) && healthOutcome(r.run.stdout).catalogLockTimeout).length;

  const rows = [
    ['pgbench TPS, median of the phases', without.toFixed(1), withIt.toFixed(1), '', ''],
    ['TPS drop', '', percent(drop), `≤ ${percent(TARGET_TPS_DROP)}`, pass(drop <= TARGET_TPS_DROP)],
    ['  drop in each A-B pair', '', pairDrops.map(percent).join(', '), '', ''],
    ['lock waits caused by pgarchitect (sampled)', '', count(locks.waitsCausedByPgarchitect), 'none', ''],
    ['lock waits of pgarchitect sessions (sampled)', '', count(locks.waitsOfPgarchitect), 'none', ''],
    ['waits ≥ 1 s caused / of pgarchitect (server log)', `${log.longWaitsCausedByPgarchitect} / ${log.longWaitsOfPgarchitect}`, '', 'none', ''],
    ['lock timeouts of pgarchitect (server log)', '', count(log.lockTimeoutsOfPgarchitect), 'none', ''],
    ['health runs whose catalog read hit lock_timeout', '', `${catalogTimeouts} of ${healthRuns.length}`, 'none', ''],
    ['lock waits, all told', '', count(caused + suffered), 'none', pass(caused + suffered === 0 && catalogTimeouts === 0)],
    ['  other sessions waiting on each other (pgbench)', count(quietLocks.otherWaits), count(locks.otherWaits), '', ''],
    ['  samples (with a pgarchitect session in them)', count(quietLocks.samples), `${count(locks.samples)} (${count(locks.samplesWithPgarchitect)})`, '', ''],
    ['  pgarchitect sessions seen: sampler / log_connections', '', `${count(locks.pgarchitectSessions)} / ${count(log.pgarchitectConnections)}`, '', ''],
    [
      'samples where pgarchitect held a snapshot (xmin)',
      '',
      `${percent(locks.samplesWithPgarchitectSnapshot / Math.max(1, locks.samples))}, up to ${count(locks.maxPgarchitectXminAge)} xids old`,
      '',
      '',
    ],
    ['health, quiet server (median)', ms(healthMs), '', `< ${ms(TARGET_HEALTH_MS)}`, pass(healthMs < TARGET_HEALTH_MS)],
    ['maintenance plan, quiet server (median)', ms(planMs), '', '', ''],
  ];
  console.log(`\nSummary over ${pairs} pairs of phases (A B, B A, ...):\n`);
  console.log(textTable(['', 'without pgarchitect', 'with pgarchitect', 'target', ''], rows));
  for (const example of locks.examples) {
    console.log(
      `  wait: ${example.waiterApp || '(no name)'} "${example.waiterQuery}" waits for a ${example.lock} lock held by ` +
        `${example.blockerApps.join(', ')} "${example.blockerQuery}"`,
    );
  }
  if (log.otherErrorsOfPgarchitect > 0) console.log(`  ${log.otherErrorsOfPgarchitect} other ERROR lines of pgarchitect sessions in the server log`);
  console.log('');
  console.log(`${pass(drop <= TARGET_TPS_DROP)}  TPS drop ${percent(drop)} (target ≤ ${percent(TARGET_TPS_DROP)})`);
  console.log(`${pass(caused + suffered === 0 && catalogTimeouts === 0)}  lock waits caused ${caused}, suffered ${suffered} (target none)`);
  console.log(`${pass(healthMs < TARGET_HEALTH_MS)}  health ${ms(healthMs)} on the quiet server (target < ${ms(TARGET_HEALTH_MS)})`);
  if (locks.pgarchitectSessions === 0 && log.pgarchitectConnections === 0) {
    console.log('WARNING: no pgarchitect session was seen during the B phases: the lock figures examined nothing');
    return false;
  }
  return true;
}

const healthUnderLoad: Benchmark = {
  name: 'health-under-load',
  description: 'pgbench TPS with and without health + maintenance plan running, the lock waits they cause, health time at 1,000 tables',
  options: {
    tables: { default: '1000', description: 'tables in the database besides pgbench\'s (the health time target is at 1,000)' },
    scale: { default: '10', description: 'pgbench -i scale (10: 1,000,000 accounts, about 150 MB)' },
    seconds: { default: '20', description: 'pgbench -T of each phase' },
    pairs: { default: '3', description: 'pairs of phases without (A) and with (B) pgarchitect, run A B, B A, A B, ...; medians are over them' },
    runs: { default: '5', description: 'timed runs of health and of maintenance plan on the quiet server (each a fresh process); the median is shown' },
    clients: { default: '8', description: 'pgbench -c' },
    threads: { default: '2', description: 'pgbench -j' },
    'sample-ms': { default: '100', description: 'interval of the lock sampler (pg_stat_activity + pg_blocking_pids)' },
    'pause-ms': { default: String(DEFAULT_PAUSE_MS), description: 'pause between two pgarchitect runs in the B phases (0: back to back, the worst case)' },
    nice: { default: '0', description: 'run pgarchitect under nice -n <this> in the B phases, to tell its own CPU from its cost to the server' },
    'warm-up': { default: '5', description: 'seconds of pgbench before measuring (caches, pg_stat_statements)' },
  },
  async run(rawOptions) {
    const options = parseOptions(rawOptions);
    const cores = availableParallelism();
    const buildNote = checkBuiltCli();
    const setupStart = performance.now();
    const server = await startBenchServer({
      shared_preload_libraries: 'pg_stat_statements',
      max_connections: '100',
      ...LOCK_LOG_SETTINGS,
    });
    const workDir = mkdtempSync(join(tmpdir(), 'pgarchitect-bench-health-'));
    try {
      pgbenchPath(server);
      const version = `${Math.floor(server.versionNum / 10_000)}.${server.versionNum % 100}`;
      console.log(
        `PostgreSQL ${version}, throwaway server (fsync off, autovacuum off, pg_stat_statements preloaded, max_connections 100, ` +
          `log_lock_waits on); ${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
      );
      if (buildNote) console.log(buildNote);
      console.log('Building the database (not timed)...');
      console.log(`  ${await buildDatabase(server, options)}`);
      if (options.warmUpSeconds > 0) await runPgbench(server, DATABASE, { ...options.load, seconds: options.warmUpSeconds });
      console.log(`  set-up took ${ms(performance.now() - setupStart)}; measuring...\n`);

      const env = { DATABASE_URL: server.url(DATABASE), NO_COLOR: '1' };
      const quiet = await timeQuiet(server, env, workDir, options.runs);
      printQuiet(quiet, options.runs);

      const phases: Phase[] = [];
      // A B, B A, A B, ...: a drift of the machine during the run (other processes, caches) falls on both.
      for (let pair = 0; pair < options.pairs; pair++) {
        for (const withPgarchitect of pair % 2 ? [true, false] : [false, true]) phases.push(await runPhase(server, options, withPgarchitect, env, workDir));
      }
      printPhases(phases, options, cores);
      const sawPgarchitect = printSummary(phases, quiet);

      const failures = phases.flatMap((p) => p.runs.filter((r) => isFailure(r.run)));
      for (const f of failures.slice(0, 5)) console.log(`FAILED under load: ${failureLine(f.command, f.run)}`);
      if (failures.length > 0) throw new Error(`${failures.length} pgarchitect run(s) failed under load (see above)`);
      if (!sawPgarchitect) throw new Error('the lock sampler never saw a pgarchitect session');
    } finally {
      server.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};

export default healthUnderLoad;
