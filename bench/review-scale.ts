/**
 * How the live review scales with the size of the schema. On a throwaway PostgreSQL server it builds
 * databases of 1,000 and 10,000 tables (see review-scale-schema.ts), then measures connect + snapshot +
 * review with every rule, each run in a fresh process as a user would run it: wall time, peak memory,
 * catalog queries. The sizes appear side by side with their ratio, so growth that is not linear shows.
 * Set-up is not timed.
 *
 * Targets (issue): at most 5 s end to end, at most 20 catalog queries, under 500 MB peak memory, linear
 * growth. A miss is reported, not failed: this prints figures and never asserts a time. A run that
 * fails (a catalog query errors, the process crashes) is a real error: reported, and the exit code is 1.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { redactPassword } from '../src/db/connection-config.js';
import { startBenchServer, type BenchServer } from './bench-server.js';
import { BenchUsageError, type Benchmark } from './benchmark.js';
import { catalogQueries } from './catalog-queries.js';
import type { Measurement } from './review-scale-measure.js';
import { createBenchDatabase, type DatabaseFacts } from './review-scale-schema.js';
import { count, megabytesFromKiB, ms, ratio, textTable } from './text-table.js';

const TARGET_END_TO_END_MS = 5_000;
const TARGET_QUERIES = 20;
const TARGET_PEAK_RSS_KIB = 500 * 1024;
/** Growth is called linear while time grows at most this much faster than the number of tables. */
const LINEAR_SLACK = 1.25;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const measureScript = fileURLToPath(new URL('./review-scale-measure.ts', import.meta.url));

interface Run {
  /** Wall clock of the whole child process, seen from here (Node start to exit). */
  processMs: number;
  measurement: Measurement;
}

/** Runs review-scale-measure.ts in a fresh process; a failure comes back as its one-line message. */
function measure(url: string, perRule = false): Run | { error: string } {
  const start = performance.now();
  const args = perRule ? ['--expose-gc', '--import', 'tsx', measureScript, '--per-rule'] : ['--import', 'tsx', measureScript];
  const child = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, BENCH_DATABASE_URL: url },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const processMs = performance.now() - start;
  if (child.error) throw child.error;
  if (child.status !== 0) return { error: redactPassword(child.stderr.trim() || `exit ${child.status ?? child.signal}`) };
  return { processMs, measurement: JSON.parse(child.stdout) as Measurement };
}

/**
 * Server-side time (planning + execution, EXPLAIN ANALYZE with timing off) of each catalog query, each
 * in a fresh session as the measured process runs them. NaN where the query fails.
 */
async function serverTimes(server: BenchServer, database: string): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const { name, sql } of catalogQueries(server.versionNum)) {
    try {
      const [row] = await server.query<{ 'QUERY PLAN': { 'Planning Time': number; 'Execution Time': number }[] }>(
        database,
        `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`,
      );
      const plan = row?.['QUERY PLAN'][0];
      times.set(name, plan ? plan['Planning Time'] + plan['Execution Time'] : Number.NaN);
    } catch {
      times.set(name, Number.NaN);
    }
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface SizeResult {
  tables: number;
  facts: DatabaseFacts;
  runs: Run[];
  /** The --per-rule run: per-rule times, snapshot size. */
  detail: Measurement;
  serverMs: Map<string, number>;
}

interface SizeFailure {
  tables: number;
  facts: DatabaseFacts;
  error: string;
  serverMs: Map<string, number>;
}

/** The median over the runs of one figure. */
function med(result: SizeResult, pick: (run: Run) => number): number {
  return median(result.runs.map(pick));
}

interface Options {
  sizes: number[];
  runs: number;
  maxLocks: number;
}

function parseOptions(options: Record<string, string>): Options {
  const sizes = (options.sizes ?? '').split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 99_999)) {
    throw new BenchUsageError(`--sizes must be table counts between 1 and 99999, comma-separated (got "${options.sizes}")`);
  }
  if (sizes.some((n, i) => i > 0 && n <= sizes[i - 1]!)) throw new BenchUsageError('--sizes must be increasing, smallest first');
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new BenchUsageError(`--runs must be a positive integer (got "${options.runs}")`);
  const maxLocks = Number(options['max-locks-per-transaction']);
  if (!Number.isInteger(maxLocks) || maxLocks < 10) {
    throw new BenchUsageError(`--max-locks-per-transaction must be an integer ≥ 10 (got "${options['max-locks-per-transaction']}")`);
  }
  return { sizes, runs, maxLocks };
}

