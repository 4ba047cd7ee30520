/**
 * `backup verify`: the restore drill. Checks every file of the backup against the manifest (size,
 * sha256), restores it with pg_restore into a scratch database (temporary name, dropped at the end, on
 * failure and when stopped), compares every table's row count and content checksum, the sequences and
 * the large objects with the manifest, runs amcheck's bt_index_check on the B-tree indexes, and
 * measures the restore time. A damaged file fails the drill naming the file and the table it holds.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LiveConnectionOptions } from '../db/connection-config.js';
import { postgresErrorInfo } from '../db/db.js';
import type { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import type { ObjectRef } from '../finding.js';
import { formatBytes } from '../tune/size.js';
import { VERSION } from '../version.js';
import { CheckList } from './check-list.js';
import { childEnvironment } from '../db/child-connection.js';
import { DRILL_FILE, writeDrillRecord } from './drill-record.js';
import { fileRole, listFiles } from './dump-files.js';
import { MANIFEST_FILE, readManifest, sha256File, type BackupManifest } from './manifest.js';
import { findPgTool, majorOf } from './pg-tools.js';
import { clusterTarget, createScratchDatabase, dropDatabase, serverTarget, temporaryDatabaseName, type RestoreTarget } from './restore-target.js';
import { BACKUP_RESULT_SCHEMA_VERSION, type BackupVerifyResult, type TableVerification } from './result.js';
import { runProgram } from './run-program.js';
import { ident, readDatabaseContent, setContentSettings, type DatabaseContent } from './table-contents.js';

export interface VerifyBackupOptions {
  /** The backup folder (written by createBackup). */
  dir: string;
  /** A server to restore into; when absent, a temporary cluster is started (server programs needed). */
  target?: LiveConnectionOptions & { url: string };
  env?: NodeJS.ProcessEnv;
  /** Keep the restored database, renamed to the target URL's database (needs `target`). */
  keep?: boolean;
  /** Go on when the target URL's database exists (with keep: replace it once the restore is done). */
  force?: boolean;
  /** pg_restore --jobs (default 1). */
  jobs?: number;
  /** Stops pg_restore and drops the scratch database. */
  signal?: AbortSignal;
  onProgress?(line: string): void;
  /** Called when pg_restore has started, with its pid. */
  onRestoreStart?(pid: number): void;
}

const FILES = 'backup-files';
const RESTORE = 'backup-restore';
const TABLES = 'backup-table-contents';
const SEQUENCES = 'backup-sequences';
const LARGE_OBJECTS = 'backup-large-objects';
const AMCHECK = 'backup-amcheck';

