/**
 * restore-drill.json: what the last `backup verify` of a backup measured, written into the backup
 * folder beside the manifest (which it never changes, so the manifest's sha256 list stays valid).
 * `backup audit --dump-dir` reads it for the recovery time objective: a measured restore speed.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DRILL_FILE = 'restore-drill.json';

export interface RestoreDrillRecord {
  schemaVersion: 1;
  /** When the drill ran (this machine's clock, ISO 8601). */
  verifiedAt: string;
  /** Every check passed. */
  ok: boolean;
  /** Where it restored: `temporary cluster` or `server`, and the server's version. */
  target: { kind: string; version: string };
  /** pg_restore's wall-clock seconds: the measured restore time. */
  restoreSeconds: number;
  /** The restored database's size (pg_database_size). */
  databaseBytes: number;
  /** The dump's size on disk. */
  dumpBytes: number;
  /** databaseBytes / restoreSeconds. */
  bytesPerSecond: number;
  jobs: number;
}

/** Writes the record; returns why it could not (a read-only backup folder), or null. */
export function writeDrillRecord(dir: string, record: RestoreDrillRecord): string | null {
  const path = join(dir, DRILL_FILE);
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(record, null, 2) + '\n');
    renameSync(`${path}.tmp`, path);
    return null;
  } catch (error) {
    return `the drill's figures were not written to ${path}: ${(error as Error).message}`;
  }
}

/** The record of the last drill of the backup in `dir`, or null when none ran (or it is unreadable). */
export function readDrillRecord(dir: string): RestoreDrillRecord | null {
  const path = join(dir, DRILL_FILE);
  if (!existsSync(path)) return null;
  try {
    const record = JSON.parse(readFileSync(path, 'utf8')) as RestoreDrillRecord;
    return typeof record.restoreSeconds === 'number' && typeof record.bytesPerSecond === 'number' ? record : null;
  } catch {
    return null;
  }
}
