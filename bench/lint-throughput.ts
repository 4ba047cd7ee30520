/**
 * Statements per second of our parse-and-lint against squawk, like with like: the same generated file
 * of N statements (lint-throughput-corpus.ts), JSON output from both, and the whole process timed as a
 * user runs it (start-up, loading the parser, reading, linting, printing, exit). Peak memory is GNU
 * time's maximum resident set.
 *
 * Until the built CLI has a `lint` command (`node dist/cli/bin.js lint --help` succeeds and prints the
 * lint usage), "ours" is a STAND-IN (lint-throughput-standin.ts: libpg-query parse of the whole file and
 * a walk over every statement's tree), labelled as such in the output; the switch is automatic.
 *
 * Ours runs as a user gets it: with the default threads (a large input is shared with worker threads,
 * src/lint/parallel-lint.ts), and again on one thread (PGARCHITECT_THREADS=1); the output shows the
 * thread count and whether the corpus was large enough for a worker.
 *
 * Beside them, a fresh process that only loads libpg-query, reads the file and parses it in one call with
 * V8's default tiering: the ceiling of a lint that parses that way. Ours no longer does (it parses in
 * chunks, its parser compiled by V8's baseline compiler only: src/lint/lint-engine.ts,
 * src/lint/parser-baseline-compile.ts), and can be faster than this row.
 * And in-process, without start-up: libpg-query parse only, the first call (cold, as a CLI run gets it)
 * and warm, whole file and one statement per call; and src/sql's splitStatementsSync, which the SQL file
 * loader uses today.
 *
 * Target (issue 3): at least 20,000 statements/s for our parse-and-lint. A miss is reported, not failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadModule, parseSync } from 'libpg-query';
import ts from 'typescript';
import { PARALLEL_MIN_LENGTH, threadCount } from '../src/lint/lint-threads.js';
import { splitStatementsSync } from '../src/sql/split-statements.js';
import { GNU_TIME, median, repoRoot, runProcess, squawkRequire, type ProcessRun } from './whole-process.js';
import { BenchUsageError, type Benchmark } from './benchmark.js';
import { generateCorpus, type Corpus } from './lint-throughput-corpus.js';
import { count, megabytesFromKiB, ms, ratio, textTable } from './text-table.js';

const TARGET_STATEMENTS_PER_SECOND = 20_000;

const builtCli = join(repoRoot, 'dist/cli/bin.js');
const installedCli = join(repoRoot, 'bin/pgarchitect.js');
const standinSource = fileURLToPath(new URL('./lint-throughput-standin.ts', import.meta.url));

/** One way of linting the corpus in a fresh process. */
interface Contender {
  label: string;
  command: string[];
  /** Environment variables set for the run (beside the bench's own environment). */
  env?: Record<string, string>;
  /** Exit codes that mean "ran, maybe with findings". */
  okStatus: readonly number[];
  /** Findings in the JSON on stdout (throws when it is not JSON). */
  countFindings(stdout: string): number;
  /** Statements the tool could not parse, when its JSON says so. */
  countSyntaxErrors?(stdout: string): number;
}


