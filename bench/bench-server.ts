/**
 * A throwaway PostgreSQL server for benchmarks, started by the test harness's core
 * (test/support/pg-server-core.ts, which has no node:test import: importing node:test outside the test
 * runner would print a TAP report at exit). What differs from the tests' server: autovacuum off (so no
 * background work lands inside a measurement), PostgreSQL's default max_connections, a random
 * password (it goes to child processes in the environment), and a stop on SIGINT or SIGTERM too, so an
 * interrupted set-up leaves no server behind.
 */
import { randomBytes } from 'node:crypto';
import { startServer, type PgServer } from '../test/support/pg-server-core.js';

export type BenchServer = PgServer;

/**
 * Starts a server from the system's PostgreSQL; it is stopped by `stop()`, at process exit, and on
 * SIGINT or SIGTERM. `settings` are passed as `-c name=value`; anything not set keeps PostgreSQL's
 * default (max_connections 100, max_locks_per_transaction 64, shared_buffers 128MB), which is what most
 * users run with.
 */
export async function startBenchServer(settings: Record<string, string> = {}): Promise<BenchServer> {
  // Exiting runs the server's exit hook, which stops it.
  const onSignal = (signal: NodeJS.Signals): void => process.exit(signal === 'SIGINT' ? 130 : 143);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const forgetSignals = (): void => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  try {
    const server = await startServer({
      settings: { max_connections: '100', autovacuum: 'off', ...settings },
      password: randomBytes(18).toString('base64url'),
    });
    return {
      ...server,
      stop(): void {
        forgetSignals();
        server.stop();
      },
    };
  } catch (error) {
    forgetSignals();
    throw error;
  }
}
