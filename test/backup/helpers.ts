/** Shared set-up of the backup tests: a database of many types on the test server, scratch folders, leftovers. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { requireServer, type TestServer } from '../support/pg-server.js';

let counter = 0;

export interface SourceDatabase {
  server: TestServer;
  name: string;
  url: string;
}

/** A fresh database on the shared test server loaded with many-types.sql (plus `extra` SQL), or null when skipped. */
export async function manyTypesDatabase(t: TestContext, extra = ''): Promise<SourceDatabase | null> {
  const server = await requireServer(t);
  if (!server) return null;
  const name = `bk_${process.pid}_${++counter}`;
  const url = await server.createDatabase(name);
  await server.admin(name, readFileSync(new URL('./many-types.sql', import.meta.url), 'utf8') + extra);
  return { server, name, url };
}

const scratchDirs: string[] = [];
process.once('exit', () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new empty temp folder, removed when the test process exits. */
export function scratchDir(prefix = 'pgarchitect-backup-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

/** Databases a restore drill would leave behind if it did not clean up. */
export async function restoreLeftovers(server: TestServer): Promise<string[]> {
  const rows = await server.query<{ datname: string }>('postgres', "SELECT datname FROM pg_database WHERE datname LIKE 'pgarchitect_restore_%' ORDER BY 1");
  return rows.map((r) => r.datname);
}
