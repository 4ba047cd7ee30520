/**
 * Reads the health facts through the Db port: one set-based query per part whatever the number of
 * tables, on the catalogs and the statistics views only. Nothing here opens a user table (sizes are
 * relpages, bloat is estimated from pg_stats), except pgstattuple with `exact`, which reads each table
 * and B-tree index it measures. A part the role may not read is recorded with the server's reason and
 * the others are still read.
 */
import type { Db } from '../db/db.js';
import { postgresErrorInfo } from '../db/db.js';
import { quoteIdent } from '../sql/quote.js';
import { readCheckpointActivity, readDatabaseActivity } from '../tune/server-facts.js';
import { estimateIndexBloat, estimateTableBloat, measuredIndexBloat, measuredTableBloat, type BloatEstimate } from './bloat.js';
import type {
  Archiver,
  BloatReading,
  DatabaseAge,
  HealthFactPart,
  HealthFacts,
  HealthServer,
  HealthSetting,
  HealthTable,
  PreparedTransaction,
  ReplicationSlot,
  Session,
  RecoveryState,
  Standby,
  StatementsExtension,
} from './facts.js';

export const HEALTH_FACT_PARTS: readonly HealthFactPart[] = [
  'tables',
  'databases',
  'activity',
  'preparedTransactions',
  'standbys',
  'slots',
  'recovery',
  'archiver',
  'serverActivity',
  'checkpoints',
  'statements',
  'tableBloat',
  'indexBloat',
];

/** With `exact`, relations smaller than this (by relpages) are not measured: none would be a finding. */
export const EXACT_MIN_BYTES = 1024 * 1024;

export interface ReadHealthFactsOptions {
  /** Measure bloat with pgstattuple (reads every table and B-tree index of 1 MB or more) instead of estimating it. */
  exact?: boolean;
  /** The parts to read (default all); the others are null, with no reason. */
  parts?: readonly HealthFactPart[];
}

/** Settings the checks read besides every `autovacuum%` one. */
const SETTINGS = [
  'track_counts',
  'track_activities',
  'track_io_timing',
  'vacuum_freeze_table_age',
  'vacuum_freeze_min_age',
  'vacuum_multixact_freeze_table_age',
  'max_connections',
  'superuser_reserved_connections',
  'reserved_connections',
  'idle_in_transaction_session_timeout',
  'statement_timeout',
  'archive_mode',
  'archive_command',
  'archive_library',
  'archive_timeout',
  'wal_level',
  'wal_segment_size',
  'max_wal_size',
  'checkpoint_timeout',
  'max_slot_wal_keep_size',
  'hot_standby',
  'hot_standby_feedback',
  'max_standby_streaming_delay',
  'max_standby_archive_delay',
  'recovery_min_apply_delay',
  'primary_slot_name',
  'synchronous_standby_names',
  'synchronous_commit',
  'wal_keep_size',
  'max_wal_senders',
  'shared_preload_libraries',
  'block_size',
  'shared_buffers',
  'work_mem',
  'log_temp_files',
];

type Row = Record<string, unknown>;

