/**
 * `backup create`: pg_dump (directory format with parallel jobs, or custom format) plus manifest.json.
 *
 * The manifest's row counts and checksums describe exactly what the dump holds: they are read in a
 * REPEATABLE READ transaction whose snapshot is exported (pg_export_snapshot) and given to pg_dump
 * (`--snapshot`), and the transaction stays open until pg_dump is done. pg_dump runs meanwhile, so the
 * checksums cost no extra wall-clock time unless they take longer than the dump.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { childEnvironment, libpqVariables } from '../db/child-connection.js';
import { dataFileOf, describeFiles, listFiles, tableDataIds } from './dump-files.js';
import { MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, writeManifest, type BackupManifest, type DumpFormat } from './manifest.js';
import { findPgTool, majorOf, type PgTool } from './pg-tools.js';
import { errorLines, runProgram } from './run-program.js';
import { CONTENT_SETTINGS, readDatabaseContent, setContentSettings } from './table-contents.js';

export interface CreateBackupOptions {
  /** The database to back up (URL, else DATABASE_URL and the PG* variables of `env`). */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** The backup folder: created; it must not exist or be empty. */
  out: string;
  /** Default `directory`. */
  format?: DumpFormat;
  /** Parallel pg_dump jobs (directory format only); default 1. */
  jobs?: number;
  /** Milliseconds pg_dump and the checksums wait for a table lock (default 30 000). */
  lockTimeoutMs?: number;
  /** statement_timeout of the checksum session in milliseconds (default 0: none; each checksum reads a whole table). */
  statementTimeoutMs?: number;
  /** Stops pg_dump and removes what was written. */
  signal?: AbortSignal;
  /** Progress, one line at a time (the CLI prints them on stderr). */
  onProgress?(line: string): void;
  /** Called when pg_dump has started, with its pid. */
  onDumpStart?(pid: number): void;
}

export interface CreateBackupResult {
  /** The backup folder, absolute. */
  dir: string;
  manifest: BackupManifest;
  /** The pg_dump that ran. */
  pgDump: PgTool;
  /** Notices pg_dump printed (warnings), password-free. */
  warnings: string[];
}

