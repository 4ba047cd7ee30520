/**
 * pgBackRest's view of a stanza: `pgbackrest --stanza=S info --output=json`, run on this machine (it
 * reads the repository its configuration names). Parsed into the few facts the audit judges: the
 * stanza's status and its backups with their stop times.
 */
import { spawnSync } from 'node:child_process';
import { redactPassword } from '../db/connection-config.js';

export interface PgBackRestBackup {
  label: string;
  /** `full`, `diff`, `incr`. */
  type: string;
  /** Unix seconds. */
  startedAt: number;
  stoppedAt: number;
  /** pgBackRest found a page checksum error or similar in it. */
  error: boolean;
}

export interface PgBackRestStanza {
  name: string;
  /** 0 is ok; pgBackRest's own code otherwise (1 missing stanza path, 2 no valid backups, ...). */
  statusCode: number;
  statusMessage: string;
  backups: PgBackRestBackup[];
  /** The oldest and newest WAL file in the archive, when it has any. */
  archiveMin: string | null;
  archiveMax: string | null;
}

/** The stanza's info, or why it could not be read (not installed, failed, no such stanza). */
export type PgBackRestInfo = { ok: true; stanza: PgBackRestStanza } | { ok: false; reason: string; installed: boolean };

/** Runs pgbackrest info for `stanza`. */
export function readPgBackRestInfo(stanza: string, env: NodeJS.ProcessEnv = process.env): PgBackRestInfo {
  const run = spawnSync('pgbackrest', [`--stanza=${stanza}`, '--output=json', 'info'], { encoding: 'utf8', env: { ...process.env, ...env, PATH: env.PATH ?? process.env.PATH }, timeout: 60_000 });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    return { ok: false, installed: false, reason: 'pgBackRest is not installed here (no pgbackrest on PATH): its backups were not examined' };
  }
  if (run.status !== 0) {
    return { ok: false, installed: true, reason: `pgbackrest info failed (exit code ${run.status}): ${redactPassword((run.stderr || run.stdout || '').trim().split('\n').slice(-2).join(' '))}` };
  }
  return parsePgBackRestInfo(run.stdout, stanza);
}

/** Parses `pgbackrest info --output=json` (an array of stanzas) and picks `stanza`. */
export function parsePgBackRestInfo(json: string, stanza: string): PgBackRestInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { ok: false, installed: true, reason: `pgbackrest info printed no valid JSON: ${(error as Error).message}` };
  }
  const stanzas = Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [];
  const found = stanzas.find((s) => s.name === stanza);
  if (!found) return { ok: false, installed: true, reason: `pgbackrest info knows no stanza ${stanza}${stanzas.length ? ` (it knows ${stanzas.map((s) => String(s.name)).join(', ')})` : ''}` };
  const status = (found.status ?? {}) as { code?: number; message?: string };
  const backups = (Array.isArray(found.backup) ? (found.backup as Record<string, unknown>[]) : []).map((b) => {
    const timestamp = (b.timestamp ?? {}) as { start?: number; stop?: number };
    return { label: String(b.label ?? ''), type: String(b.type ?? ''), startedAt: Number(timestamp.start ?? 0), stoppedAt: Number(timestamp.stop ?? 0), error: b.error === true };
  });
  const archives = Array.isArray(found.archive) ? (found.archive as { min?: string; max?: string }[]) : [];
  const mins = archives.map((a) => a.min).filter((m): m is string => typeof m === 'string').sort();
  const maxes = archives.map((a) => a.max).filter((m): m is string => typeof m === 'string').sort();
  return {
    ok: true,
    stanza: {
      name: stanza,
      statusCode: Number(status.code ?? -1),
      statusMessage: String(status.message ?? 'unknown'),
      backups: backups.sort((a, b) => a.stoppedAt - b.stoppedAt),
      archiveMin: mins[0] ?? null,
      archiveMax: maxes[maxes.length - 1] ?? null,
    },
  };
}
