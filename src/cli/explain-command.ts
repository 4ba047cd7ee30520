/** `pgarchitect explain`: the CLI layer over `explainQuery()` and `explainPlanFile()`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { explainPlanFile, explainQuery } from '../explain/explain.js';
import { formatExplainHtml } from '../explain/format-html.js';
import { formatExplainJson } from '../explain/format-json.js';
import { formatExplainText } from '../explain/format-text.js';
import type { ExplainResult } from '../explain/result.js';
import { SEVERITIES, severityRank, type Severity } from '../finding.js';
import { everyRule } from '../rules/every-rule.js';
import { planRules } from '../rules/plan/index.js';
import { readSnapshotFile } from '../source.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const EXPLAIN_FORMATS = ['text', 'json', 'html'] as const;

export interface ExplainCommandOptions {
  /** `-d, --database <url>`: the server to run the query on (default DATABASE_URL / PG* variables). */
  database?: string;
  /** `-f, --file <file>`: read the query from a file. */
  file?: string;
  /** `--plan <file>`: diagnose a captured plan (JSON or text) instead of running a query. */
  plan?: string;
  /** `--snapshot <file>`: with --plan, a snapshot of the database for the diagnoses that need its tables. */
  snapshot?: string;
  /** `--no-analyze` sets false: plan only, do not execute. */
  analyze?: boolean;
  /** `--set <name=value...>`: settings for this query only (SET LOCAL). */
  set?: string[];
  /** `--no-verify` sets false: do not cost index proposals with hypopg. */
  verify?: boolean;
  /** `--format <text|json|html>` (long form only: -f is --file, as in psql). */
  format: string;
  output?: string;
  failOn?: string;
  config?: string;
  rule?: string[];
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

/**
 * `explain [query...]`: the query is the arguments joined by spaces, or `--file`; `--plan` reads a
 * captured plan instead. Exit code 1 when a diagnosis is at or above `--fail-on` (default error).
 */
export async function explainCommand(inputs: string[], options: ExplainCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, EXPLAIN_FORMATS, '--format');
  const failOn = parseChoice(options.failOn ?? 'error', SEVERITIES, '--fail-on') as Severity;
  const config = loadConfig(everyRule(), options.config, io.cwd);
  const only = options.rule?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const id of only ?? []) {
    if (!planRules.some((r) => r.meta.id === id)) throw new UserError(`--rule: unknown diagnosis "${id}"`, 'run `pgarchitect rules` for the list (Plan diagnoses)');
  }
  const settings = parseSettings(options.set ?? []);
  const inline = inputs.join(' ').trim();
  const sources = [options.plan && '--plan', options.file && '--file', inline && 'a query argument'].filter(Boolean);
  if (sources.length === 0) throw new UserError('nothing to explain', 'give a query ("SELECT ..."), -f query.sql, or --plan plan.json');
  if (sources.length > 1) throw new UserError(`give one of a query, --file or --plan, not ${sources.join(' and ')}`);
  const connection = {
    url: options.database,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  };
  const hasDatabase = Boolean(options.database || io.env.DATABASE_URL || io.env.PGHOST || io.env.PGDATABASE);
  const rulesOptions = { config, only };

  let result: ExplainResult;
  if (options.plan) {
    if (options.snapshot && options.database) throw new UserError('give --snapshot or -d for the tables of the plan, not both');
    if (options.analyze === false || Object.keys(settings).length) throw new UserError('--no-analyze and --set apply to a query run here, not to a captured --plan');
    result = await explainPlanFile(resolve(io.cwd, options.plan), {
      ...rulesOptions,
      origin: options.plan,
      snapshot: options.snapshot ? readSnapshotFile(resolve(io.cwd, options.snapshot)) : null,
      connection: options.database ? connection : undefined,
      env: io.env,
    });
  } else {
    if (options.snapshot) throw new UserError('--snapshot goes with --plan: a query run here reads its tables from the server');
    if (!hasDatabase) throw new UserError('explain needs a database to run the query on', 'give -d postgres://user@host/db, or set DATABASE_URL');
    const origin = options.file ?? 'query';
    const sql = options.file ? readQueryFile(resolve(io.cwd, options.file), options.file) : inline;
    if (io.isTty && format === 'text') io.stderr(`pgarchitect: ${options.analyze === false ? 'planning' : 'running'} the query${options.analyze === false ? '' : ' (rolled back afterwards)'}…\n`);
    result = await explainQuery(sql, { ...rulesOptions, connection, env: io.env, analyze: options.analyze ?? true, settings, origin, verify: options.verify ?? true });
  }

  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = format === 'json' ? formatExplainJson(result) : format === 'html' ? formatExplainHtml(result) : formatExplainText(result, { color });
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** `work_mem=64MB` pairs into settings. */
function parseSettings(pairs: readonly string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/.exec(pair.trim());
    if (!match) throw new UserError(`--set: "${pair}" is not name=value`, 'for example --set work_mem=64MB');
    settings[match[1]!] = match[2]!;
  }
  return settings;
}

function readQueryFile(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${name}: no such file`);
    throw new UserError(`${name}: cannot read: ${(error as Error).message}`);
  }
}