/** Runs the drill. Throws a UserError for bad input (no manifest, target database exists); a failed drill is a result with ok false. */
export async function verifyBackup(options: VerifyBackupOptions): Promise<BackupVerifyResult> {
  const env = options.env ?? process.env;
  const dir = resolve(options.dir);
  const progress = options.onProgress ?? (() => undefined);
  const jobs = options.jobs ?? 1;
  if (options.keep && !options.target) throw new UserError('--keep needs --target: a temporary cluster is always removed', 'give --target postgres://…/name to keep the restored database as name');
  const manifest = readManifest(dir);
  const list = new CheckList();
  const notices: string[] = [];
  const databaseObject: ObjectRef = { type: 'database', name: manifest.database };

  await checkFiles(dir, manifest, list, databaseObject);
  const pgRestore = findPgTool('pg_restore', manifest.pgDump.major, `backup verify (the dump was written by pg_dump ${manifest.pgDump.major})`, env);
  const serverMajor = majorOf(manifest.server.versionNum);
  const target = options.target ? await serverTarget(options.target.url, manifest.database, env) : await clusterTarget(serverMajor, env, progress);
  const scratch = temporaryDatabaseName();
  let created = false;
  let keptAs: string | null = null;
  let restore: BackupVerifyResult['restore'] = null;
  let tables: TableVerification[] = [];
  try {
    if (target.keepAsExists && !options.force) {
      throw new UserError(`the target database ${target.keepAs} already exists on ${target.description}: refusing to restore over it`, '--force restores beside it (and with --keep replaces it once the restore succeeded); or name another database in --target');
    }
    if (majorOf(target.versionNum) < serverMajor) notices.push(`the target is PostgreSQL ${majorOf(target.versionNum)}, older than the backed-up server (${serverMajor}): objects may fail to restore for that reason alone.`);
    await createScratchDatabase(target, scratch, manifest.encoding);
    created = true;
    const dumpPath = join(dir, manifest.dump);
    const args = ['--no-password', '--no-owner', '--no-privileges', `--dbname=${scratch}`, `--jobs=${jobs}`, dumpPath];
    progress(`pg_restore ${pgRestore.major} (${pgRestore.path}) into ${scratch} on ${target.description}, ${jobs} job${jobs === 1 ? '' : 's'}`);
    const run = await runProgram(pgRestore.path, args, { env: childEnvironment(target.variables(scratch)), signal: options.signal, onStart: options.onRestoreStart });
    if (options.signal?.aborted) throw interrupted();
    const errors = restoreErrors(run.stderr);
    progress(`pg_restore finished in ${run.seconds.toFixed(1)} s${run.code === 0 ? '' : ` with exit code ${run.code}`}`);
    const restored = await target.connect(scratch);
    try {
      const [size] = await restored.query<{ bytes: number }>('SELECT pg_database_size(current_database())::float8 AS bytes');
      const databaseBytes = Number(size!.bytes);
      restore = { pgRestore: pgRestore.version, jobs, exitCode: run.code, seconds: round(run.seconds), databaseBytes, bytesPerSecond: Math.round(databaseBytes / Math.max(run.seconds, 0.001)), errors };
      list.ran(RESTORE, 'integrity', `pg_restore ${pgRestore.major} into a ${target.kind} (PostgreSQL ${target.version.split(' ')[0]}): ${restore.seconds} s for ${formatBytes(databaseBytes)} restored (${formatBytes(restore.bytesPerSecond)}/s)`);
      for (const error of errors.slice(0, 20)) {
        const table = tableOfRestoreError(error, manifest);
        list.report(RESTORE, 'integrity', {
          object: table ? { type: 'table', schema: table.schema, name: table.name } : databaseObject,
          severity: 'error',
          message: `pg_restore failed on part of the dump: ${error}${table ? ` (the rows of table ${table.schema}.${table.name}${table.dataFile ? `, in ${table.dataFile}` : ''})` : ''}`,
          evidence: { error, exitCode: run.code, table: table ? `${table.schema}.${table.name}` : null, dataFile: table?.dataFile ?? null },
          key: error,
        });
      }
      if (errors.length > 20) list.report(RESTORE, 'integrity', { object: databaseObject, severity: 'error', message: `pg_restore reported ${errors.length - 20} more errors`, evidence: { errors: errors.length }, key: 'more' });
      if (run.code !== 0 && errors.length === 0) {
        list.report(RESTORE, 'integrity', { object: databaseObject, severity: 'error', message: `pg_restore failed (${run.code === null ? `killed by ${run.signal}` : `exit code ${run.code}`})${run.stderr.trim() ? `: ${run.stderr.trim().split('\n').slice(-2).join(' ')}` : ''}: the database was not restored whole.`, evidence: { exitCode: run.code, signal: run.signal }, key: 'exit' });
      }

      progress('reading the restored tables (row counts and checksums)');
      await restored.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await setContentSettings(restored);
      const content = await readDatabaseContent(restored, (p) => {
        if (options.signal?.aborted) throw interrupted();
        progress(`checked ${p.done}/${p.total} tables (${p.table})`);
      });
      await restored.query('COMMIT');
      tables = compareTables(manifest, content, list);
      compareSequences(manifest, content, list);
      compareLargeObjects(manifest, content, list, databaseObject);
      if (options.signal?.aborted) throw interrupted();
      await runAmcheck(restored, list, progress, options.signal);
    } finally {
      await restored.close();
    }
    if (options.signal?.aborted) throw interrupted();

    const report = list.done();
    const ok = report.summary.error === 0;
    const recordProblem = writeDrillRecord(dir, {
      schemaVersion: 1,
      verifiedAt: new Date().toISOString(),
      ok,
      target: { kind: target.kind, version: target.version },
      restoreSeconds: restore.seconds,
      databaseBytes: restore.databaseBytes,
      dumpBytes: manifest.totalBytes,
      bytesPerSecond: restore.bytesPerSecond,
      jobs,
    });
    if (recordProblem) notices.push(recordProblem);
    if (options.keep && target.keepAs) {
      if (target.keepAsExists) {
        const problem = await dropDatabase(target, target.keepAs);
        if (problem) throw new UserError(`--keep: could not drop the existing database ${target.keepAs} to replace it: ${problem}`, `the restored copy was dropped`);
      }
      await target.admin.query(`ALTER DATABASE ${ident(scratch)} RENAME TO ${ident(target.keepAs)}`);
      keptAs = target.keepAs;
      created = false;
      notices.push(`the restored database is kept as ${target.keepAs} on ${target.description}${ok ? '' : ' (the drill failed: inspect it)'}.`);
    }
    return {
      schemaVersion: BACKUP_RESULT_SCHEMA_VERSION,
      tool: { name: 'pgarchitect', version: VERSION },
      ok,
      backup: { dir, database: manifest.database, createdAt: manifest.createdAt, format: manifest.format, serverVersion: manifest.server.version, files: manifest.files.length, totalBytes: manifest.totalBytes },
      target: { kind: target.kind, description: target.description, serverVersion: target.version, scratchDatabase: scratch, keptAs },
      restore,
      tables,
      ...report,
      notices,
    };
  } catch (error) {
    if (options.signal?.aborted && !(error instanceof UserError)) throw interrupted();
    throw error;
  } finally {
    if (created) {
      const problem = await dropDatabase(target, scratch);
      if (problem) notices.push(`the scratch database ${scratch} could not be dropped (${problem}): drop it by hand.`);
      else progress(`dropped the scratch database ${scratch}`);
    }
    await target.close();
  }
}

