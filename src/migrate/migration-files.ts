/**
 * A migrations folder read for the runner: every file named, checksummed and parsed with the real
 * parser before anything runs. Names are read by `load/discover.ts` (the same patterns the review
 * orders files by); this module pairs up and down files, and refuses duplicate versions, unknown
 * names, unparsable SQL, transaction control the runner owns, and (when asked) gaps.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { UserError } from '../errors.js';
import { compareMigrationVersions, listSqlFiles, parseMigrationFileName, type MigrationFileName } from '../load/discover.js';
import { ensureParser } from '../sql/parser.js';
import { lineLocator, splitStatementsSync, SqlSyntaxError, type SqlStatement } from '../sql/split-statements.js';
import { transactionControlKind } from './transaction-safety.js';

/** Repeatable migrations run in the order of their names, as the review loads them. */
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The layout of a migrations folder; `empty` when it holds no migration yet. */
export type MigrationFolderLayout = 'flyway' | 'golang-migrate' | 'empty';

/** One SQL file of a migration, read and parsed. */
export interface MigrationScript {
  /** Absolute path. */
  path: string;
  /** The file name, as recorded in the history table. */
  file: string;
  /** The path as shown to the user (relative to the working directory when inside it). */
  display: string;
  text: string;
  /** SHA-256 of the text (byte-order mark dropped, CRLF read as LF), hex. */
  checksum: string;
  /** The statements to run, in order; an enclosing BEGIN … COMMIT of the file is left out (the runner owns the transaction). */
  statements: SqlStatement[];
  /** True when the file wrapped itself in BEGIN … COMMIT (golang-migrate files often do). */
  ownTransaction: boolean;
  /** 1-based line and column of a character offset in `text`. */
  locate(offset: number): { line: number; column: number };
}

/** A versioned migration: its up script and, when there is one, its down (undo) script. */
export interface VersionedMigration {
  /** Normalised version: numbers joined by dots (`0003` is `3`, `1_1` is `1.1`). */
  version: string;
  versionParts: bigint[];
  description: string;
  up: MigrationScript;
  /** golang-migrate `.down.sql` or Flyway `U<version>__….sql`. */
  down: MigrationScript | null;
}

/** A Flyway repeatable migration (`R__….sql`): applied again whenever its checksum changes. */
export interface RepeatableMigration {
  description: string;
  script: MigrationScript;
}

export interface MigrationFolder {
  /** Absolute path. */
  dir: string;
  display: string;
  layout: MigrationFolderLayout;
  /** In version order. */
  versioned: VersionedMigration[];
  /** In name order. */
  repeatable: RepeatableMigration[];
}

/** One thing wrong with the files, at a place in one of them. */
export interface MigrationFileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** The files cannot be run as they are: every problem found, each on its own line (exit code 2). */
export class MigrationFilesError extends UserError {
  constructor(readonly problems: MigrationFileProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'), 'nothing was run: fix the files first');
  }
}

/** A migration file's name, read but not its contents. */
export interface NamedMigrationFile extends MigrationFileName {
  path: string;
  display: string;
}

/** The names of a folder's migration files, grouped by layout, with the problems names alone show. */
export interface ScannedFolder {
  layout: MigrationFolderLayout;
  files: NamedMigrationFile[];
  problems: MigrationFileProblem[];
}

export interface ReadMigrationFolderOptions {
  /** For paths in messages (default the process's working directory). */
  cwd?: string;
  /** Refuse gaps between versions (1, 2, 4: 3 is missing). */
  noGaps?: boolean;
}

/** Lists and names the files of `dir` without reading them: enough for `migrate new`. */
export function scanMigrationFolder(dir: string, cwd = process.cwd()): ScannedFolder {
  const problems: MigrationFileProblem[] = [];
  const named: NamedMigrationFile[] = [];
  const paths = existsSync(dir) ? listSqlFiles(dir).sort() : [];
  for (const path of paths) {
    const display = displayPath(path, cwd);
    const name = parseMigrationFileName(basename(path));
    if (name) named.push({ ...name, path, display });
    else problems.push(atFile(display, 'not a migration file name: expected V<version>__<description>.sql, R__<description>.sql or U<version>__<description>.sql (Flyway), or <version>_<description>.up.sql and .down.sql (golang-migrate)'));
  }
  const flyway = named.filter((f) => f.layout === 'flyway').length;
  const golang = named.length - flyway;
  const layout: MigrationFolderLayout = named.length === 0 ? 'empty' : flyway >= golang ? 'flyway' : 'golang-migrate';
  const files: NamedMigrationFile[] = [];
  for (const file of named) {
    if (file.layout === layout) files.push(file);
    else problems.push(atFile(file.display, `a ${file.layout} name in a folder of ${layout === 'flyway' ? 'Flyway' : 'golang-migrate'} migrations: use one layout`));
  }
  return { layout, files, problems };
}

/**
 * Reads, checksums and parses every migration of `dir`. Throws MigrationFilesError listing every
 * problem (nothing may run), or UserError when the folder does not exist.
 */
