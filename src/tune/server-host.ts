/**
 * Whether the server `tune` examines runs on this machine, so that this machine's hardware is the
 * server's: a Unix socket, localhost, a loopback address or this host's name.
 */
import { parseConnectionUrl } from '../db/connection-config.js';
import { hostname } from 'node:os';

/** The host a connection goes to: the URL's, else DATABASE_URL's, else PGHOST (undefined: libpq's default, local). */
export function serverHost(url: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const target = url ?? env.DATABASE_URL;
  if (target) {
    try {
      return parseConnectionUrl(target).host ?? undefined;
    } catch {
      return undefined;
    }
  }
  return env.PGHOST || undefined;
}

export function isLocalHost(host: string | undefined): boolean {
  if (host === undefined || host === '') return true;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h.startsWith('/') || h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === hostname().toLowerCase();
}
