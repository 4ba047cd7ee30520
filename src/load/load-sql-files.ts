/**
 * Loads SQL files into embedded PostgreSQL (PGlite) one statement at a time, in migration order, and
 * records where each object was defined and which `-- pgarchitect-ignore` comments apply to it.
 *
 * Postgres itself judges every statement. The first statement it rejects (or the parser cannot read)
 * stops loading: the error is reported with file:line:column and SQLSTATE, and the review runs on what
 * loaded, marked partial. Extensions PGlite does not ship are reported, and statements that fail for
 * want of them are skipped and named rather than stopping the load.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { SourceLocation } from '../catalog/types.js';
import { postgresErrorInfo } from '../db/db.js';
import { EmbeddedDb } from '../db/embedded-db.js';
import { isExtensionAvailableEmbedded } from '../db/pglite-extensions.js';
import { UserError } from '../errors.js';
import type { LoadError, Notice } from '../result.js';
import { lineColumnOf, lineLocator, splitStatementsSync, SqlSyntaxError, type SqlStatement } from '../sql/split-statements.js';
import { ensureParser } from '../sql/parser.js';
import { discoverSqlFiles, type MigrationLayout } from './discover.js';
import { explainLoadError } from './explain-load-error.js';
import { definedObjects } from './defined-objects.js';

export interface LoadedSql {
  db: EmbeddedDb;
  files: string[];
  layout: MigrationLayout;
  statementsRun: number;
  errors: LoadError[];
  notices: Notice[];
  /** True when loading stopped early or statements were skipped. */
  partial: boolean;
  definedAt: Record<string, SourceLocation>;
  ignores: Record<string, string[]>;
}

interface ParsedFile {
  path: string;
  /** Path as shown to the user (relative to the working directory when inside it). */
  display: string;
  text: string;
  statements: SqlStatement[];
  syntaxError: LoadError | null;
}

const IGNORE_DIRECTIVE = /--\s*pgarchitect-ignore\b[ \t]*([^\n]*)/g;

/** SQLSTATEs that mean "something this statement needs does not exist". */
const MISSING_DEPENDENCY = new Set(['42704', '42883', '42P01', '3F000', '42501']);

export async function loadSqlFiles(inputs: readonly string[], cwd = process.cwd()): Promise<LoadedSql> {
  await ensureParser();
  const discovered = discoverSqlFiles(inputs);
  const parsed: ParsedFile[] = [];
  for (const path of discovered.files) {
    const file = parseFile(path, cwd);
    parsed.push(file);
    if (file.syntaxError) break;
  }

  const wanted = new Set<string>();
  for (const file of parsed) {
    for (const s of file.statements) {
      const ext = s.node.CreateExtensionStmt as { extname?: string } | undefined;
      if (ext?.extname) wanted.add(ext.extname);
    }
  }
  const db = await EmbeddedDb.create([...wanted]);

  const result: LoadedSql = {
    db,
    files: parsed.map((f) => f.display),
    layout: discovered.layout,
    statementsRun: 0,
    errors: [],
    notices: [],
    partial: false,
    definedAt: {},
    ignores: {},
  };
  for (const ignoredFile of discovered.ignored) {
    result.notices.push({ kind: 'info', message: `not applied: ${displayPath(ignoredFile, cwd)} (down or undo migration)` });
  }

  const missingExtensions: string[] = [];
  let currentSchema = 'public';
  loading: for (const file of parsed) {
    const locate = lineLocator(file.text);
    for (const statement of file.statements) {
      const where = (offset: number): SourceLocation => ({ file: file.display, ...locate(offset) });
      const ext = statement.node.CreateExtensionStmt as { extname?: string } | undefined;
      if (ext?.extname && !isExtensionAvailableEmbedded(ext.extname)) {
        missingExtensions.push(ext.extname);
        result.partial = true;
        result.notices.push({
          kind: 'extension-unavailable',
          message: `extension "${ext.extname}" is not available in embedded PostgreSQL (PGlite); objects that need it are not loaded. Review a live server to cover them.`,
          ...where(statement.offset),
        });
        continue;
      }
      try {
        await db.exec(statement.text);
        result.statementsRun++;
      } catch (error) {
        const info = postgresErrorInfo(error);
        if (!info) throw error;
        const objects = definedObjects(statement.node, currentSchema).map((o) => o.key);
        if (missingExtensions.length > 0 && MISSING_DEPENDENCY.has(info.sqlstate)) {
          result.notices.push({
            kind: 'statement-skipped',
            message: `not loaded${objects.length ? ` (${objects.join(', ')})` : ''}: ${info.message}; it probably needs extension ${missingExtensions.map((e) => `"${e}"`).join(' or ')}`,
            ...where(statement.offset),
          });
          continue;
        }
        const offset = info.position ? statement.offset + info.position - 1 : statement.offset;
        const explained = explainLoadError(info);
        result.errors.push({
          ...where(offset),
          sqlstate: info.sqlstate,
          message: info.message,
          ...(info.detail ? { detail: info.detail } : {}),
          ...(info.hint ? { hint: info.hint } : {}),
          ...(explained ?? {}),
        });
        break loading;
      }
      if (isSearchPathChange(statement.node)) {
        const rows = await db.query<{ schema: string | null }>('SELECT current_schema() AS schema');
        currentSchema = rows[0]?.schema ?? currentSchema;
      }
      await recordObjects(db, statement, currentSchema, where(statement.offset), result);
    }
    if (file.syntaxError) {
      result.errors.push(file.syntaxError);
      break;
    }
  }
  if (result.errors.length > 0) result.partial = true;
  return result;
}