function interrupted(): UserError {
  return new UserError('backup verify was interrupted: pg_restore was stopped and the scratch database dropped');
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/** Sizes and sha256 of every file the manifest lists; files it does not list, besides its own. */
async function checkFiles(dir: string, manifest: BackupManifest, list: CheckList, databaseObject: ObjectRef): Promise<void> {
  const tableOfFile = new Map(manifest.tables.filter((t) => t.dataFile).map((t) => [t.dataFile!, `${t.schema}.${t.name}`]));
  const objectOf = (path: string): ObjectRef => {
    const table = manifest.tables.find((t) => t.dataFile === path);
    return table ? { type: 'table', schema: table.schema, name: table.name } : databaseObject;
  };
  for (const file of manifest.files) {
    const full = join(dir, ...file.path.split('/'));
    const role = fileRole(file.path, tableOfFile);
    const evidence = { file: file.path, holds: role, expectedBytes: file.bytes, expectedSha256: file.sha256 };
    if (!existsSync(full)) {
      list.report(FILES, 'integrity', { object: objectOf(file.path), severity: 'error', message: `File ${file.path} (${role}) is missing from the backup.`, evidence, key: file.path });
      continue;
    }
    const bytes = statSync(full).size;
    if (bytes !== file.bytes) {
      list.report(FILES, 'integrity', {
        object: objectOf(file.path),
        severity: 'error',
        message: `File ${file.path} (${role}) is ${bytes < file.bytes ? 'truncated' : 'longer than written'}: ${bytes} bytes, the manifest says ${file.bytes}.`,
        evidence: { ...evidence, bytes },
        key: file.path,
      });
      continue;
    }
    const sha256 = await sha256File(full);
    if (sha256 !== file.sha256) {
      list.report(FILES, 'integrity', { object: objectOf(file.path), severity: 'error', message: `File ${file.path} (${role}) is corrupted: its sha256 differs from the manifest's (same size, ${bytes} bytes).`, evidence: { ...evidence, sha256 }, key: file.path });
    }
  }
  const known = new Set([MANIFEST_FILE, DRILL_FILE, ...manifest.files.map((f) => f.path)]);
  const extra = listFiles(dir).filter((f) => !known.has(f) && !f.endsWith('.tmp'));
  for (const path of extra) {
    list.report(FILES, 'integrity', { object: databaseObject, severity: 'warning', message: `File ${path} is in the backup folder but not in the manifest: pg_restore may read it, nothing verified it.`, evidence: { file: path }, key: path });
  }
  list.ran(FILES, 'integrity', `${manifest.files.length} files, ${formatBytes(manifest.totalBytes)}: sizes and sha256 against the manifest`);
}

/** The error lines of pg_restore's stderr, each with the TOC entry it was processing when it says. */
export function restoreErrors(stderr: string): string[] {
  const errors: string[] = [];
  let entry: string | null = null;
  for (const raw of stderr.split('\n')) {
    const line = raw.replace(/^pg_restore:\s*/, '').trim();
    const toc = /^from TOC entry \d+; \d+ \d+ (.+?)\s*$/.exec(line);
    if (toc) {
      entry = toc[1]!;
      continue;
    }
    if (/^(error|fatal):/i.test(line) || /^ERROR: /.test(line)) {
      errors.push(`${line.replace(/^(error|fatal):\s*/i, '')}${entry ? ` (while restoring ${entry})` : ''}`);
      entry = null;
    }
  }
  return errors;
}

/**
 * The table an error line of pg_restore is about, when it says: a data file it names
 * (`could not open input file ".../3449.dat"`), a COPY that failed (`COPY failed for table "kinds"`),
 * or the TOC entry it was restoring (`while restoring TABLE DATA public kinds postgres`).
 */
export function tableOfRestoreError(error: string, manifest: BackupManifest): BackupManifest['tables'][number] | null {
  const byFile = manifest.tables.find((t) => {
    const base = t.dataFile?.split('/').pop()?.replace(/\.dat(\..*)?$/, '.dat');
    return base !== undefined && new RegExp(`[/"]${base.replace('.', '\\.')}(\\.\\w+)?\\b`).test(error);
  });
  if (byFile) return byFile;
  const copy = /COPY failed for table "((?:[^"]|"")+)"/.exec(error)?.[1]?.replace(/""/g, '"');
  const entry = /while restoring TABLE DATA (\S+) (.+) \S+\)$/.exec(error);
  const candidates = manifest.tables.filter((t) => (copy !== undefined && t.name === copy) || (entry !== null && t.schema === entry[1] && t.name === entry[2]));
  return candidates.length === 1 ? candidates[0]! : null;
}

