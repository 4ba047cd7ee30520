/**
 * A saved empty PGlite cluster, so later starts skip initdb (about 3 s here) and load the saved data
 * directory instead (under 1 s). Kept in the user's cache folder, keyed by the PGlite version; any
 * failure to read or write it only costs speed.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

function pgliteVersion(): string {
  try {
    // The package's exports hide package.json: resolve the entry point and walk up to it.
    let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
      } catch {
        // keep walking up
      }
    }
    return 'unknown';
  } catch {
    return 'unknown';
  }
}

export function templatePath(env = process.env): string | null {
  if (env.PGARCHITECT_NO_CACHE) return null;
  const base = env.PGARCHITECT_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pgarchitect');
  return join(base, `pglite-${pgliteVersion()}-empty-cluster.tar.gz`);
}

export function readTemplate(): Blob | null {
  const path = templatePath();
  if (!path) return null;
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    return null;
  }
}

/** Saves the template once; `dump` is only called when there is none yet. Errors are ignored. */
export async function writeTemplate(dump: () => Promise<Blob | File>): Promise<void> {
  const path = templatePath();
  if (!path) return;
  try {
    readFileSync(path);
    return;
  } catch {
    // not there yet
  }
  try {
    const data = Buffer.from(await (await dump()).arrayBuffer());
    mkdirSync(join(path, '..'), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch {
    // read-only home or full disk: fine, next start is just slower
  }
}
