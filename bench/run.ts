/**
 * Runs the benchmarks: `npm run bench` runs them all, `npm run bench -- review-scale` runs one, and
 * `npm run bench -- review-scale --sizes=1000,5000` passes options to it (`--help` lists them).
 *
 * Exit code: 0 when every selected benchmark printed its report (a missed target is a figure, not a
 * failure), 1 when one failed to run, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import { BenchUsageError, type Benchmark } from './benchmark.js';
import healthUnderLoad from './health-under-load.js';
import indexAdvisor from './index-advisor.js';
import lintThroughput from './lint-throughput.js';
import migrationLint from './migration-lint.js';
import reviewScale from './review-scale.js';

/** Every benchmark, sorted by name. */
const BENCHMARKS: readonly Benchmark[] = [healthUnderLoad, indexAdvisor, lintThroughput, migrationLint, reviewScale];

function usage(): string {
  const lines = ['usage: npm run bench [-- [name...] [--option=value...]]', '', 'benchmarks:'];
  for (const b of BENCHMARKS) {
    lines.push(`  ${b.name}  ${b.description}`);
    for (const [key, option] of Object.entries(b.options)) lines.push(`      --${key}=${option.default}  ${option.description}`);
  }
  return lines.join('\n');
}

function parse(argv: string[]): { selected: Benchmark[]; values: Record<string, string> } | null {
  const optionNames = new Set(BENCHMARKS.flatMap((b) => Object.keys(b.options)));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries([...optionNames].map((name) => [name, { type: 'string' as const }])),
    },
  });
  if (values.help) return null;
  const unknown = positionals.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}`);
  const selected = positionals.length === 0 ? [...BENCHMARKS] : BENCHMARKS.filter((b) => positionals.includes(b.name));
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') strings[key] = value;
  return { selected, values: strings };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${usage()}`);
    return 2;
  }
  if (!parsed) {
    console.log(usage());
    return 0;
  }
  let failed = 0;
  for (const benchmark of parsed.selected) {
    const options = Object.fromEntries(Object.entries(benchmark.options).map(([key, o]) => [key, parsed.values[key] ?? o.default]));
    console.log(`\n=== ${benchmark.name}: ${benchmark.description}\n`);
    try {
      await benchmark.run(options);
    } catch (error) {
      if (error instanceof BenchUsageError) {
        console.error(`bench ${benchmark.name}: ${error.message}\n\n${usage()}`);
        return 2;
      }
      failed++;
      console.error(`\nbench ${benchmark.name} failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
