/**
 * Statements per second of our migration lint against squawk, like with like: the same generated
 * folder of migration files (migration-lint-corpus.ts), JSON output from both, and the whole process
 * timed as a user runs it (start-up, loading the parser, reading the files, linting, printing, exit).
 * Peak memory is GNU time's maximum resident set.
 *
 * Ours is the built command, `node dist/cli/bin.js lint <folder> --format json`, with its default
 * threads and again on one thread (PGARCHITECT_THREADS=1). What it measures depends on the build: the
 * output says whether dist's lint runs the migration rules (`pgarchitect rules --format json` lists
 * them for `lint`), or only the query rules. Build first (`npm run build`).
 *
 * squawk is installed for the benchmark only (the same way and version as lint-throughput's), into
 * node_modules/.cache/pgarchitect-bench/squawk, and run on the same files through the npm launcher and
 * as the bare binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import { threadCount } from '../src/lint/lint-threads.js';
import { migrationRules } from '../src/rules/migration/index.js';
import { GNU_TIME, median, repoRoot, runProcess, squawkRequire, type ProcessRun } from './whole-process.js';
import { BenchUsageError, type Benchmark } from './benchmark.js';
import { generateMigrationCorpus, type MigrationCorpus } from './migration-lint-corpus.js';
import { count, megabytesFromKiB, ms, ratio, textTable } from './text-table.js';


const builtCli = join(repoRoot, 'dist/cli/bin.js');
const MIGRATION_RULE_IDS = new Set(migrationRules.map((r) => r.meta.id));

/** One way of linting the corpus in a fresh process. */
interface Contender {
  label: string;
  command: string[];
  env?: Record<string, string>;
  /** Exit codes that mean "ran, maybe with findings". */
  okStatus: readonly number[];
  /** Each finding's rule, from the JSON on stdout (throws when it is not JSON). */
  rulesOf(stdout: string): string[];
  /** Statements the tool says it linted, when its JSON says so. */
  statementsOf?(stdout: string): number;
  ours: boolean;
}