/** True when the built CLI has a `lint` command (commander prints the top-level help, exit 0, for an unknown one). */
function realLintAvailable(): boolean {
  if (!existsSync(builtCli)) return false;
  const child = spawnSync(process.execPath, [builtCli, 'lint', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  return child.status === 0 && /^Usage: pgarchitect lint\b/m.test(child.stdout);
}

/**
 * The stand-in as plain JavaScript, next to node_modules so `libpg-query` resolves: the real CLI runs
 * compiled code, and `node --import tsx` would add start-up the real command does not have.
 */
function buildStandin(): string {
  const out = ts.transpileModule(readFileSync(standinSource, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    fileName: 'lint-throughput-standin.ts',
  });
  const dir = join(repoRoot, 'node_modules/.cache/pgarchitect-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lint-throughput-standin.mjs');
  writeFileSync(file, out.outputText);
  return file;
}

function findingsOf(stdout: string): number {
  const json = JSON.parse(stdout) as unknown;
  if (Array.isArray(json)) return json.length;
  const findings = (json as { findings?: unknown }).findings;
  if (Array.isArray(findings)) return findings.length;
  return Number.NaN;
}

/** squawk reports a statement it cannot parse as a finding with rule_name `syntax-error`. */
function squawkSyntaxErrors(stdout: string): number {
  return (JSON.parse(stdout) as { rule_name?: string }[]).filter((f) => f.rule_name === 'syntax-error').length;
}

/** The stand-in's JSON: findings, and the statement count, which must be the corpus's. */
function standinFindings(expectedStatements: number): (stdout: string) => number {
  return (stdout) => {
    const json = JSON.parse(stdout) as { statements: number; findings: unknown[] };
    if (json.statements !== expectedStatements) throw new Error(`parsed ${json.statements} statements, expected ${expectedStatements}`);
    return json.findings.length;
  };
}

/**
 * Ours (the real command with its default threads, and on one thread; or the stand-in) and the
 * parse-only ceiling, each in a fresh process.
 */
function ourContenders(file: string, statements: number): { ours: Contender[]; ceiling: Contender; real: boolean } {
  const standin = buildStandin();
  const ceiling: Contender = {
    label: 'libpg-query parse only (whole file, one call)',
    command: [process.execPath, standin, file, '--parse-only'],
    okStatus: [0],
    countFindings: standinFindings(statements),
  };
  if (realLintAvailable()) {
    const command = [process.execPath, installedCli, 'lint', file, '--format', 'json'];
    // The thread count as the command works it out, without an inherited PGARCHITECT_THREADS.
    const threads = threadCount(undefined, {});
    const ours: Contender[] = [
      { label: `pgarchitect lint (${threads} thread${threads === 1 ? '' : 's'})`, command, env: { PGARCHITECT_THREADS: String(threads) }, okStatus: [0, 1], countFindings: findingsOf },
      { label: 'pgarchitect lint (1 thread)', command, env: { PGARCHITECT_THREADS: '1' }, okStatus: [0, 1], countFindings: findingsOf },
    ];
    if (threads === 1) ours.pop();
    return { ours, ceiling, real: true };
  }
  const ours: Contender = {
    label: 'STAND-IN for pgarchitect lint',
    command: [process.execPath, standin, file],
    okStatus: [0],
    countFindings: standinFindings(statements),
  };
  return { ours: [ours], ceiling, real: false };
}

/**
 * squawk is installed for the benchmark only, into a cache folder, not as a devDependency: its npm
 * package lists a native package per platform as optional dependencies, and a lock file made here
 * cannot record the ones for other platforms, so `npm ci` would refuse the lock.
 */

function squawkVersion(): string {
  return (squawkRequire()('squawk-cli/package.json') as { version: string }).version;
}

/** squawk as npm installs it (a node launcher that spawns the native binary), and the binary alone. */
function squawkContenders(file: string): Contender[] {
  const version = squawkVersion();
  const launcher = squawkRequire().resolve('squawk-cli/js/bin/squawk');
  const contenders: Contender[] = [
    {
      label: `squawk ${version} (npm: node launcher + binary)`,
      command: [process.execPath, launcher, '--reporter', 'json', file],
      okStatus: [0, 1],
      countFindings: findingsOf,
      countSyntaxErrors: squawkSyntaxErrors,
    },
  ];
  try {
    const binary = squawkRequire().resolve(`@squawk-cli/${process.platform}-${process.arch}/bin/squawk`);
    contenders.push({
      label: `squawk ${version} (binary alone)`,
      command: [binary, '--reporter', 'json', file],
      okStatus: [0, 1],
      countFindings: findingsOf,
      countSyntaxErrors: squawkSyntaxErrors,
    });
  } catch {
    // No native package for this platform: the launcher row says so when it fails.
  }
  return contenders;
}


/** Median time of `runs` calls of `work` (after one warm-up call), ms. */
function timeInProcess(runs: number, work: () => void): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** How many threads the command lints the corpus with, and why. */
function threadsNote(corpus: Corpus): string {
  const threads = threadCount(undefined, {});
  const length = corpus.sql.length;
  const kib = (n: number): string => `${count(Math.round(n / 1024))} KiB`;
  if (threads === 1) return 'Threads: 1 (this machine has one core available).';
  if (length < PARALLEL_MIN_LENGTH) return `Threads: 1 of ${threads}: the corpus (${kib(length)}) is below the ${kib(PARALLEL_MIN_LENGTH)} for which lint starts a worker.`;
  const workers = Math.min(threads - 1, Math.floor(length / PARALLEL_MIN_LENGTH));
  return `Threads: up to ${workers + 1} (${threads} by default here, one worker per ${kib(PARALLEL_MIN_LENGTH)} of SQL; the corpus is ${kib(length)}).`;
}

interface Options {
  statements: number;
  runs: number;
  seed: number;
}

function parseOptions(options: Record<string, string>): Options {
  const statements = Number(options.statements);
  if (!Number.isInteger(statements) || statements < 10 || statements > 1_000_000) {
    throw new BenchUsageError(`--statements must be an integer between 10 and 1000000 (got "${options.statements}")`);
  }
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new BenchUsageError(`--runs must be a positive integer (got "${options.runs}")`);
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new BenchUsageError(`--seed must be an integer (got "${options.seed}")`);
  return { statements, runs, seed };
}

function printCorpus(corpus: Corpus, file: string): void {
  const bytes = Buffer.byteLength(corpus.sql);
  const lines = corpus.sql.split('\n').length;
  console.log(
    `Corpus: ${count(corpus.statements)} statements, ${(bytes / 1024 / 1024).toFixed(2)} MB, ${count(lines)} lines, ` +
      `${count(corpus.flagged)} (${((100 * corpus.flagged) / corpus.statements).toFixed(0)}%) with a query anti-pattern; ${file}`,
  );
  const groups = new Map<string, number>();
  for (const [kind, n] of corpus.kinds) groups.set(kind.split(':')[0]!, (groups.get(kind.split(':')[0]!) ?? 0) + n);
  console.log(`  ${[...groups].map(([group, n]) => `${group} ${count(n)}`).join(', ')}`);
  console.log(`  ${[...corpus.kinds].map(([kind, n]) => `${kind} ${count(n)}`).join('; ')}\n`);
}

interface Result {
  contender: Contender;
  runs: ProcessRun[];
  findings: number;
  /** NaN when the tool's JSON does not say (ours fails on a syntax error instead). */
  syntaxErrors: number;
}

function checkRun(contender: Contender, run: ProcessRun): number {
  if (!contender.okStatus.includes(run.status)) {
    const why = run.stderr.trim().split('\n').slice(0, 3).join(' / ') || `exit ${run.status}`;
    throw new Error(`${contender.label} failed (exit ${run.status}): ${why}`);
  }
  try {
    return contender.countFindings(run.stdout);
  } catch {
    throw new Error(`${contender.label} did not print JSON on stdout (first bytes: ${JSON.stringify(run.stdout.slice(0, 120))})`);
  }
}

function printProcesses(results: Result[], statements: number, runs: number, real: boolean): void {
  const ours = results[0]!;
  const squawk = results.find((r) => r.contender.countSyntaxErrors)!;
  const wall = (r: Result): number => median(r.runs.map((x) => x.wallMs));
  const rate = (r: Result): number => (statements * 1000) / wall(r);
  const rss = (r: Result): number => median(r.runs.map((x) => x.maxRssKiB));
  const cpu = (r: Result): number => median(r.runs.map((x) => x.cpuMs));
  const row = (label: string, pick: (r: Result) => number, show: (n: number) => string, compare = true): string[] => [
    label,
    ...results.map((r) => (Number.isNaN(pick(r)) ? '-' : show(pick(r)))),
    compare ? ratio(pick(ours), pick(squawk)) : '',
  ];
  const rows = [
    row('statements/s', rate, count),
    row('wall time (whole process)', wall, ms),
    row('CPU time (user + system)', cpu, ms),
    row('peak RSS (largest process)', rss, megabytesFromKiB),
    row('findings in the JSON', (r) => r.findings, count, false),
    row('  of which syntax errors', (r) => r.syntaxErrors, count, false),
  ];
  console.log(
    `Whole process, median of ${runs} run${runs === 1 ? '' : 's'} each (after a warm-up), contenders interleaved; ` +
      `the same file, JSON on stdout from each.\n`,
  );
  const header = ['', ...results.map((r) => r.contender.label), `${real ? 'ours' : 'stand-in'} ÷ squawk (npm)`];
  console.log(textTable(header, rows));
  console.log(
    '\nPeak RSS is the largest single process (getrusage): the npm squawk runs a node launcher (about 40 MB) beside the\n' +
      'binary, so its whole tree holds roughly that much more. The findings differ by design: squawk lints migrations\n' +
      '(locks, DDL safety), ours lints queries; the work compared is parsing and checking every statement.',
  );
  const ourRate = rate(ours);
  const pass = ourRate >= TARGET_STATEMENTS_PER_SECOND;
  console.log(
    `\nTarget: ≥ ${count(TARGET_STATEMENTS_PER_SECOND)} statements/s for our parse-and-lint (whole process): ` +
      `${count(ourRate)} statements/s → ${pass ? 'PASS' : 'MISS'}${real ? '' : '  [measured on the STAND-IN, not the real lint command]'}`,
  );
}

/** The stand-in reports its phases on stderr; shows where its time goes. */
function printStandinPhases(result: Result): void {
  type Phases = { startupMs: number; loadMs: number; readMs: number; parseMs: number; walkMs: number; outputMs: number; nodes: number };
  const phases = result.runs.map((r) => JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as Phases);
  const med = (pick: (p: Phases) => number): number => median(phases.map(pick));
  const inside = med((p) => p.startupMs + p.loadMs + p.readMs + p.parseMs + p.walkMs + p.outputMs);
  const rows = [
    ['node start-up + imports', ms(med((p) => p.startupMs))],
    ['libpg-query WASM load', ms(med((p) => p.loadMs))],
    ['read file', ms(med((p) => p.readMs))],
    ['parse whole file (parseSync, incl. JSON.parse of the tree)', ms(med((p) => p.parseMs))],
    [`walk every node (${count(med((p) => p.nodes))} nodes) + 4 checks + line:column`, ms(med((p) => p.walkMs))],
    ['JSON to stdout', ms(med((p) => p.outputMs))],
    ['exit + process spawn (wall time − the above)', ms(median(result.runs.map((r) => r.wallMs)) - inside)],
  ];
  console.log('\nWhere the stand-in spends its time (median):\n');
  console.log(textTable(['phase', 'time'], rows));
}

async function printInProcess(corpus: Corpus, runs: number): Promise<void> {
  const loadStart = performance.now();
  await loadModule();
  const loadMs = performance.now() - loadStart;
  const coldStart = performance.now();
  const whole = parseSync(corpus.sql);
  const coldMs = performance.now() - coldStart;
  const bytes = Buffer.from(corpus.sql, 'utf8');
  const texts = (whole.stmts ?? []).map((s) => bytes.subarray(s.stmt_location ?? 0, (s.stmt_location ?? 0) + (s.stmt_len || bytes.length)).toString('utf8'));
  const tenth = corpus.sql.split(';\n').slice(0, Math.ceil(corpus.statements / 10)).join(';\n') + ';\n';
  const tenthCount = Math.ceil(corpus.statements / 10);

  const wholeMs = timeInProcess(runs, () => void parseSync(corpus.sql));
  const oneByOneMs = timeInProcess(runs, () => {
    for (const text of texts) parseSync(text);
  });
  const splitTenthMs = timeInProcess(1, () => void splitStatementsSync(tenth));
  const splitWholeStart = performance.now();
  splitStatementsSync(corpus.sql);
  const splitWholeMs = performance.now() - splitWholeStart;

  const rate = (n: number, time: number): string => count((n * 1000) / time);
  const rows = [
    ['libpg-query parseSync, whole file, first call (cold)', count(corpus.statements), ms(coldMs), rate(corpus.statements, coldMs)],
    ['libpg-query parseSync, whole file in one call (warm)', count(corpus.statements), ms(wholeMs), rate(corpus.statements, wholeMs)],
    ['libpg-query parseSync, one statement per call (warm)', count(texts.length), ms(oneByOneMs), rate(texts.length, oneByOneMs)],
    ['src/sql splitStatementsSync (the SQL file loader), first tenth', count(tenthCount), ms(splitTenthMs), rate(tenthCount, splitTenthMs)],
    ['src/sql splitStatementsSync (the SQL file loader), whole file', count(corpus.statements), ms(splitWholeMs), rate(corpus.statements, splitWholeMs)],
  ];
  console.log(
    `\nIn-process, no start-up (libpg-query WASM load ${ms(loadMs)} not included), parse only. Cold: the first parse in this\n` +
      `process, as a CLI run gets it; warm: median of ${runs} after a warm-up; splitStatementsSync: one run each.\n`,
  );
  console.log(textTable(['', 'statements', 'time', 'statements/s'], rows));
  const growth = splitWholeMs / splitTenthMs;
  if (growth > 10 * 1.5) {
    console.log(
      `\nsplitStatementsSync grows ${growth.toFixed(0)}× for 10× the statements (not linear): a lint that reads files through it\n` +
        'cannot reach the target on large files.',
    );
  }
}

const lintThroughput: Benchmark = {
  name: 'lint-throughput',
  description: 'statements/s of our parse-and-lint vs squawk on one generated SQL file, whole process, JSON output',
  options: {
    statements: { default: '10000', description: 'statements in the generated corpus' },
    runs: { default: '5', description: 'measured runs per contender (each a fresh process); the median is shown' },
    seed: { default: '20240601', description: 'seed of the corpus generator (same seed, same file)' },
  },
  async run(rawOptions) {
    const options = parseOptions(rawOptions);
    const workDir = mkdtempSync(join(tmpdir(), 'pgarchitect-lint-bench-'));
    try {
      const corpus = generateCorpus(options.statements, options.seed);
      const file = join(workDir, 'corpus.sql');
      writeFileSync(file, corpus.sql);
      printCorpus(corpus, file);

      const { ours, ceiling, real } = ourContenders(file, corpus.statements);
      console.log(
        real
          ? `Ours: the real command, ${ours[0]!.command.slice(1).map((a) => a.replace(repoRoot, '')).join(' ')}\n` +
              threadsNote(corpus)
          : 'Ours: STAND-IN (dist/cli/bin.js has no `lint` command yet): libpg-query parse of the whole file + a walk over every\n' +
              "statement's tree + 4 trivial checks + JSON, run as plain JavaScript with node (bench/lint-throughput-standin.ts).\n" +
              'It switches to `pgarchitect lint <file> --format json` by itself once `node dist/cli/bin.js lint --help` works.',
      );
      if (!existsSync(GNU_TIME)) console.log(`(${GNU_TIME} not found: no peak RSS or CPU time)`);
      console.log('');

      const results: Result[] = [...ours, ceiling, ...squawkContenders(file)].map((contender) => ({ contender, runs: [], findings: 0, syntaxErrors: Number.NaN }));
      for (const result of results) {
        const warmUp = runProcess(result.contender.command, workDir, result.contender.env);
        result.findings = checkRun(result.contender, warmUp);
        result.syntaxErrors = result.contender.countSyntaxErrors?.(warmUp.stdout) ?? Number.NaN;
      }
      for (let i = 0; i < options.runs; i++) {
        for (const result of results) {
          const run = runProcess(result.contender.command, workDir, result.contender.env);
          checkRun(result.contender, run);
          result.runs.push(run);
        }
      }
      printProcesses(results, corpus.statements, options.runs, real);
      if (!real) printStandinPhases(results[0]!);
      await printInProcess(corpus, options.runs);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};

export default lintThroughput;
