/**
 * Where a review's catalog comes from: a live server (URL, DATABASE_URL or PG* variables), SQL files
 * and migration folders loaded into embedded PostgreSQL, or a snapshot JSON saved earlier.
 */
import { readFileSync } from 'node:fs';
import { readSnapshot } from './catalog/read-snapshot.js';
import { SNAPSHOT_FORMAT_VERSION, type CatalogSnapshot } from './catalog/types.js';
import { describeConnection, isConnectionUrl, type LiveConnectionOptions } from './db/connection-config.js';
import type { Db } from './db/db.js';
import { LiveDb } from './db/live-db.js';
import { UserError } from './errors.js';
import { loadSqlFiles } from './load/load-sql-files.js';
import type { LoadError, Notice } from './result.js';

export type SourceSpec =
  | { kind: 'live'; connection: LiveConnectionOptions; env?: NodeJS.ProcessEnv }
  | { kind: 'files'; paths: string[] }
  | { kind: 'snapshot'; path: string };

export interface ConnectionLimits {
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

/**
 * Decides what the command-line inputs are. No input means a live server from DATABASE_URL or the
 * libpq PG* variables, when one of them is set.
 */
export function resolveSource(inputs: readonly string[], env = process.env): SourceSpec {
  if (inputs.length === 0) {
    if (env.DATABASE_URL || env.PGHOST || env.PGDATABASE) return { kind: 'live', connection: {}, env };
    throw new UserError('nothing to review', 'give .sql files, a migrations folder, a snapshot .json or a postgres:// URL (or set DATABASE_URL)');
  }
  const urls = inputs.filter(isConnectionUrl);
  if (urls.length > 0) {
    if (inputs.length > 1) throw new UserError('give one connection URL, or files: not both');
    return { kind: 'live', connection: { url: urls[0]! }, env };
  }
  if (inputs.length === 1 && inputs[0]!.toLowerCase().endsWith('.json')) return { kind: 'snapshot', path: inputs[0]! };
  return { kind: 'files', paths: [...inputs] };
}

export interface SnapshotFromSource {
  snapshot: CatalogSnapshot;
  sourceKind: 'live' | 'files' | 'snapshot';
  errors: LoadError[];
  notices: Notice[];
  partial: boolean;
  catalogQueries: number;
}

/** Reads the snapshot of the source, then closes the engine it was read from. */
export async function snapshotFromSource(spec: SourceSpec, limits: ConnectionLimits = {}): Promise<SnapshotFromSource> {
  const { db: _db, close, ...loaded } = await openSource(spec, limits);
  await close();
  return loaded;
}

/** A snapshot with the engine it was read from still open, for work that needs the same schema. */
export interface OpenSource extends SnapshotFromSource {
  /**
   * The engine: the live server (a read-only session) or embedded PostgreSQL with the SQL files loaded;
   * null for a snapshot .json, which has none.
   */
  db: Db | null;
  /** Closes the engine; call it when done. */
  close(): Promise<void>;
}

/** Like `snapshotFromSource`, but leaves the engine open: the caller closes it. */
export async function openSource(spec: SourceSpec, limits: ConnectionLimits = {}): Promise<OpenSource> {
  switch (spec.kind) {
    case 'live': {
      const connection = { ...spec.connection, ...limits };
      const env = spec.env ?? process.env;
      const db = await LiveDb.connect({ ...connection, env });
      const loaded = await readLiveSnapshot(db, describeConnection(connection, env)).catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
      return { ...loaded, db, close: () => db.close() };
    }
    case 'files': {
      const loaded = await loadSqlFiles(spec.paths);
      try {
        const { snapshot, queryCount } = await readSnapshot(loaded.db, { source: 'files', description: loaded.files.join(', ') });
        snapshot.source.definedAt = loaded.definedAt;
        snapshot.source.ignores = loaded.ignores;
        const db = loaded.db;
        return { snapshot, sourceKind: 'files', errors: loaded.errors, notices: loaded.notices, partial: loaded.partial, catalogQueries: queryCount, db, close: () => db.close() };
      } catch (error) {
        await loaded.db.close();
        throw error;
      }
    }
    case 'snapshot': {
      const snapshot = readSnapshotFile(spec.path);
      return { snapshot, sourceKind: 'snapshot', errors: [], notices: visibilityNotices(snapshot), partial: false, catalogQueries: 0, db: null, close: async () => undefined };
    }
  }
}

/** The snapshot of a live server through a session already open (`description`: the redacted URL). */
export async function readLiveSnapshot(db: Db, description: string, options: { columnStatistics?: boolean } = {}): Promise<SnapshotFromSource> {
  const { snapshot, queryCount } = await readSnapshot(db, { source: 'live', description, ...options });
  return { snapshot, sourceKind: 'live', errors: [], notices: visibilityNotices(snapshot), partial: false, catalogQueries: queryCount };
}

export function readSnapshotFile(path: string): CatalogSnapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such file`);
    throw new UserError(`${path}: not a readable JSON file: ${(error as Error).message}`);
  }
  const snapshot = raw as Partial<CatalogSnapshot>;
  if (snapshot.format !== 'pgarchitect-snapshot') {
    throw new UserError(`${path}: not a pgarchitect snapshot`, 'create one with `pgarchitect snapshot postgres://... > snap.json`');
  }
  if (snapshot.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new UserError(`${path}: snapshot format version ${snapshot.formatVersion} is not supported (expected ${SNAPSHOT_FORMAT_VERSION})`, 'take the snapshot again with this version of pgarchitect');
  }
  return snapshot as CatalogSnapshot;
}

function visibilityNotices(snapshot: CatalogSnapshot): Notice[] {
  return snapshot.visibility.notes.map((message) => ({ kind: 'visibility' as const, message }));
}
