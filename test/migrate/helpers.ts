/** Shared by the migrate tests: throwaway migration folders and plain queries against a test database. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/** A temp folder holding `files` (name → SQL; names may hold subfolders). */
export function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgarchitect-migrate-'));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), sql);
  }
}

/** Runs one statement as superuser in a session of its own and returns its rows. */
export async function rows<Row = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** The history table's rows, in installation order, with the columns tests look at. */
export async function historyRows(url: string): Promise<{ version: string | null; type: string; script: string; success: boolean; transactional: boolean; checksum: string | null; statements_run: number; error: string | null }[]> {
  return rows(url, 'SELECT version, type, script, success, transactional, checksum, statements_run, error FROM pgarchitect.migration_history ORDER BY installed_rank');
}

/** Whether a relation exists. */
export async function relationExists(url: string, name: string): Promise<boolean> {
  const [row] = await rows<{ exists: boolean }>(url, 'SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
  return row!.exists;
}
