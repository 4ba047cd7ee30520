/**
 * What `tune` reads from a running server, through the Db port, in a handful of read-only queries:
 * the settings (value, unit, context), the cumulative statistics that show how the settings serve
 * the workload (temporary files, cache hits, checkpoints), a snapshot of the connections, and the
 * data size. A query the role may not run is recorded as not examined; the others still count.
 */
import type { Db } from '../db/db.js';
import { postgresErrorInfo } from '../db/db.js';
import { KNOWN_SETTINGS } from './known-settings.js';
import type { OsKind } from './tune-input.js';

/** One row of pg_settings. */
export interface ServerSetting {
  name: string;
  setting: string;
  unit: string | null;
  context: string;
  vartype: string;
  enumvals: string[] | null;
  minVal: string | null;
  maxVal: string | null;
  pendingRestart: boolean;
}

/** pg_stat_database summed over every database. */
export interface DatabaseActivity {
  tempFiles: number;
  tempBytes: number;
  blocksHit: number;
  blocksRead: number;
  transactions: number;
  /** The oldest statistics reset among the databases; null when none was ever reset. */
  statsReset: string | null;
}

export interface CheckpointActivity {
  /** Where the counters come from: pg_stat_checkpointer on 17+, pg_stat_bgwriter before. */
  view: 'pg_stat_checkpointer' | 'pg_stat_bgwriter';
  timed: number;
  requested: number;
  statsReset: string | null;
}

export interface ServerFacts {
  versionNum: number;
  /** `server_version`, e.g. `15.8 (Debian 15.8-1)`. */
  version: string;
  os: OsKind;
  /** The platform as version() names it, when it is neither Linux, Windows nor macOS (FreeBSD...). */
  otherPlatform: string | null;
  settings: Map<string, ServerSetting>;
  databases: DatabaseActivity | null;
  checkpoints: CheckpointActivity | null;
  /** Client connections open now (a snapshot), this session excluded. */
  clientConnections: number | null;
  /** Total size of the databases this role may connect to, in bytes. */
  dataBytes: number | null;
  /** Databases whose size could not be measured (no CONNECT privilege). */
  unmeasuredDatabases: number;
  /** Streaming replicas connected now, and replication slots. */
  replication: { senders: number; slots: number } | null;
  postmasterStart: string | null;
  /** What could not be read, and why. */
  notExamined: string[];
}

/** Settings read besides the ones tune recommends: they qualify the evidence. */
const EXTRA_SETTINGS = ['archive_mode', 'huge_pages_status', 'shared_memory_size_in_huge_pages', 'data_directory', 'superuser_reserved_connections'];

export async function readServerFacts(db: Db): Promise<ServerFacts> {
  const notExamined: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (error) {
      const info = postgresErrorInfo(error);
      if (!info) throw error;
      notExamined.push(`${what}: ${info.message}`);
      return null;
    }
  };

  const [server] = await db.query<{ num: string; version: string; full: string; started: string | null }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, version() AS full, pg_postmaster_start_time()::text AS started",
  );
  const versionNum = Number(server!.num);
  const platform = platformOf(server!.full);

  const names = [...KNOWN_SETTINGS.map((s) => s.name), ...EXTRA_SETTINGS];
  const settingRows = await db.query<{
    name: string;
    setting: string;
    unit: string | null;
    context: string;
    vartype: string;
    enumvals: string[] | null;
    min_val: string | null;
    max_val: string | null;
    pending_restart: boolean;
  }>('SELECT name, setting, unit, context, vartype, enumvals, min_val, max_val, pending_restart FROM pg_settings WHERE name = ANY($1::text[])', [names]);
  const settings = new Map<string, ServerSetting>(
    settingRows.map((r) => [r.name, { name: r.name, setting: r.setting, unit: r.unit, context: r.context, vartype: r.vartype, enumvals: r.enumvals, minVal: r.min_val, maxVal: r.max_val, pendingRestart: r.pending_restart }]),
  );

  const databases = await attempt('temporary files and cache hits (pg_stat_database)', () => readDatabaseActivity(db));

  const checkpoints = await attempt(`checkpoints (${checkpointView(versionNum)})`, () => readCheckpointActivity(db, versionNum));

  const clientConnections = await attempt('open connections (pg_stat_activity)', async () => {
    const [row] = await db.query<{ clients: string }>("SELECT count(*)::text AS clients FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()");
    return Number(row?.clients ?? 0);
  });

  const size = await attempt('data size (pg_database_size)', async () => {
    const [row] = await db.query<{ bytes: string | null; unmeasured: string }>(
      `SELECT sum(CASE WHEN has_database_privilege(oid, 'CONNECT') THEN pg_database_size(oid) END)::text AS bytes,
              count(*) FILTER (WHERE NOT has_database_privilege(oid, 'CONNECT'))::text AS unmeasured
         FROM pg_database WHERE datallowconn`,
    );
    return { bytes: row?.bytes === null || row?.bytes === undefined ? null : Number(row.bytes), unmeasured: Number(row?.unmeasured ?? 0) };
  });

  const replication = await attempt('replication (pg_stat_replication, pg_replication_slots)', async () => {
    const [row] = await db.query<{ senders: string; slots: string }>('SELECT (SELECT count(*) FROM pg_stat_replication)::text AS senders, (SELECT count(*) FROM pg_replication_slots)::text AS slots');
    return { senders: Number(row?.senders ?? 0), slots: Number(row?.slots ?? 0) };
  });

  return {
    versionNum,
    version: server!.version,
    os: platform.os,
    otherPlatform: platform.other,
    settings,
    databases,
    checkpoints,
    clientConnections,
    dataBytes: size?.bytes ?? null,
    unmeasuredDatabases: size?.unmeasured ?? 0,
    replication,
    postmasterStart: server!.started,
    notExamined,
  };
}

