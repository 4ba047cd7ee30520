/** `pgarchitect indexes advise`: the CLI layer over `adviseIndexes()` and `verifyAdvice()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { adviseIndexes, type AdviseOptions, type AdviseResult } from '../advise/advise.js';
import { formatAdviseText, formatBytes } from '../advise/format-text.js';
import { verifyAdvice, type VerifyResult } from '../advise/verify.js';
import { workloadFromFile } from '../advise/workload.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const ADVISE_FORMATS = ['text', 'json'] as const;

export interface AdviseCommandOptions {
  workload?: string;
  top?: string;
  budget?: string;
  maxIndexes?: string;
  maxWidth?: string;
  timeLimit?: string;
  minImprovement?: string;
  out?: string;
  format: string;
  output?: string;
  verify?: boolean;
  keep?: boolean;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export async function adviseCommand(url: string | undefined, options: AdviseCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, ADVISE_FORMATS, '--format');
  if (url !== undefined && !isConnectionUrl(url)) throw new UserError(`"${url}" is not a postgres:// URL`, 'indexes advise works on a live server with hypopg: give postgres://user@host/db (or set DATABASE_URL)');
  if (url === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) throw new UserError('indexes advise needs a server', 'give postgres://user@host/db, or set DATABASE_URL');
  if (options.keep && !options.verify) throw new UserError('--keep goes with --verify (it keeps the indexes --verify builds)');
  const budget = options.budget === undefined ? {} : parseBudget(options.budget);
  const connection = { url, statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'), lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout') };
  const progress = io.isTty ? (message: string) => io.stderr(`pgarchitect: ${message}…\n`) : undefined;
  const adviseOptions: AdviseOptions = {
    connection,
    env: io.env,
    workload: options.workload ? await workloadFromFile(resolve(io.cwd, options.workload), options.workload) : undefined,
    top: parsePositiveInt(options.top, '--top'),
    ...budget,
    maxIndexes: parsePositiveInt(options.maxIndexes, '--max-indexes'),
    maxWidth: parsePositiveInt(options.maxWidth, '--max-width'),
    timeLimitMs: parseMs(options.timeLimit, '--time-limit'),
    minImprovement: options.minImprovement === undefined ? undefined : parsePercent(options.minImprovement, '--min-improvement'),
    onProgress: progress,
  };
  const result: AdviseResult & { verification?: VerifyResult } = await adviseIndexes(adviseOptions);
  if (options.verify && result.indexes.length > 0) {
    result.verification = await verifyAdvice(result, { connection: { url }, env: io.env, keep: options.keep, statementTimeoutMs: connection.statementTimeoutMs, lockTimeoutMs: connection.lockTimeoutMs, onProgress: progress });
  }
  if (options.out) writeFileSync(resolve(io.cwd, options.out), result.migration);

  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  let text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatAdviseText(result, { color });
  if (format === 'text' && result.verification) text += formatVerification(result.verification);
  if (format === 'text' && options.out) text += `\nMigration written to ${options.out}\n`;
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  if (result.verification?.error) throw new UserError(`--verify: ${result.verification.error}`, result.verification.kept ? 'the indexes built so far were kept (--keep)' : 'the indexes built so far were dropped again');
  return EXIT_OK;
}

function formatVerification(v: VerifyResult): string {
  const lines = ['', `Verified on the server: ${v.built.length} indexes built (${formatBytes(v.built.reduce((s, b) => s + b.bytes, 0))}), ${v.kept ? 'kept (--keep)' : 'dropped again'}`];
  for (const b of v.built) lines.push(`  ${b.name}: ${formatBytes(b.bytes)}, built in ${(b.buildMs / 1000).toFixed(1)} s`);
  for (const q of v.queries) {
    const actual = q.actualMsBefore !== null && q.actualMsAfter !== null ? `; executed ${q.actualMsBefore.toFixed(2)} ms → ${q.actualMsAfter.toFixed(2)} ms` : q.note ? `; ${q.note}` : '';
    lines.push(`  ${q.id}: estimated ${q.estimatedBefore.toFixed(2)} → ${q.estimatedAfter.toFixed(2)}${actual}`);
  }
  if (v.weightedMsBefore > 0) lines.push(`  weighted execution time of the executed statements: ${v.weightedMsBefore.toFixed(1)} ms → ${v.weightedMsAfter.toFixed(1)} ms (${(v.weightedMsBefore / Math.max(v.weightedMsAfter, 1e-9)).toFixed(1)}× faster)`);
  return lines.join('\n') + '\n';
}

/** `2GB`, `500MB`, `1.5 GiB`, `123456` (bytes), or `10%` of the database size. */
export function parseBudget(value: string): { budgetBytes: number } | { budgetShare: number } {
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent) {
    const share = Number(percent[1]) / 100;
    if (!(share > 0)) throw new UserError(`--budget: "${value}" must be more than 0%`);
    return { budgetShare: share };
  }
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?$/i.exec(text);
  if (!match) throw new UserError(`--budget: "${value}" is not a size`, 'for example 500MB, 2GB, or 10% of the database size');
  const unit = (match[2] ?? 'b').toLowerCase().replace('i', '');
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 }[unit]!;
  return { budgetBytes: Math.floor(Number(match[1]) * factor) };
}

function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UserError(`${flag}: "${value}" is not a positive whole number`);
  return Number(value);
}

function parsePercent(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(value.trim());
  if (!match) throw new UserError(`${flag}: "${value}" is not a percentage`, 'for example 0.5%');
  return Number(match[1]) / 100;
}
