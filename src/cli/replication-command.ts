/** `pgarchitect replication`: the CLI layer over `replicationReport()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { replicationReport } from '../replication/replication.js';
import { formatReplicationText } from '../replication/format-text.js';
import { everyRule } from '../rules/every-rule.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const REPLICATION_FORMATS = ['text', 'json'] as const;

export interface ReplicationCommandOptions {
  replica: string[];
  format: string;
  output?: string;
  top?: string;
  config?: string;
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export async function replicationCommand(url: string | undefined, options: ReplicationCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, REPLICATION_FORMATS, '--format');
  if (url !== undefined && !isConnectionUrl(url)) throw new UserError(`"${url}" is not a postgres:// URL`, 'give the primary\'s URL, or set DATABASE_URL');
  if (url === undefined && !io.env.DATABASE_URL && !io.env.PGHOST && !io.env.PGDATABASE) {
    throw new UserError('no primary to examine', 'give a postgres:// URL, or set DATABASE_URL (or the PG* variables)');
  }
  for (const replica of options.replica) {
    if (!isConnectionUrl(replica)) throw new UserError(`--replica "${replica}" is not a postgres:// URL`, 'give each standby as --replica postgres://…');
  }
  const top = options.top === undefined ? undefined : Number(options.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) throw new UserError(`--top: "${options.top}" is not a positive whole number`);
  const config = loadConfig(everyRule(), options.config, io.cwd);
  const result = await replicationReport({
    primary: { url },
    replicas: options.replica.map((r) => ({ url: r })),
    env: io.env,
    config,
    top,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = format === 'json' ? JSON.stringify(result, null, 2) + '\n' : formatReplicationText(result, { color });
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  const errors = [result.primary.health, ...result.replicas.map((r) => r.health)].some((h) => h.findings.some((f) => f.severity === 'error'));
  return errors ? EXIT_FINDINGS : EXIT_OK;
}