function parseFile(path: string, cwd: string): ParsedFile {
  const display = displayPath(path, cwd);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`${display}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return { path, display, text, statements: splitStatementsSync(text), syntaxError: null };
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    // Load what precedes the error: parse the text up to the statement that holds it.
    const statements = statementsBefore(text, error.offset);
    const info = { sqlstate: '42601', message: error.message };
    return {
      path,
      display,
      text,
      statements,
      syntaxError: { file: display, ...lineColumnOf(text, error.offset), ...info, ...(explainLoadError(info) ?? {}) },
    };
  }
}

/** The complete statements that end before `offset` (the position of a syntax error). */
function statementsBefore(text: string, offset: number): SqlStatement[] {
  const lastSemicolon = text.lastIndexOf(';', offset);
  if (lastSemicolon < 0) return [];
  try {
    return splitStatementsSync(text.slice(0, lastSemicolon + 1));
  } catch {
    return [];
  }
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function isSearchPathChange(node: Record<string, unknown>): boolean {
  const set = node.VariableSetStmt as { name?: string } | undefined;
  return set?.name === 'search_path';
}

async function recordObjects(db: EmbeddedDb, statement: SqlStatement, schema: string, location: SourceLocation, result: LoadedSql): Promise<void> {
  const objects = definedObjects(statement.node, schema);
  const index = statement.node.IndexStmt as { idxname?: string } | undefined;
  if (index && !index.idxname) {
    // An unnamed index gets its name from Postgres: ask for the newest index.
    const rows = await db.query<{ key: string }>(
      `SELECT n.nspname || '.' || c.relname AS key FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('i', 'I') ORDER BY c.oid DESC LIMIT 1`,
    );
    if (rows[0]) objects.push({ key: rows[0].key });
  }
  const ignored = ignoreDirectives(statement.leading);
  for (const { key } of objects) {
    result.definedAt[key] ??= location;
    if (ignored.length) result.ignores[key] = [...new Set([...(result.ignores[key] ?? []), ...ignored])];
  }
}

/** Rule ids named by `-- pgarchitect-ignore a, b: reason` comments in the text just before a statement; `*` when none are named. */
export function ignoreDirectives(leading: string): string[] {
  const rules: string[] = [];
  for (const match of leading.matchAll(IGNORE_DIRECTIVE)) {
    // Anything after a colon or a second `--` is the reason, not rule ids.
    const list = match[1]!.split(/:|--/)[0]!;
    const names = list.split(/[\s,]+/).map((s) => s.trim()).filter((s) => /^[a-z][a-z0-9-]*$/.test(s));
    rules.push(...(names.length ? names : ['*']));
  }
  return rules;
}
