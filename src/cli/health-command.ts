/** `pgarchitect health`: the CLI layer over `health()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readBaseline } from '../baseline.js';
import { loadConfig } from '../config/config.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { SEVERITIES, type Severity } from '../finding.js';
import { formatHealth, HEALTH_FORMATS, type HealthFormat } from '../health/format.js';
import { health, healthCheckIds, healthFailsOn } from '../health/health.js';
import { everyRule } from '../rules/every-rule.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export interface HealthCommandOptions {
  format: string;
  output?: string;
  failOn: string;
  config?: string;
  baseline?: string;
  rule?: string[];
  exact?: boolean;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export async function healthCommand(url: string | undefined, options: HealthCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, HEALTH_FORMATS, '--format') as HealthFormat;
  const failOn = parseChoice(options.failOn, SEVERITIES, '--fail-on') as Severity;
  if (url !== undefined && !isConnectionUrl(url)) throw new UserError(`"${url}" is not a postgres:// URL`, 'health examines a running server: give its URL, or set DATABASE_URL');
  if (url === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) {
    throw new UserError('no server to examine', 'give a postgres:// URL, or set DATABASE_URL (or the PG* variables)');
  }
  const config = loadConfig(everyRule(), options.config, io.cwd);
  const known = healthCheckIds();
  const only = options.rule?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const id of only ?? []) if (!known.includes(id)) throw new UserError(`--rule: "${id}" is not a health check`, `health runs: ${known.join(', ')}`);
  const baseline = options.baseline ? readBaseline(resolve(io.cwd, options.baseline)) : undefined;
  if (io.isTty && format === 'text') io.stderr(`pgarchitect: reading the server${options.exact ? ' (--exact: pgstattuple reads every table and index of 1 MB or more)' : ''}…\n`);
  const result = await health({
    connection: { url },
    env: io.env,
    config,
    only,
    baseline,
    exact: options.exact,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = formatHealth(result, format, { color: format === 'text' && color });
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  return healthFailsOn(result, failOn) ? EXIT_FINDINGS : EXIT_OK;
}