export async function readHealthFacts(db: Db, options: ReadHealthFactsOptions = {}): Promise<HealthFacts> {
  const wanted = new Set(options.parts ?? HEALTH_FACT_PARTS);
  const unavailable: HealthFacts['unavailable'] = {};
  const notes: string[] = [];
  const read = async <T>(part: HealthFactPart, what: string, reader: () => Promise<T>): Promise<T | null> => {
    if (!wanted.has(part)) return null;
    try {
      return await reader();
    } catch (error) {
      const info = postgresErrorInfo(error);
      if (!info) throw error;
      unavailable[part] = `${what}: ${info.message}`;
      return null;
    }
  };

  // JIT compiling these catalog queries costs more than it saves (as for the catalog snapshot).
  await db.query("SELECT set_config('jit', 'off', false)");
  const server = await readServer(db);
  const settings = await readSettings(db);
  const blockSize = Number(settings.block_size?.setting ?? 8192);
  const v = server.versionNum;

  const tables = await read('tables', 'tables (pg_class, pg_stat_all_tables)', () => readTables(db, blockSize));
  const databases = await read('databases', 'databases (pg_database)', () => readDatabases(db));
  const activity = await read('activity', 'sessions (pg_stat_activity, pg_locks)', () => readActivity(db));
  const preparedTransactions = await read('preparedTransactions', 'prepared transactions (pg_prepared_xacts)', () => readPrepared(db));
  const standbys = await read('standbys', 'standbys (pg_stat_replication)', async () => {
    if (server.inRecovery) throw notReadable('this server is a standby: lag is measured on the primary');
    const rows = await readStandbys(db);
    const hidden = rows.filter((r) => r.hidden).length;
    if (hidden) throw notReadable(`${hidden} standby${hidden === 1 ? '' : 's'} connected, but their WAL positions are hidden from this role (GRANT pg_read_all_stats)`);
    return rows.map((r) => r.standby);
  });
  const slots = await read('slots', 'replication slots (pg_replication_slots)', () => readSlots(db, v));
  const recovery = await read('recovery', 'the standby\'s replication (pg_stat_wal_receiver, pg_stat_database_conflicts)', async () => {
    if (!server.inRecovery) throw notReadable('this server is not a standby: run it on a standby, or pgarchitect replication with --replica');
    return readRecovery(db, v);
  });
  const walSegmentSize = Number(settings.wal_segment_size?.setting ?? 16 * 1024 * 1024) * unitBytes(settings.wal_segment_size?.unit ?? 'B');
  const archiver = await read('archiver', 'WAL archiver (pg_stat_archiver)', () => readArchiver(db, walSegmentSize));
  const serverActivity = await read('serverActivity', 'cache hits and temporary files (pg_stat_database)', () => readDatabaseActivity(db));
  const checkpoints = await read('checkpoints', `checkpoints (${v >= 170000 ? 'pg_stat_checkpointer' : 'pg_stat_bgwriter'})`, () => readCheckpointActivity(db, v));

  const extensions = wanted.has('statements') || wanted.has('tableBloat') || wanted.has('indexBloat') ? await readExtensions(db) : new Map<string, { version: string; schema: string }>();
  const statements = await read('statements', 'pg_stat_statements', () => readStatements(db, extensions.get('pg_stat_statements'), settings));

  let tableBloat: BloatReading | null = null;
  let indexBloat: BloatReading | null = null;
  if (options.exact && (wanted.has('tableBloat') || wanted.has('indexBloat'))) {
    const pgstattuple = extensions.get('pgstattuple');
    if (!pgstattuple) {
      notes.push('--exact: pgstattuple is not installed in this database (CREATE EXTENSION pgstattuple): bloat is estimated from statistics instead.');
    } else {
      const schema = quoteIdent(pgstattuple.schema);
      const measure = async (part: 'tableBloat' | 'indexBloat', reader: () => Promise<BloatReading>): Promise<BloatReading | null> => {
        if (!wanted.has(part)) return null;
        try {
          return await reader();
        } catch (error) {
          const info = postgresErrorInfo(error);
          if (!info) throw error;
          notes.push(`--exact: pgstattuple failed on the ${part === 'tableBloat' ? 'tables' : 'indexes'} (${info.message}): bloat is estimated from statistics instead.`);
          return null;
        }
      };
      tableBloat = await measure('tableBloat', () => measureTables(db, schema, blockSize));
      indexBloat = await measure('indexBloat', () => measureIndexes(db, schema, blockSize));
    }
  }
  tableBloat ??= await read('tableBloat', 'table bloat estimates (pg_class, pg_stats)', () => estimateTables(db, blockSize));
  indexBloat ??= await read('indexBloat', 'index bloat estimates (pg_index, pg_stats)', () => estimateIndexes(db, blockSize));

  return { server, settings, tables, databases, activity, preparedTransactions, standbys, slots, recovery, archiver, serverActivity, checkpoints, statements, tableBloat, indexBloat, unavailable, notes };
}

/** An error that reads like a Postgres one, so that `read` records it as the part's reason. */
function notReadable(message: string): Error {
  return Object.assign(new Error(message), { code: '42501' });
}

/** A timestamptz as ISO 8601 text, as the snapshot keeps times. */
function iso(expression: string): string {
  return `to_json(${expression}) #>> '{}'`;
}

/** Seconds from `expression` to now, computed by the server. */
function secondsSince(expression: string): string {
  return `extract(epoch FROM now() - ${expression})::float8`;
}

