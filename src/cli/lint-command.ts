/** `pgarchitect lint`: the CLI layer over `lint()`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { readBaseline } from '../baseline.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import { loadConfigIfPresent } from '../config/config.js';
import { isConnectionUrl } from '../db/connection-config.js';
import type { Db } from '../db/db.js';
import { UserError } from '../errors.js';
import { SEVERITIES, severityRank, type Severity } from '../finding.js';
import { formatLintText } from '../lint/format-text.js';
import { lint, type LintSource } from '../lint/lint.js';
import { discoverSqlFiles } from '../load/discover.js';
import type { ConnectionLimits } from '../source.js';
import type { LintResult } from '../lint/lint-result.js';
import { formatSarif } from '../report/sarif.js';
import { lintRules } from '../rules/lint-rules.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { parseChoice, parseMs } from './options.js';

export const LINT_FORMATS = ['text', 'json', 'sarif'] as const;

export interface LintCommandOptions {
  /**
   * `--db <input>`: the schema for the schema-aware rules: .sql files or a migrations folder (loaded
   * into embedded PostgreSQL), a snapshot .json, or a postgres:// URL. Repeatable for several files.
   */
  db?: string | string[];
  /** `--from-pg-stat-statements [url]`: lint the live workload (true: DATABASE_URL / PG* variables). */
  fromPgStatStatements?: string | boolean;
  /** `--top <n>`: how many workload statements, by total execution time. */
  top?: string;
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
 * `lint <files...>` or `lint --from-pg-stat-statements [url]`: exit code 2 when a statement does not
 * parse, Postgres rejects one, or the schema does not load; 1 when a finding is at or above `--fail-on`;
 * else 0. With a schema from SQL files or a server, each statement is also checked with Postgres.
 */
