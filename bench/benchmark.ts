/**
 * What a benchmark is: a name, one line saying what it measures, the options it accepts, and a
 * function that prints figures. A benchmark reports; it never asserts a time. It throws only on real
 * errors (set-up failed, a measured process crashed), which makes `npm run bench` exit non-zero.
 */
export interface BenchmarkOption {
  description: string;
  /** Default value, as it would be typed on the command line. */
  default: string;
}

export interface Benchmark {
  /** Kebab-case, equal to the file name in bench/. */
  name: string;
  description: string;
  options: Record<string, BenchmarkOption>;
  /** Runs with every option resolved (defaults filled in) and prints its report on stdout. */
  run(options: Record<string, string>): Promise<void>;
}

/** A bad option value: printed as one line with the usage, exit code 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}