/** Dumps the database into `out` with its manifest. Removes what it wrote when it fails or is stopped. */
export async function createBackup(options: CreateBackupOptions): Promise<CreateBackupResult> {
  const env = options.env ?? process.env;
  const format = options.format ?? 'directory';
  const jobs = options.jobs ?? 1;
  if (format === 'custom' && jobs > 1) throw new UserError('--jobs: parallel dumps need the directory format', 'use --dump-format directory, or drop --jobs');
  const dir = resolve(options.out);
  const existed = existsSync(dir);
  if (existed && readdirSync(dir).length > 0) throw new UserError(`${options.out}: already exists and is not empty`, 'give a new folder for each backup');
  const progress = options.onProgress ?? (() => undefined);
  const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
  const db = await LiveDb.connect({ ...options.connection, env, lockTimeoutMs, statementTimeoutMs: options.statementTimeoutMs ?? 0 });
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let wrote = false;
  try {
    const [server] = await db.query<Record<string, unknown>>(
      `SELECT current_setting('server_version_num')::int AS version_num, current_setting('server_version') AS version, current_database() AS database,
              pg_encoding_to_char(d.encoding) AS encoding, pg_database_size(d.oid)::float8 AS bytes
         FROM pg_database d WHERE d.datname = current_database()`,
    );
    const versionNum = Number(server!.version_num);
    const database = String(server!.database);
    const pgDump = findPgTool('pg_dump', majorOf(versionNum), `backup create (the server is PostgreSQL ${String(server!.version).split(' ')[0]})`, env);
    const pgRestore = findPgTool('pg_restore', pgDump.major, `backup create (reading the table of contents of a pg_dump ${pgDump.major} dump)`, env);

    mkdirSync(dir, { recursive: true });
    wrote = true;
    const dumpName = format === 'directory' ? 'dump' : `${safeFileName(database)}.dump`;
    const dumpPath = join(dir, dumpName);

    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [exported] = await db.query<{ snapshot: string; created_at: string }>(`SELECT pg_export_snapshot() AS snapshot, to_json(now()) #>> '{}' AS created_at`);
    // The transaction idles between checksums while pg_dump works: it must not be ended for that.
    await db.query(`SELECT set_config('idle_in_transaction_session_timeout', '0', true)`);
    await setContentSettings(db);

    const childEnv = childEnvironment(libpqVariables(options.connection ?? {}, env));
    const args = ['--no-password', `--format=${format}`, `--file=${dumpPath}`, `--snapshot=${exported!.snapshot}`, `--lock-wait-timeout=${lockTimeoutMs}`];
    if (format === 'directory') args.push(`--jobs=${jobs}`);
    progress(`pg_dump ${pgDump.major} (${pgDump.path}): ${format} format${format === 'directory' ? `, ${jobs} job${jobs === 1 ? '' : 's'}` : ''}, into ${dumpPath}`);
    const dumping = runProgram(pgDump.path, args, { env: childEnv, signal: stop.signal, onStart: options.onDumpStart });
    dumping.catch(() => undefined);

    let content;
    try {
      content = await readDatabaseContent(db, (p) => {
        if (stop.signal.aborted) throw new UserError('backup create was interrupted: the partial backup was removed');
        progress(`checksummed ${p.done}/${p.total} tables (${p.table})`);
      });
    } catch (error) {
      stop.abort();
      await dumping.catch(() => undefined);
      throw error;
    }
    progress(`checksums done; waiting for pg_dump`);
    const dumped = await dumping;
    await db.query('COMMIT');
    if (options.signal?.aborted) throw new UserError('backup create was interrupted: the partial backup was removed');
    if (dumped.code !== 0) {
      const errors = errorLines(dumped.stderr);
      throw new UserError(`pg_dump failed (${dumped.code === null ? `killed by ${dumped.signal}` : `exit code ${dumped.code}`}): ${(errors.length ? errors : [dumped.stderr.trim()]).slice(0, 3).join('; ')}`, 'the partial backup was removed');
    }

    progress(`pg_dump done in ${dumped.seconds.toFixed(1)} s; hashing the files`);
    const listing = await runProgram(pgRestore.path, ['--list', dumpPath], { env: childEnv });
    if (listing.code !== 0) throw new Error(`pg_restore --list failed on the new dump: ${listing.stderr.trim()}`);
    const dataIds = tableDataIds(listing.stdout);
    const files = await describeFiles(dir, listFiles(dir, new Set([MANIFEST_FILE])));
    const manifest: BackupManifest = {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      tool: { name: 'pgarchitect', version: VERSION },
      database,
      server: { version: String(server!.version), versionNum },
      encoding: String(server!.encoding),
      createdAt: exported!.created_at,
      format,
      jobs,
      pgDump: { version: pgDump.version, major: pgDump.major },
      dump: dumpName,
      checksum: { method: 'per table: count(*) and sum of the first 64 bits of md5(row::text), hashed (sha256, 16 hex digits)', settings: { ...CONTENT_SETTINGS } },
      dumpSeconds: Math.round(dumped.seconds * 1000) / 1000,
      databaseBytes: Number(server!.bytes),
      tables: content.tables.map((t) => {
        const id = dataIds.get(t.oid);
        const file = format === 'directory' && id !== undefined ? dataFileOf(dumpPath, id) : null;
        return { schema: t.schema, name: t.name, partitionOf: t.partitionOf, rows: t.rows, checksum: t.checksum, dataFile: file ? `${dumpName}/${file}` : null };
      }),
      sequences: content.sequences,
      largeObjects: content.largeObjects,
      largeObjectsUnreadable: content.largeObjectsUnreadable,
      files,
      totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    };
    writeManifest(dir, manifest);
    progress(`manifest written: ${manifest.tables.length} tables, ${files.length} files`);
    return { dir, manifest, pgDump, warnings: dumped.stderr.split('\n').filter((l) => /warning/i.test(l)) };
  } catch (error) {
    stop.abort();
    if (wrote) removeBackup(dir, existed);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await db.close();
  }
}

function removeBackup(dir: string, keepFolder: boolean): void {
  if (!existsSync(dir)) return;
  if (!keepFolder) rmSync(dir, { recursive: true, force: true });
  else for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

function safeFileName(name: string): string {
  return basename(name).replace(/[^A-Za-z0-9._-]/g, '_') || 'database';
}
