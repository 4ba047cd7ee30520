/**
 * Snapshots of a real PostgreSQL server for tests of rules that need live data (usage statistics,
 * sequence values). Set-up SQL runs as superuser; the snapshot is read through the same read-only
 * LiveDb session users get.
 */
import type { TestContext } from 'node:test';
import { readSnapshot } from '../../src/catalog/read-snapshot.js';
import type { CatalogSnapshot } from '../../src/catalog/types.js';
import { LiveDb } from '../../src/db/live-db.js';
import { requireServer, type TestServer } from './pg-server.js';

let counter = 0;

export interface LiveDatabase {
  server: TestServer;
  url: string;
  /** Runs SQL as superuser on this database (set-up and fixes). */
  admin(sql: string): Promise<void>;
  snapshot(): Promise<CatalogSnapshot>;
}

/**
 * A fresh database on the test server with `sql` applied, or null when the test was skipped
 * (no server outside CI). The name is unique per process and call.
 */
export async function liveDatabase(t: TestContext, sql: string): Promise<LiveDatabase | null> {
  const server = await requireServer(t);
  if (!server) return null;
  const name = `t_${process.pid}_${++counter}`;
  const url = await server.createDatabase(name);
  if (sql.trim()) await server.admin(name, sql);
  return {
    server,
    url,
    admin: (statements: string) => server.admin(name, statements),
    async snapshot(): Promise<CatalogSnapshot> {
      const db = await LiveDb.connect({ url });
      try {
        return (await readSnapshot(db, { source: 'live', description: `test database ${name}` })).snapshot;
      } finally {
        await db.close();
      }
    },
  };
}
