/** `pgarchitect review`: the CLI layer over `review()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readBaseline } from '../baseline.js';
import { loadConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { SEVERITIES, type Severity } from '../finding.js';
import { fixScript } from '../fix-script.js';
import { FORMATS, formatResult, type Format } from '../report/index.js';
import { hasFindingsAtOrAbove, review } from '../review.js';
import { allRules } from '../rules/index.js';
import { everyRule } from '../rules/every-rule.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { resolveSource } from '../source.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export interface ReviewCommandOptions {
  format: string;
  output?: string;
  failOn: string;
  config?: string;
  baseline?: string;
  fixSql?: string;
  unsafeFixes?: boolean;
  rule?: string[];
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

export async function reviewCommand(inputs: string[], options: ReviewCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, FORMATS, '--format') as Format;
  const failOn = parseChoice(options.failOn, SEVERITIES, '--fail-on') as Severity;
  const config = loadConfig(everyRule(), options.config, io.cwd);
  const only = options.rule?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const id of only ?? []) {
    if (!allRules.some((r) => r.meta.id === id)) throw new UserError(`--rule: unknown rule "${id}"`, 'run `pgarchitect rules` for the list');
  }
  const baseline = options.baseline ? readBaseline(resolve(io.cwd, options.baseline)) : undefined;
  if (io.isTty && format === 'text') io.stderr('pgarchitect: reading the schema…\n');
  const spec = resolveSource(inputs.map((i) => (isConnectionUrl(i) ? i : resolve(io.cwd, i))), io.env);
  const result = await review(spec, {
    config,
    baseline,
    only,
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  relativisePaths(result, io.cwd);
  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = formatResult(result, format, { color: format === 'text' && color, rules: allRules });
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  if (options.fixSql) {
    writeFileSync(resolve(io.cwd, options.fixSql), fixScript(result, { includeUnsafe: options.unsafeFixes }));
    const count = result.findings.filter((f) => f.fix && (f.fix.safeOnline || options.unsafeFixes)).length;
    io.stderr(`pgarchitect: wrote ${count} fix${count === 1 ? '' : 'es'} to ${options.fixSql}\n`);
  }
  if (result.errors.length > 0) return EXIT_USAGE;
  return hasFindingsAtOrAbove(result, failOn) ? EXIT_FINDINGS : EXIT_OK;
}

/** Inputs were made absolute for loading; show them relative to where the user stands. */
function relativisePaths(result: Awaited<ReturnType<typeof review>>, cwd: string): void {
  const rel = (p: string): string => (p.startsWith(cwd + '/') ? p.slice(cwd.length + 1) : p);
  result.source.description = result.source.description.split(', ').map(rel).join(', ');
  for (const e of result.errors) e.file = rel(e.file);
  for (const n of result.notices) if (n.file) n.file = rel(n.file);
  for (const f of result.findings) if (f.location) f.location = { ...f.location, file: rel(f.location.file) };
}

