/** `pgarchitect lint`: the CLI layer over `lint()`. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readBaseline } from '../baseline.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import { loadConfig } from '../config/config.js';
import { isConnectionUrl } from '../db/connection-config.js';
import { UserError } from '../errors.js';
import { SEVERITIES, severityRank, type Severity } from '../finding.js';
import { formatLintText } from '../lint/format-text.js';
import { lint } from '../lint/lint.js';
import type { LintResult } from '../lint/lint-result.js';
import { formatSarif } from '../report/sarif.js';
import { everyRule } from '../rules/every-rule.js';
import { queryRules } from '../rules/query/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const LINT_FORMATS = ['text', 'json', 'sarif'] as const;

export interface LintCommandOptions {
  /**
   * `--db <input>`: the schema for the schema-aware rules: .sql files or a migrations folder (loaded
   * into embedded PostgreSQL), a snapshot .json, or a postgres:// URL. Repeatable for several files.
   */
  db?: string | string[];
  format: string;
  output?: string;
  failOn: string;
  config?: string;
  baseline?: string;
  rule?: string[];
  statementTimeout?: string;
  lockTimeout?: string;
  color?: boolean;
}

/**
 * `lint <files...>`: exit code 2 when a statement does not parse (or the schema does not load), 1
 * when a finding is at or above `--fail-on`, else 0.
 */
export async function lintCommand(inputs: string[], options: LintCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, LINT_FORMATS, '--format');
  const failOn = parseChoice(options.failOn, SEVERITIES, '--fail-on') as Severity;
  const config = loadConfig(everyRule(), options.config, io.cwd);
  const only = options.rule?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const id of only ?? []) {
    if (!queryRules.some((r) => r.meta.id === id)) throw new UserError(`--rule: unknown lint rule "${id}"`, 'run `pgarchitect rules` for the list (Lint rules)');
  }
  if (inputs.length === 0) throw new UserError('nothing to lint', 'give .sql files or folders of them');
  if (inputs.some(isConnectionUrl)) throw new UserError('lint reads SQL files', 'give the database whose schema the rules should know with --db postgres://...');
  const baseline = options.baseline ? readBaseline(resolve(io.cwd, options.baseline)) : undefined;

  const schema = await loadSchema(options, io);
  const result = await lint(
    inputs.map((i) => resolve(io.cwd, i)),
    { schema: schema?.snapshot, config, only, baseline, cwd: io.cwd },
  );
  if (schema) {
    result.errors.unshift(...schema.errors);
    result.notices.unshift(...schema.notices);
    result.partial ||= schema.partial;
  }

  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = formatLint(result, format, format === 'text' && color);
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  if (result.errors.length > 0) return EXIT_USAGE;
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** The report in one of `LINT_FORMATS`. */
export function formatLint(result: LintResult, format: (typeof LINT_FORMATS)[number], color: boolean): string {
  switch (format) {
    case 'text':
      return formatLintText(result, { color });
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'sarif':
      return formatSarif(result, queryRules);
  }
}

interface LoadedSchema {
  snapshot: CatalogSnapshot;
  errors: LintResult['errors'];
  notices: LintResult['notices'];
  partial: boolean;
}

async function loadSchema(options: LintCommandOptions, io: CliIo): Promise<LoadedSchema | null> {
  const db = options.db === undefined ? [] : Array.isArray(options.db) ? options.db : [options.db];
  if (db.length === 0) return null;
  if (io.isTty) io.stderr('pgarchitect: reading the schema…\n');
  // Imported here: linting without a schema does not load the drivers and the embedded engine.
  const { resolveSource, snapshotFromSource } = await import('../source.js');
  const spec = resolveSource(db.map((d) => (isConnectionUrl(d) ? d : resolve(io.cwd, d))), io.env);
  const loaded = await snapshotFromSource(spec, {
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  });
  // Schema files are loaded with absolute paths: show them relative to where the user stands.
  const rel = (p: string): string => (p.startsWith(io.cwd + '/') ? p.slice(io.cwd.length + 1) : p);
  loaded.snapshot.source.description = loaded.snapshot.source.description.split(', ').map(rel).join(', ');
  return {
    snapshot: loaded.snapshot,
    errors: loaded.errors.map((e) => ({ ...e, file: rel(e.file) })),
    notices: loaded.notices.map((n) => (n.file ? { ...n, file: rel(n.file) } : n)),
    partial: loaded.partial,
  };
}