async function readServer(db: Db): Promise<HealthServer> {
  const [r] = await db.query<Row>(
    `SELECT current_setting('server_version_num')::int AS version_num, current_setting('server_version') AS version,
            current_database() AS database, current_user AS user_name, pg_is_in_recovery() AS in_recovery,
            ${iso('now()')} AS taken_at, ${iso('pg_postmaster_start_time()')} AS started_at,
            pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
            coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
            ${iso('d.stats_reset')} AS stats_reset, ${secondsSince('d.stats_reset')} AS stats_reset_seconds
       FROM (SELECT 1) one LEFT JOIN pg_stat_database d ON d.datname = current_database()`,
  );
  if (!r) throw new Error('the server query returned no row');
  return {
    versionNum: num(r.version_num),
    version: str(r.version),
    database: str(r.database),
    user: str(r.user_name),
    inRecovery: r.in_recovery === true,
    takenAt: str(r.taken_at),
    startedAt: optStr(r.started_at),
    readAllStats: r.read_all_stats === true,
    superuser: r.superuser === true,
    statsReset: optStr(r.stats_reset),
    statsResetSeconds: optNum(r.stats_reset_seconds),
  };
}

async function readSettings(db: Db): Promise<Record<string, HealthSetting>> {
  const rows = await db.query<{ name: string; setting: string; unit: string | null }>(
    "SELECT name, setting, unit FROM pg_settings WHERE name LIKE 'autovacuum%' OR name = ANY($1::text[]) ORDER BY name",
    [SETTINGS],
  );
  return Object.fromEntries(rows.map((r) => [r.name, { setting: r.setting, unit: r.unit }]));
}

