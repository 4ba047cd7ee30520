/** Extra sessions on the test server, to produce what health looks for: open transactions, lock waits. */
import pg from 'pg';
import type { Config } from '../../src/config/config.js';

/** A session of its own (superuser, writes allowed), closed by the caller. */
export async function openSession(url: string): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return { client, pid: rows[0]!.pid };
}

/** Polls `condition` every 50 ms until it holds, or fails after `timeoutMs`. */
export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A configuration giving checks options over their defaults. */
export function withOptions(options: Record<string, Record<string, unknown>>): Config {
  return { rules: Object.fromEntries(Object.entries(options).map(([id, o]) => [id, { options: o }])), ignore: [] };
}
