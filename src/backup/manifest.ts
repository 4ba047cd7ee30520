/**
 * manifest.json, written by `backup create` beside the dump: what the dump holds (every table's rows and
 * content checksum, taken in the dump's own snapshot), and every file of the dump with its size and
 * sha256. `backup verify` checks the files and the restored copy against it; `backup audit --dump-dir`
 * reads its time. Plain JSON; `schemaVersion` changes only when a field is renamed or removed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { LargeObjectsContent, SequenceState } from './table-contents.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA_VERSION = 1;

export type DumpFormat = 'directory' | 'custom';
export const DUMP_FORMATS: readonly DumpFormat[] = ['directory', 'custom'];

/** A table of the dump, as measured in the dump's snapshot. */
export interface ManifestTable {
  schema: string;
  name: string;
  partitionOf: string | null;
  rows: number;
  checksum: string;
  /** The dump's file holding the table's rows (directory format), relative to the backup folder; null when none (custom format, or no rows dumped). */
  dataFile: string | null;
}

export interface ManifestFile {
  /** Relative to the backup folder, with `/`. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  database: string;
  server: { version: string; versionNum: number };
  /** The database's encoding, for the scratch database of a restore. */
  encoding: string;
  /** The server's clock when the snapshot was taken (ISO 8601). */
  createdAt: string;
  format: DumpFormat;
  jobs: number;
  /** The pg_dump that wrote it. */
  pgDump: { version: string; major: number };
  /** The dump, relative to the backup folder: a folder (directory format) or a file (custom). */
  dump: string;
  /** How the checksums were taken: the session settings of the row text. */
  checksum: { method: string; settings: Record<string, string> };
  /** Seconds pg_dump ran. */
  dumpSeconds: number;
  /** pg_database_size when the dump was taken. */
  databaseBytes: number;
  tables: ManifestTable[];
  sequences: SequenceState[];
  largeObjects: LargeObjectsContent | null;
  /** Why large objects are not in the manifest, when they are not. */
  largeObjectsUnreadable: string | null;
  files: ManifestFile[];
  totalBytes: number;
}

/** Writes manifest.json into `dir` (through a temp file: a manifest is whole or absent). */
export function writeManifest(dir: string, manifest: BackupManifest): void {
  const path = join(dir, MANIFEST_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Reads and checks manifest.json of a backup folder; a UserError when it is missing or not one. */
export function readManifest(dir: string): BackupManifest {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) throw new UserError(`${dir}: no ${MANIFEST_FILE}: not a backup written by pgarchitect backup create`, 'give the folder given to backup create --out');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message}): the manifest is damaged`, 'the backup cannot be verified without it; take a new backup');
  }
  const problems: string[] = [];
  if (manifest?.schemaVersion !== MANIFEST_SCHEMA_VERSION) problems.push(`schemaVersion ${JSON.stringify(manifest?.schemaVersion)} (expected ${MANIFEST_SCHEMA_VERSION})`);
  if (!Array.isArray(manifest?.tables)) problems.push('no tables');
  if (!Array.isArray(manifest?.files)) problems.push('no files');
  if (!DUMP_FORMATS.includes(manifest?.format)) problems.push(`format ${JSON.stringify(manifest?.format)}`);
  if (typeof manifest?.dump !== 'string') problems.push('no dump path');
  if (problems.length) throw new UserError(`${path}: not a pgarchitect backup manifest (${problems.join(', ')})`, 'the backup cannot be verified without it; take a new backup');
  return manifest;
}

/** sha256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
