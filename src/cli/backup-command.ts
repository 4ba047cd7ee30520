/** `pgarchitect backup audit|create|verify`: the CLI layer over auditBackups(), createBackup() and verifyBackup(). */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditBackups } from '../backup/audit.js';
import { createBackup } from '../backup/create-backup.js';
import { formatAuditText, formatCreateText, formatVerifyText } from '../backup/format-text.js';
import { DUMP_FORMATS, type DumpFormat } from '../backup/manifest.js';
import { verifyBackup } from '../backup/verify-backup.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { SEVERITIES, severityRank, type Severity } from '../finding.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const BACKUP_OUTPUT_FORMATS = ['text', 'json'] as const;

export interface BackupAuditCommandOptions {
  format: string;
  output?: string;
  failOn: string;
  pgbackrestStanza?: string;
  dumpDir?: string;
  maxBackupAge?: string;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export interface BackupCreateCommandOptions {
  out?: string;
  dumpFormat: string;
  jobs?: string;
  format: string;
  lockTimeout?: string;
  statementTimeout?: string;
  quiet?: boolean;
  color?: boolean;
}

export interface BackupVerifyCommandOptions {
  target?: string;
  keep?: boolean;
  force?: boolean;
  jobs?: string;
  format: string;
  output?: string;
  quiet?: boolean;
  color?: boolean;
}

export async function backupAuditCommand(url: string | undefined, options: BackupAuditCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, BACKUP_OUTPUT_FORMATS, '--format');
  const failOn = parseChoice(options.failOn, SEVERITIES, '--fail-on') as Severity;
  requireServer(url, io, 'backup audit');
  const maxBackupAgeHours = options.maxBackupAge === undefined ? undefined : parseHours(options.maxBackupAge);
  if (options.dumpDir !== undefined && !(existsSync(resolve(io.cwd, options.dumpDir)) && statSync(resolve(io.cwd, options.dumpDir)).isDirectory())) {
    throw new UserError(`--dump-dir: ${options.dumpDir} is not a folder`, 'give the folder that holds the backups written by pgarchitect backup create');
  }
  const result = await auditBackups({
    connection: { url },
    env: io.env,
    pgbackrestStanza: options.pgbackrestStanza,
    dumpDir: options.dumpDir === undefined ? undefined : resolve(io.cwd, options.dumpDir),
    thresholds: maxBackupAgeHours === undefined ? {} : { maxBackupAgeHours },
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatAuditText(result, { color });
  write(text, options.output, io);
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

export async function backupCreateCommand(url: string | undefined, options: BackupCreateCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.dumpFormat, DUMP_FORMATS, '--dump-format') as DumpFormat;
  const outputFormat = parseChoice(options.format, BACKUP_OUTPUT_FORMATS, '--format');
  if (!options.out) throw new UserError('backup create needs --out <folder>', 'the folder the dump and its manifest are written to (new, or empty)');
  requireServer(url, io, 'backup create');
  const jobs = parseJobs(options.jobs);
  const result = await withInterruption((signal) =>
    createBackup({
      connection: { url },
      env: io.env,
      out: resolve(io.cwd, options.out!),
      format,
      jobs,
      lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
      statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
      signal,
      onProgress: progress(io, options.quiet),
    }),
  );
  const color = options.color ?? (io.isTty && !io.env.NO_COLOR);
  io.stdout(outputFormat === 'json' ? JSON.stringify({ dir: result.dir, pgDump: result.pgDump, warnings: result.warnings, manifest: result.manifest }, null, 2) + '\n' : formatCreateText(result, { color }));
  return EXIT_OK;
}

export async function backupVerifyCommand(dir: string, options: BackupVerifyCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, BACKUP_OUTPUT_FORMATS, '--format');
  if (options.target !== undefined && !isConnectionUrl(options.target)) throw new UserError(`--target: "${options.target}" is not a postgres:// URL`, 'give the server to restore into, with the name of a scratch database: postgres://…/shop_verify');
  const full = resolve(io.cwd, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) throw new UserError(`${dir}: no such folder`, 'give the folder written by pgarchitect backup create --out');
  const result = await withInterruption((signal) =>
    verifyBackup({
      dir: full,
      target: options.target ? { url: options.target } : undefined,
      env: io.env,
      keep: options.keep,
      force: options.force,
      jobs: parseJobs(options.jobs),
      signal,
      onProgress: progress(io, options.quiet),
    }),
  );
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  write(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatVerifyText(result, { color }), options.output, io);
  return result.ok ? EXIT_OK : EXIT_FINDINGS;
}

function requireServer(url: string | undefined, io: CliIo, command: string): void {
  if (url !== undefined && !isConnectionUrl(url)) throw new UserError(`"${url}" is not a postgres:// URL`, `${command} works on a running server: give its URL, or set DATABASE_URL`);
  if (url === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) {
    throw new UserError('no server given', 'give a postgres:// URL, or set DATABASE_URL (or the PG* variables)');
  }
}

/** Runs `work` with an AbortSignal that SIGINT and SIGTERM trigger, so that a stopped command cleans up first. */
async function withInterruption<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

function progress(io: CliIo, quiet: boolean | undefined): (line: string) => void {
  return quiet ? () => undefined : (line) => io.stderr(`pgarchitect: ${line}\n`);
}

function write(text: string, output: string | undefined, io: CliIo): void {
  if (output) writeFileSync(resolve(io.cwd, output), text);
  else io.stdout(text);
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 64) throw new UserError(`--jobs: "${value}" is not a whole number from 1 to 64`);
  return Number(value);
}

function parseHours(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(h|d)?$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0) throw new UserError(`--max-backup-age: "${value}" is not a duration in hours or days`, 'for example 26h or 2d');
  return Number(match[1]) * (match[2] === 'd' ? 24 : 1);
}
