/**
 * The backups in a folder given to `backup audit --dump-dir`: the folder itself when it is one backup
 * (it holds manifest.json), else each of its sub-folders that is, with the record of its last restore
 * drill. A manifest that cannot be read is listed with the reason, never silently left out.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readDrillRecord, type RestoreDrillRecord } from './drill-record.js';
import { MANIFEST_FILE, readManifest } from './manifest.js';

export interface FoundBackup {
  dir: string;
  database: string;
  createdAt: string;
  totalBytes: number;
  tables: number;
  drill: RestoreDrillRecord | null;
}

export interface DumpDirContents {
  dir: string;
  backups: FoundBackup[];
  /** Folders with a manifest that could not be read, and why. */
  unreadable: { dir: string; reason: string }[];
}

/** The backups in `dir`, oldest first; a missing folder is an error the caller reports. */
export function readDumpDir(dir: string): DumpDirContents {
  const candidates = existsSync(join(dir, MANIFEST_FILE))
    ? [dir]
    : readdirSync(dir)
        .map((name) => join(dir, name))
        .filter((path) => statSync(path).isDirectory() && existsSync(join(path, MANIFEST_FILE)));
  const backups: FoundBackup[] = [];
  const unreadable: DumpDirContents['unreadable'] = [];
  for (const path of candidates) {
    try {
      const manifest = readManifest(path);
      backups.push({ dir: path, database: manifest.database, createdAt: manifest.createdAt, totalBytes: manifest.totalBytes, tables: manifest.tables.length, drill: readDrillRecord(path) });
    } catch (error) {
      unreadable.push({ dir: path, reason: (error as Error).message });
    }
  }
  backups.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return { dir, backups, unreadable };
}