function printSummary(results: SizeResult[], runs: number): void {
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const compare = results.length > 1;
  const tableRatio = last.tables / first.tables;
  const header = ['', ...results.map((r) => `${count(r.tables)} tables`), ...(compare ? ['ratio'] : []), 'target', ''];
  const row = (label: string, pick: (r: SizeResult) => number, show: (n: number) => string, target = '', pass?: boolean): string[] => [
    label,
    ...results.map((r) => show(pick(r))),
    ...(compare ? [ratio(pick(last), pick(first))] : []),
    target,
    pass === undefined ? '' : pass ? 'PASS' : 'MISS',
  ];
  const work = (r: SizeResult): number => med(r, (x) => x.measurement.snapshotMs + x.measurement.reviewMs);
  const endToEnd = (r: SizeResult): number => med(r, (x) => x.processMs);
  const queryCount = (r: SizeResult): number => med(r, (x) => x.measurement.queryCount);
  const rss = (r: SizeResult): number => med(r, (x) => x.measurement.maxRssKiB);
  const objects = (pick: (o: Measurement['objects']) => number) => (r: SizeResult) => pick(r.detail.objects);

  const rows = [
    row('end to end (child process wall clock)', endToEnd, ms, `≤ ${ms(TARGET_END_TO_END_MS)}`, endToEnd(last) <= TARGET_END_TO_END_MS),
    row('  node + tsx + imports', (r) => med(r, (x) => x.measurement.startupMs), ms),
    row('  connect', (r) => med(r, (x) => x.measurement.connectMs), ms),
    row('  snapshot', (r) => med(r, (x) => x.measurement.snapshotMs), ms),
    row('    catalog query round trips', (r) => med(r, (x) => x.measurement.queriesMs), ms),
    row('    rows to model (JS)', (r) => med(r, (x) => x.measurement.snapshotMs - x.measurement.queriesMs), ms),
    row('  review: parser load', (r) => med(r, (x) => x.measurement.parserLoadMs), ms),
    row('  review: rules', (r) => med(r, (x) => x.measurement.rulesMs), ms),
    row('  close + exit', (r) => med(r, (x) => x.processMs - x.measurement.totalMs), ms),
    row(
      'snapshot + review',
      work,
      ms,
      compare ? `linear: ratio ≤ ${(tableRatio * LINEAR_SLACK).toFixed(1)}×` : '',
      compare ? work(last) / work(first) <= tableRatio * LINEAR_SLACK : undefined,
    ),
    row('snapshot + review per 1,000 tables', (r) => (work(r) * 1000) / r.tables, ms),
    row(
      'catalog queries',
      queryCount,
      count,
      `≤ ${TARGET_QUERIES}, fixed`,
      results.every((r) => queryCount(r) <= TARGET_QUERIES && queryCount(r) === queryCount(first)),
    ),
    row('peak RSS', rss, megabytesFromKiB, `< ${megabytesFromKiB(TARGET_PEAK_RSS_KIB)}`, rss(last) < TARGET_PEAK_RSS_KIB),
    row('JS heap used after review', (r) => med(r, (x) => x.measurement.heapUsedBytes / 1024), megabytesFromKiB),
    row('snapshot as JSON', (r) => (r.detail.snapshotJsonBytes ?? 0) / 1024, megabytesFromKiB),
    row('findings', (r) => med(r, (x) => x.measurement.findings), count),
    row(`rules run (skipped: ${results.map((r) => r.detail.skipped).join(' / ')})`, (r) => r.detail.rulesRun, count),
    row('snapshot: tables', objects((o) => o.tables), count),
    row('snapshot: columns', objects((o) => o.columns), count),
    row('snapshot: columns with stats', objects((o) => o.columnStats), count),
    row('snapshot: indexes', objects((o) => o.indexes), count),
    row('snapshot: constraints', objects((o) => o.constraints), count),
    row('snapshot: sequences', objects((o) => o.sequences), count),
  ];
  console.log(
    `Median of ${runs} run${runs === 1 ? '' : 's'} per size, each a fresh process (node --import tsx); ` +
      `targets judged at ${count(last.tables)} tables.\n`,
  );
  console.log(textTable(header, rows));
}