function compareTables(manifest: BackupManifest, content: DatabaseContent, list: CheckList): TableVerification[] {
  const restored = new Map(content.tables.map((t) => [`${t.schema}\u0000${t.name}`, t]));
  const verified: TableVerification[] = [];
  let rows = 0;
  for (const table of manifest.tables) {
    rows += table.rows;
    const got = restored.get(`${table.schema}\u0000${table.name}`);
    restored.delete(`${table.schema}\u0000${table.name}`);
    const object: ObjectRef = { type: 'table', schema: table.schema, name: table.name };
    const file = table.dataFile ? ` (its rows are in ${table.dataFile})` : '';
    const evidence = { expectedRows: table.rows, expectedChecksum: table.checksum, dataFile: table.dataFile };
    if (!got) {
      list.report(TABLES, 'integrity', { object, severity: 'error', message: `Table ${table.schema}.${table.name} is missing from the restored database${file}.`, evidence });
      verified.push({ schema: table.schema, name: table.name, expectedRows: table.rows, restoredRows: null, checksumMatches: null, dataFile: table.dataFile, ok: false });
      continue;
    }
    const checksumMatches = got.checksum === table.checksum;
    if (got.rows !== table.rows) {
      list.report(TABLES, 'integrity', {
        object,
        severity: 'error',
        message: `Table ${table.schema}.${table.name} has ${got.rows.toLocaleString('en-US')} rows restored, the manifest says ${table.rows.toLocaleString('en-US')}${file}.`,
        evidence: { ...evidence, restoredRows: got.rows, restoredChecksum: got.checksum },
      });
    } else if (!checksumMatches) {
      list.report(TABLES, 'integrity', {
        object,
        severity: 'error',
        message: `Table ${table.schema}.${table.name} has the right number of rows (${table.rows.toLocaleString('en-US')}) but different contents: its checksum differs from the manifest's${file}.`,
        evidence: { ...evidence, restoredRows: got.rows, restoredChecksum: got.checksum },
      });
    }
    verified.push({ schema: table.schema, name: table.name, expectedRows: table.rows, restoredRows: got.rows, checksumMatches, dataFile: table.dataFile, ok: checksumMatches && got.rows === table.rows });
  }
  for (const extra of restored.values()) {
    list.report(TABLES, 'integrity', {
      object: { type: 'table', schema: extra.schema, name: extra.name },
      severity: 'warning',
      message: `Table ${extra.schema}.${extra.name} was restored but is not in the manifest (${extra.rows.toLocaleString('en-US')} rows): the dump and the manifest disagree.`,
      evidence: { restoredRows: extra.rows },
    });
  }
  list.ran(TABLES, 'integrity', `${manifest.tables.length} tables, ${rows.toLocaleString('en-US')} rows: row counts and content checksums against the manifest`);
  return verified;
}

