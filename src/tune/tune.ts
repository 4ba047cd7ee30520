/**
 * `tune`: recommended server settings from the hardware (given, or this machine's when the server runs
 * here) and the workload, by pgtune's formulas, checked against the running server's settings and
 * statistics when there is one. It reads in a read-only session and never changes anything.
 */
import type { LiveConnectionOptions } from '../db/connection-config.js';
import { describeConnection } from '../db/connection-config.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { detectHardware, type DetectedHardware, type DetectOptions } from './detect-hardware.js';
import { planTuning } from './plan-tuning.js';
import { missingMemory, needsDetection, resolveInputs, type GivenHardware } from './resolve-inputs.js';
import type { TuneResult } from './result.js';
import { readServerFacts, type ServerFacts } from './server-facts.js';
import { isLocalHost, serverHost } from './server-host.js';
import { OLDEST_MAJOR } from './tune-input.js';

export interface TuneOptions extends GivenHardware {
  /** The connection count to budget memory for (default: the server's max_connections, else the workload's usual count). */
  connections?: number;
  /** The server to examine (URL, else DATABASE_URL and the PG* variables of `env`); absent: none. */
  connection?: LiveConnectionOptions;
  env?: NodeJS.ProcessEnv;
  /** Detects this machine's hardware (tests replace it). */
  detect?: (options: DetectOptions) => DetectedHardware;
}

/**
 * Recommendations for the given hardware and workload. `memoryKb` is required when the server is on
 * another machine (its memory cannot be read over SQL); everything else has a default or is detected.
 */
export async function tune(options: TuneOptions = {}): Promise<TuneResult> {
  const env = options.env ?? process.env;
  const connection = options.connection;
  const host = connection ? serverHost(connection.url, env) : undefined;
  const remote = connection !== undefined && !isLocalHost(host);
  // Checked before connecting: a missing --memory is known without the server.
  if (remote && options.memoryKb === undefined) throw missingMemory(host);
  if (options.pgVersion !== undefined && (options.pgVersion < OLDEST_MAJOR || !Number.isInteger(options.pgVersion))) {
    throw new UserError(`--pg-version: ${options.pgVersion} is not a PostgreSQL major from ${OLDEST_MAJOR} on`);
  }

  const facts = connection ? await readFacts(connection, env) : null;
  const detected = needsDetection(options, remote) ? (options.detect ?? detectHardware)({ dataDirectory: facts?.settings.get('data_directory')?.setting ?? null }) : null;
  const { inputs, notes } = resolveInputs({ given: options, facts, remoteHost: remote ? host : undefined, detected });
  return planTuning({ inputs, givenConnections: options.connections ?? null, facts, description: connection ? describeConnection(connection, env) : null, notes });
}

async function readFacts(connection: LiveConnectionOptions, env: NodeJS.ProcessEnv): Promise<ServerFacts> {
  // The default session: read only, with statement and lock timeouts.
  const db = await LiveDb.connect({ ...connection, env });
  try {
    return await readServerFacts(db);
  } finally {
    await db.close();
  }
}
