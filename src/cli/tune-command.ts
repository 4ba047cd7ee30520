/** `pgarchitect tune`: the CLI layer over `tune()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { formatTuneConf, formatTuneSql } from '../tune/format-config.js';
import { formatTuneText } from '../tune/format-text.js';
import { parseSizeKb } from '../tune/size.js';
import { tune } from '../tune/tune.js';
import { STORAGE_KINDS, WORKLOADS } from '../tune/tune-input.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const TUNE_FORMATS = ['text', 'json', 'sql', 'conf'] as const;

export interface TuneCommandOptions {
  /** `-d, --database <url>`: the server to examine (default DATABASE_URL / PG* variables; none: no server). */
  database?: string;
  memory?: string;
  cpus?: string;
  storage?: string;
  connections?: string;
  workload?: string;
  pgVersion?: string;
  format: string;
  output?: string;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export async function tuneCommand(options: TuneCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, TUNE_FORMATS, '--format');
  const memoryKb = options.memory === undefined ? undefined : parseMemory(options.memory);
  const hasServer = Boolean(options.database || io.env.DATABASE_URL || io.env.PGHOST || io.env.PGDATABASE);
  if (options.database !== undefined && !/^postgres(ql)?:\/\//i.test(options.database)) throw new UserError(`-d: "${options.database}" is not a postgres:// URL`);
  const result = await tune({
    memoryKb,
    cpus: parseWhole(options.cpus, '--cpus', 1),
    storage: options.storage === undefined ? undefined : parseChoice(options.storage, STORAGE_KINDS, '--storage'),
    connections: parseWhole(options.connections, '--connections', 1),
    workload: options.workload === undefined ? undefined : parseChoice(options.workload, WORKLOADS, '--workload'),
    pgVersion: parseWhole(options.pgVersion, '--pg-version', 1),
    connection: hasServer
      ? { url: options.database, statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'), lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout') }
      : undefined,
    env: io.env,
  });
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : format === 'sql' ? formatTuneSql(result) : format === 'conf' ? formatTuneConf(result) : formatTuneText(result, { color });
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  return EXIT_OK;
}

function parseMemory(value: string): number {
  const kb = parseSizeKb(value);
  if (kb === null) throw new UserError(`--memory: "${value}" is not a size`, 'give a unit: --memory 16GB, --memory 512MB');
  return kb;
}

function parseWhole(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UserError(`${flag}: "${value}" is not a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return Number(value);
}