function printQueries(results: SizeResult[]): void {
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const compare = results.length > 1;
  const trip = (r: SizeResult, name: string): number => med(r, (x) => x.measurement.queries.find((q) => q.name === name)?.ms ?? 0);
  const rows = last.detail.queries
    .map((q) => q.name)
    .sort((a, b) => trip(last, b) - trip(last, a))
    .map((name) => [
      name,
      ...results.flatMap((r) => [
        ms(trip(r, name)),
        ms(r.serverMs.get(name) ?? Number.NaN),
        count(r.detail.queries.find((q) => q.name === name)?.rows ?? 0),
      ]),
      ...(compare ? [ratio(trip(last, name), trip(first, name))] : []),
    ]);
  console.log('\nCatalog queries, slowest first: round trip as the measured process saw it (median), server time from');
  console.log('EXPLAIN ANALYZE in a fresh session, rows returned.\n');
  const header = ['query', ...results.flatMap((r) => [`${count(r.tables)}: trip`, 'server', 'rows']), ...(compare ? ['ratio'] : [])];
  console.log(textTable(header, rows));
}

function printRules(results: SizeResult[]): void {
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const compare = results.length > 1;
  const timing = (r: SizeResult, id: string) => r.detail.perRule?.find((x) => x.rule === id);
  const ids = (last.detail.perRule ?? []).map((r) => r.rule);
  const shown = ids.slice(0, 20);
  const engineRow = (label: string, pick: (m: Measurement) => number | undefined): string[] => [
    label,
    ...results.flatMap((r) => [ms(pick(r.detail) ?? 0), '']),
    ...(compare ? [ratio(pick(last.detail) ?? 0, pick(first.detail) ?? 0)] : []),
  ];
  const sumOf = (r: SizeResult): number => (r.detail.perRule ?? []).reduce((sum, x) => sum + (x.ms || 0), 0);
  const rows = [
    engineRow('(runRules, no rule: SnapshotIndex build)', (m) => m.engineBaselineMs),
    engineRow('(runRules, every rule, warm)', (m) => m.engineAllRulesMs),
    ['(sum of the checks below, each alone)', ...results.flatMap((r) => [ms(sumOf(r)), '']), ...(compare ? [ratio(sumOf(last), sumOf(first))] : [])],
    ...shown.map((id) => [
      id,
      ...results.flatMap((r) => [timing(r, id)?.error ? 'threw' : ms(timing(r, id)?.ms ?? 0), count(timing(r, id)?.findings ?? 0)]),
      ...(compare ? [ratio(timing(last, id)?.ms ?? 0, timing(first, id)?.ms ?? 0)] : []),
    ]),
  ];
  console.log(
    `\nRules, slowest first: each rule's check alone on a shared SnapshotIndex (median of 3, after a GC); ${shown.length} of ${ids.length} shown.\n`,
  );
  const header = ['rule', ...results.flatMap((r) => [`${count(r.tables)}: time`, 'findings']), ...(compare ? ['ratio'] : [])];
  console.log(textTable(header, rows));
}