export async function readMigrationFolder(dir: string, options: ReadMigrationFolderOptions = {}): Promise<MigrationFolder> {
  const cwd = options.cwd ?? process.cwd();
  const display = displayPath(dir, cwd) || '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UserError(`${display}: no such migrations folder`, 'give --dir, or create the first migration with `pgarchitect migrate new <name>`');
  }
  await ensureParser();
  const scanned = scanMigrationFolder(dir, cwd);
  const problems = [...scanned.problems];

  const ups = new Map<string, { name: NamedMigrationFile; script: MigrationScript }>();
  const downs = new Map<string, { name: NamedMigrationFile; script: MigrationScript }>();
  const repeatables = new Map<string, RepeatableMigration>();
  for (const name of scanned.files) {
    const script = readScript(name, problems);
    if (name.kind === 'repeatable') {
      const key = name.description.toLowerCase();
      const other = repeatables.get(key);
      if (other) problems.push(atFile(name.display, `repeatable migration "${name.description}" is also ${other.script.display}`));
      else repeatables.set(key, { description: name.description, script });
      continue;
    }
    const version = normaliseVersion(name.versionParts);
    const map = name.kind === 'versioned' || name.kind === 'up' ? ups : downs;
    const other = map.get(version);
    const role = name.kind === 'down' || name.kind === 'undo' ? `${name.kind} file` : 'migration';
    if (other) problems.push(atFile(name.display, `duplicate version ${version}: ${other.name.display} is the ${role} of that version too`));
    else map.set(version, { name, script });
  }

  const versioned: VersionedMigration[] = [];
  for (const [version, up] of ups) {
    versioned.push({ version, versionParts: up.name.versionParts, description: up.name.description, up: up.script, down: downs.get(version)?.script ?? null });
  }
  for (const [version, down] of downs) {
    if (!ups.has(version)) problems.push(atFile(down.name.display, `no migration of version ${version} for this ${down.name.kind === 'undo' ? 'undo' : 'down'} file to undo`));
  }
  versioned.sort((a, b) => compareMigrationVersions(a.versionParts, b.versionParts));
  if (options.noGaps) problems.push(...gapProblems(versioned));
  if (problems.length > 0) throw new MigrationFilesError(problems.sort(byPlace));
  const repeatable = [...repeatables.values()].sort((a, b) => natural.compare(a.script.file, b.script.file));
  return { dir, display, layout: scanned.layout, versioned, repeatable };
}

/** `[1n, 1n]` → `1.1`; `[3n]` (from `0003`) → `3`; `[1n, 0n]` → `1` (the same version as Flyway sees it). */
export function normaliseVersion(parts: readonly bigint[]): string {
  const kept = [...parts];
  while (kept.length > 1 && kept[kept.length - 1] === 0n) kept.pop();
  return kept.map(String).join('.');
}

/** Reads a version given on the command line (`3`, `0003`, `1.1`, `1_1`). */
export function parseVersion(text: string, flag: string): bigint[] {
  if (!/^\d+(?:[._]\d+)*$/.test(text.trim())) throw new UserError(`${flag}: "${text}" is not a version`, 'versions are numbers, with dots for Flyway sub-versions: 3, 0003, 1.1');
  return text.trim().split(/[._]/).map((part) => BigInt(part));
}

/** SHA-256 of a script, insensitive to a byte-order mark and to CRLF line ends (git autocrlf). */
export function scriptChecksum(text: string): string {
  return createHash('sha256').update(text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n')).digest('hex');
}

function readScript(name: NamedMigrationFile, problems: MigrationFileProblem[]): MigrationScript {
  let raw: string;
  try {
    raw = readFileSync(name.path, 'utf8');
  } catch (error) {
    throw new UserError(`${name.display}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const text = raw.replace(/^\uFEFF/, '');
  const locate = lineLocator(text);
  const script: MigrationScript = { path: name.path, file: basename(name.path), display: name.display, text, checksum: scriptChecksum(raw), statements: [], ownTransaction: false, locate };
  let statements: SqlStatement[];
  try {
    statements = splitStatementsSync(text);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    problems.push({ file: name.display, ...locate(error.offset), message: `${error.message} (SQLSTATE 42601)` });
    return script;
  }
  const first = statements[0] ? transactionControlKind(statements[0].node) : null;
  const last = statements.length > 1 ? transactionControlKind(statements[statements.length - 1]!.node) : null;
  if ((first === 'BEGIN' || first === 'START') && last === 'COMMIT') {
    statements = statements.slice(1, -1);
    script.ownTransaction = true;
  }
  for (const statement of statements) {
    const kind = transactionControlKind(statement.node);
    if (kind && !['SAVEPOINT', 'RELEASE', 'ROLLBACK_TO'].includes(kind)) {
      problems.push({
        file: name.display,
        ...locate(statement.offset),
        message: `${kind.replace('_', ' ')} inside a migration: pgarchitect runs each migration in its own transaction (a file may only wrap all of itself in BEGIN … COMMIT)`,
      });
    }
  }
  script.statements = statements;
  return script;
}

function gapProblems(versioned: readonly VersionedMigration[]): MigrationFileProblem[] {
  const problems: MigrationFileProblem[] = [];
  for (let i = 1; i < versioned.length; i++) {
    const previous = versioned[i - 1]!.versionParts[0]!;
    const current = versioned[i]!.versionParts[0]!;
    if (current > previous + 1n) {
      const missing = current - previous === 2n ? `version ${previous + 1n} is` : `versions ${previous + 1n} to ${current - 1n} are`;
      problems.push(atFile(versioned[i]!.up.display, `gap before version ${versioned[i]!.version}: ${missing} missing (gaps are refused by --no-gaps or "noGaps" in the configuration)`));
    }
  }
  return problems;
}

function atFile(file: string, message: string): MigrationFileProblem {
  return { file, line: 1, column: 1, message };
}

function byPlace(a: MigrationFileProblem, b: MigrationFileProblem): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column;
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