/** pg_stat_database summed over every database (readable by every role). Throws Postgres's error. */
export async function readDatabaseActivity(db: Db): Promise<DatabaseActivity> {
  const [row] = await db.query<{ temp_files: string | null; temp_bytes: string | null; hit: string | null; read: string | null; xacts: string | null; reset: string | null }>(
    `SELECT sum(temp_files)::text AS temp_files, sum(temp_bytes)::text AS temp_bytes, sum(blks_hit)::text AS hit, sum(blks_read)::text AS read,
            sum(xact_commit + xact_rollback)::text AS xacts, min(stats_reset)::text AS reset
       FROM pg_stat_database`,
  );
  return {
    tempFiles: Number(row?.temp_files ?? 0),
    tempBytes: Number(row?.temp_bytes ?? 0),
    blocksHit: Number(row?.hit ?? 0),
    blocksRead: Number(row?.read ?? 0),
    transactions: Number(row?.xacts ?? 0),
    statsReset: row?.reset ?? null,
  };
}

/** The view that counts checkpoints: pg_stat_checkpointer from PostgreSQL 17, pg_stat_bgwriter before. */
export function checkpointView(versionNum: number): CheckpointActivity['view'] {
  return versionNum >= 170000 ? 'pg_stat_checkpointer' : 'pg_stat_bgwriter';
}

/** Timed and requested checkpoints since the counters were reset. Throws Postgres's error. */
export async function readCheckpointActivity(db: Db, versionNum: number): Promise<CheckpointActivity> {
  const view = checkpointView(versionNum);
  const [row] = await db.query<{ timed: string; requested: string; reset: string | null }>(
    view === 'pg_stat_checkpointer'
      ? 'SELECT num_timed::text AS timed, num_requested::text AS requested, stats_reset::text AS reset FROM pg_stat_checkpointer'
      : 'SELECT checkpoints_timed::text AS timed, checkpoints_req::text AS requested, stats_reset::text AS reset FROM pg_stat_bgwriter',
  );
  if (!row) throw Object.assign(new Error('no row'), { code: '02000' });
  return { view, timed: Number(row.timed), requested: Number(row.requested), statsReset: row.reset };
}

/** The operating system from version(): `... on x86_64-pc-linux-gnu`, `... aarch64-apple-darwin`, `... x86_64-windows, compiled by Visual C++`. */
export function platformOf(version: string): { os: OsKind; other: string | null } {
  if (/mingw|windows|visual c\+\+|msvc|cygwin/i.test(version)) return { os: 'windows', other: null };
  if (/darwin|apple/i.test(version)) return { os: 'mac', other: null };
  if (/linux/i.test(version)) return { os: 'linux', other: null };
  const target = /\bon\s+([\w.-]+)/.exec(version)?.[1] ?? 'an unknown platform';
  return { os: 'linux', other: target };
}