async function readTables(db: Db, blockSize: number): Promise<HealthTable[]> {
  const rows = await db.query<Row>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.reltuples::float8 AS reltuples, c.relpages::float8 AS relpages,
            coalesce(t.relpages, 0)::float8 AS toast_pages, coalesce(c.reloptions, '{}') AS reloptions,
            pn.nspname AS parent_schema, pc.relname AS parent_name,
            CASE WHEN c.relkind <> 'p' THEN greatest(age(c.relfrozenxid), CASE WHEN t.oid IS NOT NULL THEN age(t.relfrozenxid) END)::float8 END AS xid_age,
            CASE WHEN c.relkind <> 'p' THEN greatest(mxid_age(c.relminmxid), CASE WHEN t.oid IS NOT NULL THEN mxid_age(t.relminmxid) END)::float8 END AS mxid_age,
            s.relid IS NOT NULL AS has_stats, s.n_live_tup::float8 AS live, s.n_dead_tup::float8 AS dead,
            s.n_mod_since_analyze::float8 AS mods, s.n_ins_since_vacuum::float8 AS inserts,
            ${iso('s.last_vacuum')} AS last_vacuum, ${iso('s.last_autovacuum')} AS last_autovacuum,
            ${iso('s.last_analyze')} AS last_analyze, ${iso('s.last_autoanalyze')} AS last_autoanalyze,
            ${secondsSince('greatest(s.last_vacuum, s.last_autovacuum)')} AS vacuumed_seconds,
            ${secondsSince('greatest(s.last_analyze, s.last_autoanalyze)')} AS analyzed_seconds,
            s.vacuum_count::float8 AS vacuum_count, s.autovacuum_count::float8 AS autovacuum_count,
            s.analyze_count::float8 AS analyze_count, s.autoanalyze_count::float8 AS autoanalyze_count
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
       LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
       LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
       LEFT JOIN pg_class pc ON pc.oid = i.inhparent
       LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE c.relkind IN ('r', 'm', 'p') AND c.relpersistence <> 't'
      ORDER BY 1, 2`,
  );
  return rows.map((r) => {
    const kind = r.kind === 'm' ? 'materialized view' : r.kind === 'p' ? 'partitioned table' : 'table';
    const reltuples = num(r.reltuples);
    return {
      schema: str(r.schema),
      name: str(r.name),
      kind,
      rowEstimate: reltuples < 0 ? null : reltuples,
      tableBytes: num(r.relpages) * blockSize,
      toastBytes: num(r.toast_pages) * blockSize,
      reloptions: (r.reloptions as string[] | null) ?? [],
      parent: r.parent_name ? `${str(r.parent_schema)}.${str(r.parent_name)}` : null,
      xidAge: optNum(r.xid_age),
      mxidAge: optNum(r.mxid_age),
      stats:
        r.has_stats === true
          ? {
              liveTuples: num(r.live),
              deadTuples: num(r.dead),
              modsSinceAnalyze: num(r.mods),
              insertsSinceVacuum: num(r.inserts),
              lastVacuum: optStr(r.last_vacuum),
              lastAutovacuum: optStr(r.last_autovacuum),
              lastAnalyze: optStr(r.last_analyze),
              lastAutoanalyze: optStr(r.last_autoanalyze),
              vacuumedSecondsAgo: optNum(r.vacuumed_seconds),
              analyzedSecondsAgo: optNum(r.analyzed_seconds),
              vacuumCount: num(r.vacuum_count),
              autovacuumCount: num(r.autovacuum_count),
              analyzeCount: num(r.analyze_count),
              autoanalyzeCount: num(r.autoanalyze_count),
            }
          : null,
    } satisfies HealthTable;
  });
}

async function readDatabases(db: Db): Promise<DatabaseAge[]> {
  const rows = await db.query<Row>('SELECT datname, age(datfrozenxid)::float8 AS xid_age, mxid_age(datminmxid)::float8 AS mxid_age, datallowconn FROM pg_database ORDER BY datname');
  return rows.map((r) => ({ name: str(r.datname), xidAge: num(r.xid_age), mxidAge: num(r.mxid_age), allowConnections: r.datallowconn === true }));
}

async function readActivity(db: Db): Promise<Session[]> {
  const rows = await db.query<Row>(
    `SELECT a.pid, a.datname, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_type, a.state,
            a.pid = pg_backend_pid() AS self,
            ${secondsSince('a.xact_start')} AS xact_seconds, ${secondsSince('a.query_start')} AS query_seconds,
            ${secondsSince('a.state_change')} AS state_seconds,
            a.wait_event_type, a.wait_event, age(a.backend_xid)::float8 AS xid_age, age(a.backend_xmin)::float8 AS xmin_age,
            left(a.query, 500) AS query,
            CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END AS blocked_by,
            CASE WHEN a.wait_event_type = 'Lock' THEN (SELECT ${secondsSince('min(l.waitstart)')} FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted) END AS lock_wait_seconds
       FROM pg_stat_activity a
      ORDER BY a.pid`,
  );
  return rows.map((r) => {
    const backendType = optStr(r.backend_type);
    // Another role's session without pg_read_all_stats: only pid, database and user are shown.
    const hidden = r.query === '<insufficient privilege>';
    return {
      pid: num(r.pid),
      database: optStr(r.datname),
      user: optStr(r.usename),
      application: optStr(r.application_name) || null,
      clientAddress: optStr(r.client_addr),
      backendType,
      state: optStr(r.state),
      hidden,
      self: r.self === true,
      transactionSeconds: optNum(r.xact_seconds),
      querySeconds: optNum(r.query_seconds),
      stateSeconds: optNum(r.state_seconds),
      waitEventType: optStr(r.wait_event_type),
      waitEvent: optStr(r.wait_event),
      xidAge: optNum(r.xid_age),
      xminAge: optNum(r.xmin_age),
      query: hidden ? null : maskQuery(optStr(r.query)),
      blockedBy: ((r.blocked_by as number[] | null) ?? []).map(Number),
      lockWaitSeconds: optNum(r.lock_wait_seconds),
    };
  });
}

/** Statement text that may carry a password (CREATE ROLE ... PASSWORD, a connection string) is not repeated. */
export function maskQuery(query: string | null): string | null {
  if (query === null || query === '') return query || null;
  if (/password|passwd|secret|\btoken\b|api[_-]?key|postgres(ql)?:\/\/[^\s'"]*:[^\s'"]*@/i.test(query)) return '(hidden: the statement may hold a password)';
  return query;
}

async function readPrepared(db: Db): Promise<PreparedTransaction[]> {
  const rows = await db.query<Row>(`SELECT gid, owner, database, ${secondsSince('prepared')} AS seconds, age(transaction)::float8 AS xid_age FROM pg_prepared_xacts ORDER BY prepared`);
  return rows.map((r) => ({ gid: str(r.gid), owner: str(r.owner), database: str(r.database), seconds: num(r.seconds), xidAge: num(r.xid_age) }));
}

async function readStandbys(db: Db): Promise<{ standby: Standby; hidden: boolean }[]> {
  const rows = await db.query<Row>(
    `SELECT pid, application_name, client_addr::text AS client_addr, state, sync_state,
            pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS replay_bytes,
            pg_wal_lsn_diff(pg_current_wal_lsn(), sent_lsn)::float8 AS send_bytes,
            extract(epoch FROM write_lag)::float8 AS write_lag, extract(epoch FROM flush_lag)::float8 AS flush_lag,
            extract(epoch FROM replay_lag)::float8 AS replay_lag, age(backend_xmin)::float8 AS xmin_age,
            (SELECT s.slot_name FROM pg_replication_slots s WHERE s.active_pid = r.pid LIMIT 1) AS slot_name,
            ${secondsSince('reply_time')} AS reply_seconds
       FROM pg_stat_replication r
      ORDER BY application_name, pid`,
  );
  return rows.map((r) => ({
    hidden: r.state === null,
    standby: {
      pid: num(r.pid),
      name: optStr(r.application_name) || optStr(r.client_addr) || `pid ${num(r.pid)}`,
      clientAddress: optStr(r.client_addr),
      state: optStr(r.state),
      syncState: optStr(r.sync_state),
      replayLagBytes: optNum(r.replay_bytes),
      sendLagBytes: optNum(r.send_bytes),
      writeLagSeconds: optNum(r.write_lag),
      flushLagSeconds: optNum(r.flush_lag),
      replayLagSeconds: optNum(r.replay_lag),
      xminAge: optNum(r.xmin_age),
      slotName: optStr(r.slot_name),
      replySeconds: optNum(r.reply_seconds),
    },
  }));
}

async function readRecovery(db: Db, versionNum: number): Promise<RecoveryState> {
  const [r] = await db.query<Row>(
    `SELECT w.status, w.sender_host || ':' || w.sender_port AS sender, w.slot_name,
            ${secondsSince('w.last_msg_receipt_time')} AS last_message_seconds,
            pg_last_wal_receive_lsn()::text AS receive_lsn, pg_last_wal_replay_lsn()::text AS replay_lsn,
            pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS received_not_replayed,
            ${secondsSince('pg_last_xact_replay_timestamp()')} AS last_replay_seconds,
            pg_is_wal_replay_paused() AS paused
       FROM (SELECT 1) one LEFT JOIN pg_stat_wal_receiver w ON true`,
  );
  const conflicts = await db.query<Row>(
    `SELECT datname, confl_tablespace::float8 AS tablespace, confl_lock::float8 AS lock, confl_snapshot::float8 AS snapshot,
            confl_bufferpin::float8 AS bufferpin, confl_deadlock::float8 AS deadlock,
            ${versionNum >= 160000 ? 'confl_active_logicalslot::float8' : 'NULL::float8'} AS logical_slot
       FROM pg_stat_database_conflicts WHERE datname IS NOT NULL ORDER BY datname`,
  );
  return {
    receiverStatus: optStr(r?.status),
    sender: optStr(r?.sender),
    slotName: optStr(r?.slot_name),
    lastMessageSeconds: optNum(r?.last_message_seconds),
    receiveLsn: optStr(r?.receive_lsn),
    replayLsn: optStr(r?.replay_lsn),
    receivedNotReplayedBytes: optNum(r?.received_not_replayed),
    lastReplaySeconds: optNum(r?.last_replay_seconds),
    replayPaused: r?.paused === true,
    conflicts: conflicts.map((c) => ({
      database: str(c.datname),
      tablespace: num(c.tablespace),
      lock: num(c.lock),
      snapshot: num(c.snapshot),
      bufferpin: num(c.bufferpin),
      deadlock: num(c.deadlock),
      logicalSlot: optNum(c.logical_slot),
    })),
  };
}

async function readSlots(db: Db, versionNum: number): Promise<ReplicationSlot[]> {
  const v17 = versionNum >= 170000;
  const rows = await db.query<Row>(
    `SELECT slot_name, slot_type, plugin, database, active, active_pid, temporary, restart_lsn::text AS restart_lsn,
            pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END, restart_lsn)::float8 AS retained_bytes,
            wal_status, safe_wal_size::float8 AS safe_wal_size, age(xmin)::float8 AS xmin_age, age(catalog_xmin)::float8 AS catalog_xmin_age,
            ${v17 ? secondsSince('inactive_since') : 'NULL::float8'} AS inactive_seconds,
            ${v17 ? 'invalidation_reason' : 'NULL::text'} AS invalidation_reason
       FROM pg_replication_slots
      ORDER BY slot_name`,
  );
  return rows.map((r) => ({
    name: str(r.slot_name),
    type: r.slot_type === 'logical' ? 'logical' : 'physical',
    plugin: optStr(r.plugin),
    database: optStr(r.database),
    active: r.active === true,
    activePid: optNum(r.active_pid),
    temporary: r.temporary === true,
    restartLsn: optStr(r.restart_lsn),
    retainedBytes: optNum(r.retained_bytes),
    walStatus: optStr(r.wal_status),
    safeWalBytes: optNum(r.safe_wal_size),
    xminAge: optNum(r.xmin_age),
    catalogXminAge: optNum(r.catalog_xmin_age),
    inactiveSeconds: optNum(r.inactive_seconds),
    invalidationReason: optStr(r.invalidation_reason),
  }));
}

async function readArchiver(db: Db, walSegmentSize: number): Promise<Archiver> {
  const [r] = await db.query<Row>(
    `SELECT archived_count::float8 AS archived_count, last_archived_wal, ${iso('last_archived_time')} AS last_archived_time,
            ${secondsSince('last_archived_time')} AS last_archived_seconds,
            failed_count::float8 AS failed_count, last_failed_wal, ${iso('last_failed_time')} AS last_failed_time, ${iso('stats_reset')} AS stats_reset,
            coalesce(last_failed_time > last_archived_time OR (last_failed_time IS NOT NULL AND last_archived_time IS NULL), false) AS failing_now,
            CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS current_wal
       FROM pg_stat_archiver`,
  );
  if (!r) throw notReadable('pg_stat_archiver returned no row');
  const lastArchivedWal = optStr(r.last_archived_wal);
  const currentWal = optStr(r.current_wal);
  return {
    archivedCount: num(r.archived_count),
    lastArchivedWal,
    lastArchivedTime: optStr(r.last_archived_time),
    lastArchivedSeconds: optNum(r.last_archived_seconds),
    failedCount: num(r.failed_count),
    lastFailedWal: optStr(r.last_failed_wal),
    lastFailedTime: optStr(r.last_failed_time),
    failingNow: r.failing_now === true,
    statsReset: optStr(r.stats_reset),
    currentWal,
    pendingSegments: pendingSegments(lastArchivedWal, currentWal, walSegmentSize),
  };
}

/**
 * Completed WAL files not archived yet, from the names of the last archived file and the file being
 * written (`TTTTTTTTXXXXXXXXYYYYYYYY`: timeline, then the segment number in two parts). Null when either
 * is unknown or not a plain segment (a `.partial` or `.history` file).
 */
export function pendingSegments(lastArchived: string | null, current: string | null, walSegmentSize: number): number | null {
  const segment = (name: string | null): number | null => {
    const m = name === null ? null : /^[0-9A-F]{8}([0-9A-F]{8})([0-9A-F]{8})$/.exec(name);
    if (!m) return null;
    const perLog = 0x100000000 / walSegmentSize;
    return parseInt(m[1]!, 16) * perLog + parseInt(m[2]!, 16);
  };
  const last = segment(lastArchived);
  const now = segment(current);
  if (last === null || now === null) return null;
  return Math.max(0, now - last - 1);
}

async function readExtensions(db: Db): Promise<Map<string, { version: string; schema: string }>> {
  const rows = await db.query<{ extname: string; extversion: string; nspname: string }>(
    "SELECT e.extname, e.extversion, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname IN ('pg_stat_statements', 'pgstattuple')",
  );
  return new Map(rows.map((r) => [r.extname, { version: r.extversion, schema: r.nspname }]));
}

async function readStatements(db: Db, extension: { version: string; schema: string } | undefined, settings: Record<string, HealthSetting>): Promise<StatementsExtension> {
  const libraries = settings.shared_preload_libraries?.setting;
  const preloaded = libraries === undefined ? null : libraries.split(',').some((l) => l.trim().replace(/^"|"$/g, '') === 'pg_stat_statements');
  if (!extension) return { installed: false, version: null, schema: null, preloaded, readable: null, error: null };
  try {
    await db.query(`SELECT 1 FROM ${quoteIdent(extension.schema)}.pg_stat_statements LIMIT 1`);
    return { installed: true, version: extension.version, schema: extension.schema, preloaded: preloaded ?? true, readable: true, error: null };
  } catch (error) {
    const info = postgresErrorInfo(error);
    if (!info) throw error;
    return { installed: true, version: extension.version, schema: extension.schema, preloaded, readable: false, error: info.message };
  }
}

const FILLFACTOR = (relation: string, fallback: number): string =>
  `coalesce((SELECT substring(o FROM '^fillfactor=(\\d+)$')::int FROM unnest(${relation}.reloptions) o WHERE o LIKE 'fillfactor=%'), ${fallback})`;

async function estimateTables(db: Db, blockSize: number): Promise<BloatReading> {
  const rows = await db.query<Row>(
    `WITH stats AS (
       SELECT schemaname, tablename, count(*) AS columns_with_stats, sum((1 - null_frac) * avg_width)::float8 AS data_width, bool_or(null_frac > 0) AS has_nulls
         FROM pg_stats WHERE NOT inherited GROUP BY schemaname, tablename
     )
     SELECT n.nspname AS schema, c.relname AS name, c.relpages::float8 AS pages, c.reltuples::float8 AS rows,
            coalesce(t.relpages, 0)::float8 AS toast_pages, greatest(coalesce(t.reltuples, 0), 0)::float8 AS toast_rows,
            ${FILLFACTOR('c', 100)} AS fillfactor,
            (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::int AS columns,
            coalesce(s.columns_with_stats, 0)::int AS columns_with_stats, coalesce(s.data_width, 0) AS data_width, coalesce(s.has_nulls, false) AS has_nulls
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
       LEFT JOIN stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
      WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND c.relpages > 0
      ORDER BY 1, 2`,
  );
  return collect(
    'estimate',
    rows.map((r) => ({
      relation: { schema: str(r.schema), name: str(r.name), table: null },
      estimate: estimateTableBloat(
        {
          schema: str(r.schema),
          name: str(r.name),
          pages: num(r.pages),
          rows: num(r.rows),
          toastPages: num(r.toast_pages),
          toastRows: num(r.toast_rows),
          fillfactor: num(r.fillfactor),
          columns: num(r.columns),
          columnsWithStats: num(r.columns_with_stats),
          dataWidth: num(r.data_width),
          hasNulls: r.has_nulls === true,
        },
        blockSize,
      ),
    })),
  );
}

async function estimateIndexes(db: Db, blockSize: number): Promise<BloatReading> {
  // pg_stats (a view with a privilege test per row) is read once and hash-joined twice: joined directly,
  // the planner's nested loops took seconds at 1,000 tables.
  const rows = await db.query<Row>(
    `WITH stats AS MATERIALIZED (
       SELECT schemaname, tablename, attname, null_frac, avg_width FROM pg_stats WHERE NOT inherited
     ), keys AS MATERIALIZED (
       SELECT n.nspname AS schema, t.relname AS table_name, i.relname AS name, i.relpages, i.reltuples, i.reloptions,
              ia.attname AS index_column, ta.attname AS table_column, x.indkey[ia.attnum - 1] AS table_attnum
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = i.relnamespace
         JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree'
         JOIN pg_attribute ia ON ia.attrelid = i.oid AND ia.attnum > 0
         LEFT JOIN pg_attribute ta ON x.indkey[ia.attnum - 1] > 0 AND ta.attrelid = t.oid AND ta.attnum = x.indkey[ia.attnum - 1]
        WHERE i.relkind = 'i' AND i.relpages > 0 AND x.indisvalid AND i.relpersistence <> 't'
     )
     SELECT k.schema, k.table_name, k.name, k.relpages::float8 AS pages, k.reltuples::float8 AS rows,
            ${FILLFACTOR('k', 90)} AS fillfactor, count(*)::int AS columns,
            count(coalesce(sc.avg_width, se.avg_width))::int AS columns_with_stats,
            coalesce(sum((1 - coalesce(sc.null_frac, se.null_frac)) * coalesce(sc.avg_width, se.avg_width)), 0)::float8 AS data_width,
            coalesce(bool_or(coalesce(sc.null_frac, se.null_frac) > 0), false) AS has_nulls
       FROM keys k
       LEFT JOIN stats sc ON sc.schemaname = k.schema AND sc.tablename = k.table_name AND sc.attname = k.table_column
       LEFT JOIN stats se ON k.table_attnum = 0 AND se.schemaname = k.schema AND se.tablename = k.name AND se.attname = k.index_column
      GROUP BY k.schema, k.table_name, k.name, k.relpages, k.reltuples, k.reloptions
      ORDER BY 1, 2, 3`,
  );
  return collect(
    'estimate',
    rows.map((r) => ({
      relation: { schema: str(r.schema), name: str(r.name), table: str(r.table_name) },
      estimate: estimateIndexBloat(
        {
          schema: str(r.schema),
          table: str(r.table_name),
          name: str(r.name),
          pages: num(r.pages),
          rows: num(r.rows),
          fillfactor: num(r.fillfactor),
          columns: num(r.columns),
          columnsWithStats: num(r.columns_with_stats),
          dataWidth: num(r.data_width),
          hasNulls: r.has_nulls === true,
        },
        blockSize,
      ),
    })),
  );
}

async function measureTables(db: Db, schema: string, blockSize: number): Promise<BloatReading> {
  const rows = await db.query<Row>(
    `SELECT n.nspname AS schema, c.relname AS name, s.table_len::float8 AS table_len, s.dead_tuple_len::float8 AS dead_tuple_len,
            s.free_space::float8 AS free_space, ${FILLFACTOR('c', 100)} AS fillfactor
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       CROSS JOIN LATERAL ${schema}.pgstattuple(c.oid::regclass) s
      WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't' AND c.relpages >= $1
      ORDER BY 1, 2`,
    [EXACT_MIN_BYTES / blockSize],
  );
  return {
    method: 'pgstattuple',
    relations: rows.map((r) =>
      measuredTableBloat({ schema: str(r.schema), table: str(r.name), name: str(r.name) }, { tableLen: num(r.table_len), deadTupleLen: num(r.dead_tuple_len), freeSpace: num(r.free_space), fillfactor: num(r.fillfactor) }),
    ),
    notEstimated: [],
  };
}

async function measureIndexes(db: Db, schema: string, blockSize: number): Promise<BloatReading> {
  const rows = await db.query<Row>(
    `SELECT n.nspname AS schema, t.relname AS table_name, i.relname AS name, s.index_size::float8 AS index_size, s.leaf_pages::float8 AS leaf_pages,
            s.avg_leaf_density::float8 AS avg_leaf_density, ${FILLFACTOR('i', 90)} AS fillfactor
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = i.relnamespace
       JOIN pg_am am ON am.oid = i.relam AND am.amname = 'btree'
       CROSS JOIN LATERAL ${schema}.pgstatindex(i.oid::regclass) s
      WHERE i.relkind = 'i' AND x.indisvalid AND i.relpersistence <> 't' AND i.relpages >= $1
      ORDER BY 1, 2, 3`,
    [EXACT_MIN_BYTES / blockSize],
  );
  return {
    method: 'pgstattuple',
    relations: rows.map((r) =>
      measuredIndexBloat(
        { schema: str(r.schema), table: str(r.table_name), name: str(r.name) },
        { indexSize: num(r.index_size), leafPages: num(r.leaf_pages), avgLeafDensity: num(r.avg_leaf_density), fillfactor: num(r.fillfactor) },
        blockSize,
      ),
    ),
    notEstimated: [],
  };
}

function collect(method: BloatReading['method'], items: { relation: { schema: string; name: string; table: string | null }; estimate: BloatEstimate }[]): BloatReading {
  const reading: BloatReading = { method, relations: [], notEstimated: [] };
  for (const { relation, estimate } of items) {
    if (estimate.ok) reading.relations.push(estimate.bloat);
    else reading.notEstimated.push({ ...relation, reason: estimate.reason });
  }
  return reading;
}

function unitBytes(unit: string): number {
  return unit === 'MB' ? 1024 * 1024 : unit === 'kB' ? 1024 : unit === '8kB' ? 8192 : 1;
}

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function optStr(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function num(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

function optNum(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
