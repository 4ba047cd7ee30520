/** `pgarchitect maintenance plan`: the CLI layer over `maintenancePlan()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { resolveRule } from '../engine/findings.js';
import { UserError } from '../errors.js';
import { formatMaintenanceText } from '../maintenance/format-text.js';
import { maintenancePlan } from '../maintenance/plan.js';
import { everyRule } from '../rules/every-rule.js';
import indexBloat from '../rules/health/index-bloat.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const MAINTENANCE_FORMATS = ['text', 'json'] as const;

export interface MaintenancePlanCommandOptions {
  format: string;
  output?: string;
  /** The script file. */
  out?: string;
  largeRows?: string;
  rarePerDay?: string;
  exact?: boolean;
  config?: string;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export async function maintenancePlanCommand(url: string | undefined, options: MaintenancePlanCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, MAINTENANCE_FORMATS, '--format');
  if (url !== undefined && !isConnectionUrl(url)) throw new UserError(`"${url}" is not a postgres:// URL`, 'maintenance plan examines a running server: give its URL, or set DATABASE_URL');
  if (url === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) {
    throw new UserError('no server to examine', 'give a postgres:// URL, or set DATABASE_URL (or the PG* variables)');
  }
  const config = loadConfig(everyRule(), options.config, io.cwd);
  // The configured index-bloat options say from which bloat an index is rebuilt, as health reports it.
  const reindex = resolveRule(indexBloat.meta, { config })?.options ?? indexBloat.meta.defaultOptions;
  const plan = await maintenancePlan({
    connection: { url },
    env: io.env,
    largeRows: parseNumber(options.largeRows, '--large-rows', true),
    rarePerDay: parseNumber(options.rarePerDay, '--rare-per-day', false),
    exact: options.exact,
    reindex,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  if (options.out) writeFileSync(resolve(io.cwd, options.out), plan.script);
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = format === 'json' ? JSON.stringify(plan, null, 2) + '\n' : formatMaintenanceText(plan, { color, scriptFile: options.out });
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  return EXIT_OK;
}

function parseNumber(value: string | undefined, flag: string, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const pattern = whole ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const text = value.trim().replace(/[_,]/g, '');
  if (!pattern.test(text) || Number(text) <= 0) throw new UserError(`${flag}: "${value}" is not a ${whole ? 'whole ' : ''}number above 0`);
  return Number(text);
}
