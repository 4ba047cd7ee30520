/**
 * `lint`: finds query anti-patterns in SQL statements with the real PostgreSQL parser, no database
 * needed; given a schema, the schema-aware rules also look tables, columns and indexes up.
 *
 * The work is the engine's (lint-engine.ts): one parse per file (or per chunk of a large file) and
 * one walk per statement. `lint` also spreads a large input over worker threads (parallel-lint.ts);
 * the result is the same as on one thread.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { CatalogSnapshot } from '../catalog/types.js';
import type { Config } from '../config/config.js';
import { UserError } from '../errors.js';
import { discoverSqlFiles } from '../load/discover.js';
import type { AnyQueryRule } from '../rules/query-rule.js';
import { ensureParser } from '../sql/parser.js';
import { LintEngine, NO_SCHEMA_REASON } from './lint-engine.js';
import type { LintResult, LintSchemaInfo } from './lint-result.js';
import { threadCount } from './lint-threads.js';
import { startParallelLint, type NamedSource } from './parallel-lint.js';

export { NO_SCHEMA_REASON };

/** SQL given as text rather than as a file. */
export interface LintSource {
  text: string;
  /** How locations name it (default `<sql>`). */
  file?: string;
}

export interface LintOptions {
  /** The schema for the schema-aware rules; without it they are listed in `skipped`. */
  schema?: CatalogSnapshot;
  config?: Config;
  /** Run only these rules (ids). */
  only?: readonly string[];
  /** Fingerprints of findings to leave out (a previous run's JSON). */
  baseline?: ReadonlySet<string>;
  /** The rules to run (default: every lint rule). */
  rules?: readonly AnyQueryRule[];
  /** Files are named relative to this folder in locations (default: the working directory). */
  cwd?: string;
  /**
   * Threads `lint` may use for a large input (default: `PGARCHITECT_THREADS` from the environment,
   * else the available parallelism up to 4); 1 lints on the calling thread only. A worker thread is
   * started per 2 MB of SQL, and not for rules other than the built-in ones. `lintSources` always
   * uses the calling thread only.
   */
  threads?: number;
}

/**
 * Lints SQL files and folders (`.sql` files, found as `review` finds them), or SQL text. Reads the
 * files; everything else is synchronous (see `lintSources`).
 */
export async function lint(input: readonly string[] | LintSource | readonly LintSource[], options: LintOptions = {}): Promise<LintResult> {
  const sources = named(toSources(input, options.cwd ?? process.cwd()));
  // Workers first: their start-up overlaps with loading the parser here.
  const parallel = startParallelLint(sources, options, threadCount(options.threads));
  await ensureParser();
  const engine = (await parallel?.finish())?.engine ?? lintOnThisThread(sources, options);
  return engine.result(sources.map((s) => s.file), schemaInfo(options.schema));
}

/** Lints sources already read, on the calling thread. Requires `ensureParser()` to have completed. */
export function lintSources(sources: readonly LintSource[], options: LintOptions = {}): LintResult {
  const namedSources = named(sources);
  return lintOnThisThread(namedSources, options).result(namedSources.map((s) => s.file), schemaInfo(options.schema));
}

function lintOnThisThread(sources: readonly NamedSource[], options: LintOptions): LintEngine {
  const engine = new LintEngine(options);
  for (const source of sources) engine.lintText(source.file, source.text);
  return engine;
}

function named(sources: readonly LintSource[]): NamedSource[] {
  return sources.map((source) => ({ file: source.file ?? '<sql>', text: source.text }));
}

function toSources(input: readonly string[] | LintSource | readonly LintSource[], cwd: string): LintSource[] {
  if (!Array.isArray(input)) return [input as LintSource];
  if (input.every((i) => typeof i !== 'string')) return [...(input as readonly LintSource[])];
  const paths = input as readonly string[];
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

function schemaInfo(schema: CatalogSnapshot | undefined): LintSchemaInfo | null {
  if (!schema) return null;
  return {
    kind: schema.source.kind,
    description: schema.source.description,
    database: schema.source.database,
    serverVersion: schema.server.version,
    serverVersionNum: schema.server.versionNum,
  };
}
