/** `pgarchitect partition advise | convert | maintain`: the CLI layer over the partition library. */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { formatAdviseText } from '../partition/format-advise.js';
import { formatMaintainText } from '../partition/format-maintain.js';
import { partitionAdvise } from '../partition/advise.js';
import { partitionConvert } from '../partition/convert.js';
import { parseInterval } from '../partition/key-grid.js';
import { partitionMaintain } from '../partition/maintain.js';
import { readMaintainConfig, splitTableName } from '../partition/maintain-config.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const PARTITION_FORMATS = ['text', 'json'] as const;

interface CommonOptions {
  format: string;
  output?: string;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export interface PartitionAdviseCommandOptions extends CommonOptions {
  minSize?: string;
  minGrowth?: string;
  targetSize?: string;
  top?: string;
  table?: string[];
}

export interface PartitionConvertCommandOptions extends CommonOptions {
  table?: string;
  key?: string;
  interval?: string;
  premake?: string;
  default?: boolean;
  out?: string;
  batchSize?: string;
}

export interface PartitionMaintainCommandOptions extends CommonOptions {
  config?: string;
  dryRun?: boolean;
  pgDump?: string;
}

function checkUrl(url: string | undefined, io: CliIo, what: string): void {
  if (url !== undefined && !isConnectionUrl(url)) throw new UserError(`"${url}" is not a postgres:// URL`, `partition ${what} works on a running server: give its URL, or set DATABASE_URL`);
  if (url === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) {
    throw new UserError('no server to examine', 'give a postgres:// URL, or set DATABASE_URL (or the PG* variables)');
  }
}

function emit(text: string, options: CommonOptions, io: CliIo): void {
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
}

function colorOf(options: CommonOptions, io: CliIo): boolean {
  return options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
}

export async function partitionAdviseCommand(url: string | undefined, options: PartitionAdviseCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, PARTITION_FORMATS, '--format');
  checkUrl(url, io, 'advise');
  const result = await partitionAdvise({
    connection: { url },
    env: io.env,
    minBytes: parseSize(options.minSize, '--min-size'),
    minGrowthBytesPerMonth: parseSize(options.minGrowth, '--min-growth'),
    targetPartitionBytes: parseSize(options.targetSize, '--target-size'),
    top: options.top === undefined ? undefined : parseWhole(options.top, '--top', 1),
    tables: options.table?.flatMap((t) => t.split(',')).map((t) => splitTableName(t)),
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  emit(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatAdviseText(result, { color: colorOf(options, io) }), options, io);
  return EXIT_OK;
}

export async function partitionConvertCommand(url: string | undefined, options: PartitionConvertCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, PARTITION_FORMATS, '--format');
  checkUrl(url, io, 'convert');
  if (!options.table) throw new UserError('--table is required', 'the table to convert: --table public.events');
  if (!options.key) throw new UserError('--key is required', 'the partition key column: --key created_at');
  if (!options.interval) throw new UserError('--interval is required', 'day, week, month, quarter, year (hour for timestamps), or a width for integer keys');
  const interval = parseInterval(options.interval);
  if (!interval) throw new UserError(`--interval: "${options.interval}" is not hour, day, week, month, quarter, year or a whole number`);
  const result = await partitionConvert({
    connection: { url },
    env: io.env,
    table: splitTableName(options.table),
    key: options.key,
    interval,
    premake: options.premake === undefined ? undefined : parseWhole(options.premake, '--premake', 0),
    defaultPartition: options.default === true,
    batchSize: options.batchSize === undefined ? undefined : parseWhole(options.batchSize, '--batch-size', 1),
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  if (options.out) writeFileSync(resolve(io.cwd, options.out), result.script);
  if (format === 'json') emit(JSON.stringify(result, null, 2) + '\n', options, io);
  else if (options.out) emit(result.summary.join('\n') + `\nMigration written to ${options.out} (not run: review it, then psql -v ON_ERROR_STOP=1 -f ${options.out})\n`, options, io);
  else emit(result.script, options, io);
  return EXIT_OK;
}

export async function partitionMaintainCommand(url: string | undefined, options: PartitionMaintainCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, PARTITION_FORMATS, '--format');
  checkUrl(url, io, 'maintain');
  if (!options.config) throw new UserError('--config is required', 'a partitions.json listing the tables to keep (see docs/partition.md)');
  const path = resolve(io.cwd, options.config);
  if (!existsSync(path)) throw new UserError(`${options.config}: no such file`);
  const config = readMaintainConfig(path, options.config);
  const lockTimeout = parseMs(options.lockTimeout, '--lock-timeout');
  if (lockTimeout !== undefined) config.lockTimeoutMs = lockTimeout;
  const result = await partitionMaintain({
    connection: { url },
    env: io.env,
    config,
    dryRun: options.dryRun === true,
    baseDir: dirname(path),
    pgDump: options.pgDump,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
  });
  emit(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatMaintainText(result, { color: colorOf(options, io) }), options, io);
  return result.summary.failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** `10GB`, `500MB`, `1.5TB`, or bytes. */
function parseSize(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(value.trim());
  if (!m) throw new UserError(`${flag}: "${value}" is not a size`, 'for example 500MB, 10GB');
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
}

function parseWhole(value: string, flag: string, min: number): number {
  const text = value.trim().replace(/[_,]/g, '');
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UserError(`${flag}: "${value}" is not a whole number${min ? ` from ${min}` : ''}`);
  return Number(text);
}