export async function lintCommand(inputs: string[], options: LintCommandOptions, io: CliIo): Promise<number> {
  const format = parseChoice(options.format, LINT_FORMATS, '--format');
  const failOn = parseChoice(options.failOn, SEVERITIES, '--fail-on') as Severity;
  const config = await loadConfigIfPresent(async () => (await import('../rules/every-rule.js')).everyRule(), options.config, io.cwd);
  const only = options.rule?.flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  for (const id of only ?? []) {
    if (!lintRules.some((r) => r.meta.id === id)) throw new UserError(`--rule: unknown lint rule "${id}"`, 'run `pgarchitect rules` for the list (Lint rules)');
  }
  const workload = workloadServer(options, inputs, io);
  if (!workload) {
    if (options.top !== undefined) throw new UserError('--top applies to --from-pg-stat-statements');
    if (inputs.length === 0) throw new UserError('nothing to lint', 'give .sql files or folders of them, or --from-pg-stat-statements postgres://... for the live workload');
    if (inputs.some(isConnectionUrl)) throw new UserError('lint reads SQL files', 'give the database whose schema the rules should know with --db postgres://..., or lint its workload with --from-pg-stat-statements postgres://...');
  }
  const baseline = options.baseline ? readBaseline(resolve(io.cwd, options.baseline)) : undefined;
  const limits = {
    statementTimeoutMs: parseMs(options.statementTimeout, '--statement-timeout'),
    lockTimeoutMs: parseMs(options.lockTimeout, '--lock-timeout'),
  };

  const top = workload ? parseTop(options.top) : undefined;

  const schema = await loadSchema(options, limits, io);
  let result: LintResult;
  try {
    const checkWith = schema?.db && !schema.partial ? { db: schema.db, engine: schema.engine } : undefined;
    const lintOptions = { schema: schema?.snapshot, config, only, baseline, cwd: io.cwd };
    if (workload) {
      // Imported here: linting files without a schema does not load the drivers.
      const { lintPgStatStatements } = await import('../lint/pg-stat-statements-workload.js');
      if (io.isTty) io.stderr('pgarchitect: reading pg_stat_statements…\n');
      const check = schema ? checkWith !== undefined : true;
      result = await lintPgStatStatements({ ...lintOptions, connection: { ...workload, ...limits }, env: io.env, top, check, checkWith, onCheckProgress: progress(io) });
    } else if (checkWith) {
      // The same sources for lint and the check, so that both name the files alike.
      const sources = readSources(inputs.map((i) => resolve(io.cwd, i)), io.cwd);
      result = await lint(sources, lintOptions);
      const { checkWithPostgres, addPostgresCheck } = await import('../lint/check-with-postgres.js');
      addPostgresCheck(result, await checkWithPostgres(checkWith.db, sources, { onProgress: progress(io) }), checkWith.engine);
    } else {
      result = await lint(inputs.map((i) => resolve(io.cwd, i)), lintOptions);
    }
  } finally {
    await schema?.close();
  }
  if (schema) addSchema(result, schema);

  const color = options.color ?? (io.isTty && !options.output && !io.env.NO_COLOR);
  const text = formatLint(result, format, format === 'text' && color);
  if (options.output) writeFileSync(resolve(io.cwd, options.output), text);
  else io.stdout(text);
  if (result.errors.length > 0) return EXIT_USAGE;
  return result.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

/** The schema's load errors and notices first; and why the statements were not checked with Postgres, when they were not. */
function addSchema(result: LintResult, schema: LoadedSchema): void {
  result.errors.unshift(...schema.errors);
  result.notices.unshift(...schema.notices);
  result.partial ||= schema.partial;
  if (!schema.db) result.notices.push({ kind: 'info', message: 'statements not checked with Postgres: a snapshot .json has no engine to ask (give --db SQL files or a postgres:// URL for that)' });
  else if (schema.partial) result.notices.push({ kind: 'info', message: 'statements not checked with Postgres: the schema did not load completely (see the errors)' });
}

/** The server of `--from-pg-stat-statements`, or null without the flag. */
function workloadServer(options: LintCommandOptions, inputs: string[], io: CliIo): { url?: string } | null {
  const flag = options.fromPgStatStatements;
  if (flag === undefined || flag === false) return null;
  if (inputs.length > 0) throw new UserError('give SQL files or --from-pg-stat-statements, not both');
  if (typeof flag === 'string') {
    if (!isConnectionUrl(flag)) throw new UserError(`--from-pg-stat-statements: "${flag}" is not a postgres:// URL`, 'give the server as postgres://user@host/db, or no value for DATABASE_URL / the PG* variables');
    return { url: flag };
  }
  if (io.env.DATABASE_URL || io.env.PGHOST || io.env.PGDATABASE) return {};
  throw new UserError('--from-pg-stat-statements: which server?', 'give its postgres:// URL, or set DATABASE_URL (or the PG* variables)');
}

function parseTop(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UserError(`--top: "${value}" is not a positive whole number`);
  return Number(value);
}

/** A progress line on a terminal, for checks of many statements. */
function progress(io: CliIo): ((done: number, total: number) => void) | undefined {
  if (!io.isTty) return undefined;
  return (done, total) => {
    if (total < 50) return;
    if (done % 25 === 0 || done === total) io.stderr(`\rpgarchitect: checking statements with Postgres ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

/** The files as lint reads them: `.sql` files of the inputs, named relative to `cwd` when inside it. */
function readSources(paths: string[], cwd: string): LintSource[] {
  return discoverSqlFiles(paths).files.map((path) => {
    const rel = relative(cwd, path);
    const file = rel && !rel.startsWith('..') ? rel : path;
    try {
      return { file, text: readFileSync(path, 'utf8') };
    } catch (error) {
      throw new UserError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });
}

/** The report in one of `LINT_FORMATS`. */
export function formatLint(result: LintResult, format: (typeof LINT_FORMATS)[number], color: boolean): string {
  switch (format) {
    case 'text':
      return formatLintText(result, { color });
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'sarif':
      return formatSarif(result, lintRules);
  }
}

interface LoadedSchema {
  snapshot: CatalogSnapshot;
  errors: LintResult['errors'];
  notices: LintResult['notices'];
  partial: boolean;
  /** The engine the schema came from, still open (null for a snapshot .json), and its name in the report. */
  db: Db | null;
  engine: string;
  close(): Promise<void>;
}

async function loadSchema(options: LintCommandOptions, limits: ConnectionLimits, io: CliIo): Promise<LoadedSchema | null> {
  const db = options.db === undefined ? [] : Array.isArray(options.db) ? options.db : [options.db];
  if (db.length === 0) return null;
  if (io.isTty) io.stderr('pgarchitect: reading the schema…\n');
  // Imported here: linting without a schema does not load the drivers and the embedded engine.
  const { resolveSource, openSource } = await import('../source.js');
  const spec = resolveSource(db.map((d) => (isConnectionUrl(d) ? d : resolve(io.cwd, d))), io.env);
  const loaded = await openSource(spec, limits);
  // Schema files are loaded with absolute paths: show them relative to where the user stands.
  const rel = (p: string): string => (p.startsWith(io.cwd + '/') ? p.slice(io.cwd.length + 1) : p);
  loaded.snapshot.source.description = loaded.snapshot.source.description.split(', ').map(rel).join(', ');
  return {
    snapshot: loaded.snapshot,
    errors: loaded.errors.map((e) => ({ ...e, file: rel(e.file) })),
    notices: loaded.notices.map((n) => (n.file ? { ...n, file: rel(n.file) } : n)),
    partial: loaded.partial,
    db: loaded.db,
    engine: loaded.sourceKind === 'files' ? 'embedded PostgreSQL (PGlite)' : loaded.snapshot.source.description,
    close: () => loaded.close(),
  };
}