/** The built CLI's lint command, or why it cannot be measured. */
function builtLint(): string | null {
  if (!existsSync(builtCli)) return 'dist/cli/bin.js does not exist';
  const child = spawnSync(process.execPath, [builtCli, 'lint', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  return child.status === 0 && /^Usage: pgarchitect lint\b/m.test(child.stdout) ? null : 'dist/cli/bin.js has no lint command';
}

/** The migration rules the built CLI's lint runs (from `rules --format json`). */
function activeMigrationRules(): string[] {
  const child = spawnSync(process.execPath, [builtCli, 'rules', '--format', 'json'], { cwd: repoRoot, encoding: 'utf8' });
  if (child.status !== 0) return [];
  try {
    const rules = JSON.parse(child.stdout) as { id: string; command?: string }[];
    return rules.filter((r) => MIGRATION_RULE_IDS.has(r.id) && (r.command === undefined || r.command === 'lint')).map((r) => r.id);
  } catch {
    return [];
  }
}


function ourContenders(folder: string): Contender[] {
  const command = [process.execPath, builtCli, 'lint', folder, '--format', 'json'];
  const rulesOf = (stdout: string): string[] => (JSON.parse(stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
  const statementsOf = (stdout: string): number => (JSON.parse(stdout) as { summary: { statements: number } }).summary.statements;
  const threads = threadCount(undefined, {});
  const contenders: Contender[] = [
    { label: `pgarchitect lint (${threads} thread${threads === 1 ? '' : 's'})`, command, env: { PGARCHITECT_THREADS: String(threads) }, okStatus: [0, 1], rulesOf, statementsOf, ours: true },
    { label: 'pgarchitect lint (1 thread)', command, env: { PGARCHITECT_THREADS: '1' }, okStatus: [0, 1], rulesOf, statementsOf, ours: true },
  ];
  return threads === 1 ? contenders.slice(1) : contenders;
}

function squawkContenders(folder: string): Contender[] {
  const version = (squawkRequire()('squawk-cli/package.json') as { version: string }).version;
  const launcher = squawkRequire().resolve('squawk-cli/js/bin/squawk');
  // A pattern rather than every file name: the command line stays short whatever the corpus size.
  const files = join(folder, '*.sql');
  const rulesOf = (stdout: string): string[] => (JSON.parse(stdout) as { rule_name: string }[]).map((f) => f.rule_name);
  const contenders: Contender[] = [{ label: `squawk ${version} (npm: node launcher + binary)`, command: [process.execPath, launcher, '--reporter', 'json', files], okStatus: [0, 1], rulesOf, ours: false }];
  try {
    const binary = squawkRequire().resolve(`@squawk-cli/${process.platform}-${process.arch}/bin/squawk`);
    contenders.push({ label: `squawk ${version} (binary alone)`, command: [binary, '--reporter', 'json', files], okStatus: [0, 1], rulesOf, ours: false });
  } catch {
    // No native package for this platform: the launcher row says so when it fails.
  }
  return contenders;
}


interface Result {
  contender: Contender;
  runs: ProcessRun[];
  rules: string[];
  statements: number;
}

function checkRun(contender: Contender, run: ProcessRun): string[] {
  if (!contender.okStatus.includes(run.status)) {
    const why = run.stderr.trim().split('\n').slice(0, 3).join(' / ') || `exit ${run.status}`;
    throw new Error(`${contender.label} failed (exit ${run.status}): ${why}`);
  }
  try {
    return contender.rulesOf(run.stdout);
  } catch {
    throw new Error(`${contender.label} did not print JSON on stdout (first bytes: ${JSON.stringify(run.stdout.slice(0, 120))})`);
  }
}

/** Writes the corpus and checks that PostgreSQL's parser reads every file (a generator bug is not a benchmark figure). */
async function writeCorpus(corpus: MigrationCorpus, folder: string): Promise<number> {
  await loadModule();
  mkdirSync(folder, { recursive: true });
  let bytes = 0;
  for (const file of corpus.files) {
    const parsed = parseSync(file.sql).stmts?.length ?? 0;
    if (parsed !== file.statements) throw new Error(`${file.name}: the parser reads ${parsed} statements, the generator wrote ${file.statements}`);
    writeFileSync(join(folder, file.name), file.sql);
    bytes += Buffer.byteLength(file.sql);
  }
  return bytes;
}

function parseOptions(options: Record<string, string>): { files: number; runs: number; seed: number } {
  const files = Number(options.files);
  if (!Number.isInteger(files) || files < 1) throw new BenchUsageError(`--files must be a positive integer (got "${options.files}")`);
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new BenchUsageError(`--runs must be a positive integer (got "${options.runs}")`);
  const seed = Number(options.seed);
  if (!Number.isInteger(seed)) throw new BenchUsageError(`--seed must be an integer (got "${options.seed}")`);
  return { files, runs, seed };
}

function printCorpus(corpus: MigrationCorpus, bytes: number, folder: string): void {
  console.log(
    `Corpus: ${count(corpus.files.length)} migration files, ${count(corpus.statements)} statements, ${(bytes / 1024 / 1024).toFixed(2)} MB; ` +
      `${count(corpus.flagged)} (${((100 * corpus.flagged) / corpus.statements).toFixed(0)}%) of the kinds a migration linter should report; ${folder}`,
  );
  console.log(`  ${[...corpus.kinds].map(([kind, n]) => `${kind} ${count(n)}`).join('; ')}\n`);
}

function printResults(results: Result[], corpus: MigrationCorpus, runs: number): void {
  const ours = results.find((r) => r.contender.ours)!;
  const squawk = results.find((r) => !r.contender.ours)!;
  const wall = (r: Result): number => median(r.runs.map((x) => x.wallMs));
  const rate = (r: Result): number => (corpus.statements * 1000) / wall(r);
  const cpu = (r: Result): number => median(r.runs.map((x) => x.cpuMs));
  const rss = (r: Result): number => median(r.runs.map((x) => x.maxRssKiB));
  const migrationFindings = (r: Result): number => (r.contender.ours ? r.rules.filter((id) => MIGRATION_RULE_IDS.has(id)).length : r.rules.filter((id) => id !== 'syntax-error').length);
  const row = (label: string, pick: (r: Result) => number, show: (n: number) => string, compare = true): string[] => [
    label,
    ...results.map((r) => (Number.isNaN(pick(r)) ? '-' : show(pick(r)))),
    compare ? ratio(pick(ours), pick(squawk)) : '',
  ];
  console.log(`Whole process, median of ${runs} run${runs === 1 ? '' : 's'} each (after a warm-up), contenders interleaved; the same files, JSON on stdout from each.\n`);
  console.log(
    textTable(
      ['', ...results.map((r) => r.contender.label), 'ours ÷ squawk (npm)'],
      [
        row('statements/s', rate, count),
        row('wall time (whole process)', wall, ms),
        row('CPU time (user + system)', cpu, ms),
        row('peak RSS (largest process)', rss, megabytesFromKiB),
        row('findings in the JSON', (r) => r.rules.length, count, false),
        row('  of migration rules (ours) / not syntax errors (squawk)', migrationFindings, count, false),
        row('  syntax errors', (r) => r.rules.filter((id) => id === 'syntax-error').length, count, false),
      ],
    ),
  );
  const counted = ours.statements;
  if (counted !== corpus.statements) console.log(`\nNote: our JSON counts ${count(counted)} statements; the corpus has ${count(corpus.statements)}.`);
  console.log('\nFindings per rule (warm-up run):\n');
  const tally = (rules: string[]): [string, number][] => [...rules.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]);
  const left = tally(ours.rules).map(([id, n]) => `${id} ${count(n)}`);
  const right = tally(squawk.rules).map(([id, n]) => `${id} ${count(n)}`);
  const lines = Array.from({ length: Math.max(left.length, right.length) }, (_, i) => [left[i] ?? '', right[i] ?? '']);
  console.log(textTable(['pgarchitect lint', 'squawk'], lines));
  console.log(
    '\nThe rule sets differ: squawk also reports style choices that are not errors here (prefer-robust-stmts: IF NOT EXISTS;\n' +
      'prefer-bigint-over-int, prefer-text-field); ours reports the review\'s type rules on new columns and query rules\n' +
      '(update-without-where). Peak RSS is the largest single process: the npm squawk runs a node launcher beside the binary.',
  );
}

const migrationLint: Benchmark = {
  name: 'migration-lint',
  description: 'statements/s of our migration lint vs squawk on one generated folder of migrations, whole process, JSON output',
  options: {
    files: { default: '2000', description: 'migration files in the generated corpus (1 to 6 groups of statements each)' },
    runs: { default: '5', description: 'measured runs per contender (each a fresh process); the median is shown' },
    seed: { default: '20240601', description: 'seed of the corpus generator (same seed, same files)' },
  },
  async run(rawOptions) {
    const options = parseOptions(rawOptions);
    const missing = builtLint();
    if (missing) throw new Error(`${missing}: build it first (npm run build)`);
    const workDir = mkdtempSync(join(tmpdir(), 'pgarchitect-migration-bench-'));
    try {
      const corpus = generateMigrationCorpus(options.files, options.seed);
      const folder = join(workDir, 'migrations');
      printCorpus(corpus, await writeCorpus(corpus, folder), folder);

      const active = activeMigrationRules();
      console.log(
        active.length === MIGRATION_RULE_IDS.size
          ? `Ours: node dist/cli/bin.js lint <folder> --format json, with the ${active.length} migration rules active (and the query rules).`
          : active.length > 0
            ? `Ours: node dist/cli/bin.js lint <folder> --format json, with ${active.length} of the ${MIGRATION_RULE_IDS.size} migration rules active (dist may be older than src: npm run build).`
            : 'Ours: node dist/cli/bin.js lint <folder> --format json — MIGRATION RULES NOT ACTIVE: the built lint runs the query rules only\n' +
              '(`pgarchitect rules --format json` lists no migration rule for lint). The figures measure parsing and the query rules.',
      );
      if (!existsSync(GNU_TIME)) console.log(`(${GNU_TIME} not found: no peak RSS or CPU time)`);
      console.log('');

      const results: Result[] = [...ourContenders(folder), ...squawkContenders(folder)].map((contender) => ({ contender, runs: [], rules: [], statements: Number.NaN }));
      for (const result of results) {
        const warmUp = runProcess(result.contender.command, workDir, result.contender.env);
        result.rules = checkRun(result.contender, warmUp);
        result.statements = result.contender.statementsOf?.(warmUp.stdout) ?? Number.NaN;
      }
      for (let i = 0; i < options.runs; i++) {
        for (const result of results) {
          const run = runProcess(result.contender.command, workDir, result.contender.env);
          checkRun(result.contender, run);
          result.runs.push(run);
        }
      }
      printResults(results, corpus, options.runs);
      const ours = results.find((r) => r.contender.ours)!;
      if (active.length > 0 && !ours.rules.some((id) => MIGRATION_RULE_IDS.has(id))) {
        console.log('\nWarning: `pgarchitect rules` lists migration rules, but the lint output has no migration finding: are they registered in the lint engine?');
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};

export default migrationLint;
