/** `pgarchitect migrate`: the CLI layer over the migrate functions of src/migrate/. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/config.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { formatMigrateText } from '../migrate/format-text.js';
import { migrateBaseline, migrateDown, migrateRepair, migrateStatus, migrateUp, migrateValidate, type MigrateOptions } from '../migrate/migrate.js';
import { MigrationFilesError } from '../migrate/migration-files.js';
import { newMigration } from '../migrate/new-migration.js';
import type { MigrateResult } from '../migrate/result.js';
import { everyRule } from '../rules/every-rule.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const MIGRATE_SUBCOMMANDS = ['new', 'status', 'up', 'down', 'validate', 'repair', 'baseline'] as const;
export type MigrateSubcommand = (typeof MIGRATE_SUBCOMMANDS)[number];

export const MIGRATE_FORMATS = ['text', 'json'] as const;

export interface MigrateCommandOptions {
  /** `-d, --database <url>` (default DATABASE_URL / PG* variables). */
  database?: string;
  /** `--dir <folder>` (default the configuration's `migrate.dir`, db/migrations, or migrations when that exists). */
  dir?: string;
  config?: string;
  format?: string;
  /** `--no-gaps` sets false. */
  gaps?: boolean;
  lockTimeout?: string;
  statementTimeout?: string;
  retries?: string;
  retryDelay?: string;
  /** up, down, repair. */
  dryRun?: boolean;
  /** up. */
  to?: string;
  outOfOrder?: boolean;
  /** baseline (`--version`, which main.ts reads as --baseline-version). */
  baselineVersion?: string;
  description?: string;
  /** new. */
  layout?: string;
  color?: boolean;
}

/**
 * Runs one `migrate` subcommand. `argument` is the subcommand's positional argument: the name of
 * `new`, the count of `down`, the version of `baseline`. Exit 0 done, 1 a migration failed or the
 * database's state stopped the command (drift, failed entries for validate, lock timeouts), 2 usage,
 * input or connection errors (files refused before anything ran: one line each).
 */
export async function migrateCommand(subcommand: MigrateSubcommand, argument: string | undefined, options: MigrateCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format ?? 'text', MIGRATE_FORMATS, '--format');
  const config = loadConfig(everyRule(), options.config, io.cwd).migrate ?? {};
  const dir = options.dir ?? config.dir ?? defaultDir(io.cwd);

  if (subcommand === 'new') {
    if (!argument) throw new UserError('migrate new needs a name', 'for example: pgarchitect migrate new add_orders_index');
    const layout = options.layout === undefined ? undefined : parseChoice(options.layout, ['flyway', 'golang-migrate'] as const, '--layout');
    const created = newMigration({ dir, name: argument, layout, cwd: io.cwd });
    io.stdout(format === 'json' ? JSON.stringify(created, null, 2) + '\n' : created.files.map((f) => `created ${f}\n`).join(''));
    return EXIT_OK;
  }

  if (options.database !== undefined && !isConnectionUrl(options.database)) throw new UserError(`-d: "${options.database}" is not a postgres:// URL`);
  if (options.database === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) {
    throw new UserError(`migrate ${subcommand} needs a database`, 'give -d postgres://user@host/db, or set DATABASE_URL');
  }
  const common: MigrateOptions = {
    dir,
    cwd: io.cwd,
    connection: { url: options.database },
    env: io.env,
    noGaps: options.gaps === false || config.noGaps === true,
    lockTimeoutMs: parseMs(options.lockTimeout ?? config.lockTimeout, options.lockTimeout ? '--lock-timeout' : 'migrate.lockTimeout'),
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    retries: options.retries !== undefined ? parseCount(options.retries, '--retries', 0) : config.retries,
    retryDelayMs: parseMs(options.retryDelay, '--retry-delay'),
    onProgress: io.isTty ? (message) => io.stderr(`pgarchitect: ${message}…\n`) : undefined,
  };
  if (common.retries !== undefined && (!Number.isInteger(common.retries) || common.retries < 0)) throw new UserError(`migrate.retries: ${common.retries} is not a whole number`);

  let result: MigrateResult;
  try {
    result = await run(subcommand, argument, options, common);
  } catch (error) {
    if (!(error instanceof MigrationFilesError)) throw error;
    for (const p of error.problems) io.stderr(`${p.file}:${p.line}:${p.column}: ${p.message}\n`);
    io.stderr(`pgarchitect: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} in the migration files; nothing was run\n`);
    return EXIT_USAGE;
  }
  const color = options.color ?? (io.isTty && !io.env.NO_COLOR);
  io.stdout(format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatMigrateText(result, { color }));
  return result.ok ? EXIT_OK : EXIT_FINDINGS;
}

async function run(subcommand: Exclude<MigrateSubcommand, 'new'>, argument: string | undefined, options: MigrateCommandOptions, common: MigrateOptions): Promise<MigrateResult> {
  const refuse = (flag: string, given: unknown) => {
    if (given) throw new UserError(`${flag} does not apply to migrate ${subcommand}`);
  };
  if (subcommand !== 'up') (refuse('--to', options.to), refuse('--out-of-order', options.outOfOrder));
  if (!['up', 'down', 'repair'].includes(subcommand)) refuse('--dry-run', options.dryRun);
  if (subcommand !== 'baseline') (refuse('--version', options.baselineVersion), refuse('--description', options.description));
  if (subcommand !== 'down' && subcommand !== 'baseline' && argument !== undefined) throw new UserError(`migrate ${subcommand} takes no argument (got "${argument}")`);
  switch (subcommand) {
    case 'status':
      return migrateStatus(common);
    case 'validate':
      return migrateValidate(common);
    case 'up':
      return migrateUp({ ...common, to: options.to, dryRun: options.dryRun, outOfOrder: options.outOfOrder });
    case 'down':
      return migrateDown({ ...common, count: argument === undefined ? 1 : parseCount(argument, 'down', 1), dryRun: options.dryRun });
    case 'repair':
      return migrateRepair({ ...common, dryRun: options.dryRun });
    case 'baseline': {
      if (argument !== undefined && options.baselineVersion !== undefined && argument !== options.baselineVersion) throw new UserError(`baseline: two versions given (${argument} and --version ${options.baselineVersion})`);
      const version = options.baselineVersion ?? argument;
      if (version === undefined) throw new UserError('migrate baseline needs a version', 'for example: pgarchitect migrate baseline -d postgres://… --version 5');
      return migrateBaseline({ ...common, version, description: options.description });
    }
  }
}

/** db/migrations, or migrations when only that one exists. */
function defaultDir(cwd: string): string {
  if (!existsSync(join(cwd, 'db', 'migrations')) && existsSync(join(cwd, 'migrations'))) return 'migrations';
  return join('db', 'migrations');
}

function parseCount(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new UserError(`${flag}: "${value}" is not a whole number${min > 0 ? ` of ${min} or more` : ''}`);
  return Number(value);
}