function printFailures(failures: SizeFailure[]): void {
  for (const f of failures) {
    console.log(`\n${count(f.tables)} tables: the measured run FAILED:\n  ${f.error.split('\n').join('\n  ')}`);
    const failing = [...f.serverMs].filter(([, time]) => Number.isNaN(time)).map(([name]) => name);
    const ok = [...f.serverMs].filter(([, time]) => !Number.isNaN(time)).sort((a, b) => b[1] - a[1]);
    console.log(`  catalog queries run alone (EXPLAIN ANALYZE): ${failing.length ? `failing: ${failing.join(', ')}; ` : ''}` +
      `slowest: ${ok.slice(0, 5).map(([name, time]) => `${name} ${ms(time)}`).join(', ')}`);
  }
}

const reviewScale: Benchmark = {
  name: 'review-scale',
  description: 'live snapshot + review of 1,000 and 10,000 tables: time, peak memory, catalog queries',
  options: {
    sizes: { default: '1000,10000', description: 'table counts, smallest first; the largest is judged against the targets' },
    runs: { default: '3', description: 'measured runs per size (each a fresh process); the median is shown' },
    'max-locks-per-transaction': { default: '64', description: "the server's lock table size (64 is PostgreSQL's default)" },
  },
  async run(rawOptions) {
    const options = parseOptions(rawOptions);
    const setupStart = performance.now();
    const server = await startBenchServer({ max_locks_per_transaction: String(options.maxLocks) });
    try {
      const version = `${Math.floor(server.versionNum / 10_000)}.${server.versionNum % 100}`;
      console.log(
        `PostgreSQL ${version}, throwaway server (fsync off, autovacuum off, max_locks_per_transaction ${options.maxLocks}, ` +
          `other settings default). Building ${options.sizes.map(count).join(' and ')} tables (not timed)...`,
      );
      const facts: DatabaseFacts[] = [];
      for (const tables of options.sizes) {
        const f = await createBenchDatabase(server, `bench_${tables}`, tables);
        facts.push(f);
        console.log(
          `  bench_${tables}: ${count(f.tables)} tables, ${count(f.columns)} columns, ${count(f.indexes)} indexes, ` +
            `${count(f.foreignKeys)} foreign keys, ${count(f.sequences)} sequences, ${count(f.statsRows)} pg_stats rows ` +
            `(CREATE ${ms(f.createMs)}, INSERT ${ms(f.fillMs)}, VACUUM ANALYZE ${ms(f.vacuumMs)})`,
        );
      }
      console.log(`  set-up took ${ms(performance.now() - setupStart)}; measuring...\n`);

      measure(server.url(`bench_${options.sizes[0]}`)); // warm-up: tsx's transform cache, the OS file cache
      const results: SizeResult[] = [];
      const failures: SizeFailure[] = [];
      for (const [i, tables] of options.sizes.entries()) {
        const database = `bench_${tables}`;
        const url = server.url(database);
        const runs: Run[] = [];
        let error: string | null = null;
        for (let run = 0; run < options.runs && !error; run++) {
          const outcome = measure(url);
          if ('error' in outcome) error = outcome.error;
          else runs.push(outcome);
        }
        const detail = error ? null : measure(url, true);
        if (detail && 'error' in detail) error = detail.error;
        const serverMs = await serverTimes(server, database);
        if (error || !detail || 'error' in detail) failures.push({ tables, facts: facts[i]!, error: error ?? 'no result', serverMs });
        else results.push({ tables, facts: facts[i]!, runs, detail: detail.measurement, serverMs });
      }
      if (results.length > 0) {
        printSummary(results, options.runs);
        printQueries(results);
        printRules(results);
      }
      printFailures(failures);
      if (failures.length > 0) {
        throw new Error(`the review failed at ${failures.map((f) => `${count(f.tables)} tables`).join(' and ')} (see above)`);
      }
    } finally {
      server.stop();
    }
  },
};

export default reviewScale;