function compareSequences(manifest: BackupManifest, content: DatabaseContent, list: CheckList): void {
  const restored = new Map(content.sequences.map((s) => [`${s.schema}\u0000${s.name}`, s]));
  for (const sequence of manifest.sequences) {
    const got = restored.get(`${sequence.schema}\u0000${sequence.name}`);
    const object: ObjectRef = { type: 'sequence', schema: sequence.schema, name: sequence.name };
    if (!got) {
      list.report(SEQUENCES, 'integrity', { object, severity: 'error', message: `Sequence ${sequence.schema}.${sequence.name} is missing from the restored database.`, evidence: { expectedLastValue: sequence.lastValue } });
    } else if (got.lastValue !== sequence.lastValue) {
      list.report(SEQUENCES, 'integrity', {
        object,
        severity: 'error',
        message: `Sequence ${sequence.schema}.${sequence.name} was restored at ${got.lastValue ?? 'its start (never used)'}, the manifest says ${sequence.lastValue ?? 'its start (never used)'}: new rows would reuse key values.`,
        evidence: { expectedLastValue: sequence.lastValue, restoredLastValue: got.lastValue },
      });
    }
  }
  list.ran(SEQUENCES, 'integrity', `${manifest.sequences.length} sequences: last values against the manifest`);
}

function compareLargeObjects(manifest: BackupManifest, content: DatabaseContent, list: CheckList, databaseObject: ObjectRef): void {
  if (!manifest.largeObjects) {
    list.skip(LARGE_OBJECTS, manifest.largeObjectsUnreadable ?? 'the manifest has no large objects figures');
    return;
  }
  if (!content.largeObjects) {
    list.skip(LARGE_OBJECTS, content.largeObjectsUnreadable ?? 'the restored large objects could not be read');
    return;
  }
  const expected = manifest.largeObjects;
  const got = content.largeObjects;
  if (got.count !== expected.count || got.checksum !== expected.checksum) {
    list.report(LARGE_OBJECTS, 'integrity', {
      object: databaseObject,
      severity: 'error',
      message:
        got.count !== expected.count
          ? `${got.count} large objects were restored, the manifest says ${expected.count}.`
          : `The ${got.count} restored large objects differ from the backed-up ones (checksum).`,
      evidence: { expectedCount: expected.count, restoredCount: got.count, expectedChecksum: expected.checksum, restoredChecksum: got.checksum },
    });
  }
  list.ran(LARGE_OBJECTS, 'integrity', `${expected.count} large objects: count and content checksum against the manifest`);
}

/** amcheck's bt_index_check (with heapallindexed) on every B-tree index of the restored database. */
async function runAmcheck(db: LiveDb, list: CheckList, progress: (line: string) => void, signal: AbortSignal | undefined): Promise<void> {
  let schema: string;
  let installedHere = false;
  const [existing] = await db.query<{ schema: string }>(`SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'amcheck'`);
  if (existing) {
    schema = existing.schema;
  } else {
    try {
      await db.query('CREATE SCHEMA pgarchitect_amcheck');
      await db.query('CREATE EXTENSION amcheck SCHEMA pgarchitect_amcheck');
      schema = 'pgarchitect_amcheck';
      installedHere = true;
    } catch (error) {
      const info = postgresErrorInfo(error);
      if (!info) throw error;
      await db.query('DROP SCHEMA IF EXISTS pgarchitect_amcheck CASCADE').catch(() => undefined);
      list.skip(AMCHECK, `amcheck is not available on the target (${info.message}): indexes were not checked`);
      return;
    }
  }
  const indexes = await db.query<{ oid: number; schema: string; index: string; table: string }>(
    `SELECT c.oid::int8::float8 AS oid, n.nspname AS schema, c.relname AS index, t.relname AS table
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
      WHERE am.amname = 'btree' AND c.relkind = 'i' AND i.indisvalid AND i.indisready AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
      ORDER BY 2, 3`,
  );
  progress(`amcheck: checking ${indexes.length} B-tree indexes`);
  for (const index of indexes) {
    if (signal?.aborted) throw interrupted();
    try {
      await db.query(`SELECT ${ident(schema)}.bt_index_check(index => $1::oid::regclass, heapallindexed => true)`, [index.oid]);
    } catch (error) {
      const info = postgresErrorInfo(error);
      if (!info) throw error;
      list.report(AMCHECK, 'integrity', {
        object: { type: 'index', schema: index.schema, table: index.table, name: index.index },
        severity: 'error',
        message: `Index ${index.schema}.${index.index} on ${index.table} fails amcheck's bt_index_check after the restore: ${info.message}`,
        evidence: { sqlstate: info.sqlstate, error: info.message, detail: info.detail ?? null },
      });
    }
  }
  if (installedHere) await db.query('DROP SCHEMA pgarchitect_amcheck CASCADE');
  list.ran(AMCHECK, 'integrity', `${indexes.length} B-tree indexes: bt_index_check with heapallindexed (amcheck)`);
}
