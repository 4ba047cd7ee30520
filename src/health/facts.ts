/**
 * What `health` and `maintenance plan` read from a running server beyond the catalog snapshot: vacuum
 * counters and transaction ID ages of every table, the sessions and their locks, standbys, slots, the
 * WAL archiver, cumulative statistics and bloat estimates. Plain JSON values, so that the checks over
 * them are pure functions (tests build facts by hand).
 *
 * Conventions as in the snapshot: `null` means "not known or not visible", never zero; durations are
 * seconds, computed by the server (`now() - ...`), so no check reads the clock; sizes are bytes.
 */
import type { CheckpointActivity, DatabaseActivity } from '../tune/server-facts.js';

/** The parts of the facts, each read by its own query; a part that could not be read is null. */
export type HealthFactPart =
  | 'tables'
  | 'databases'
  | 'activity'
  | 'preparedTransactions'
  | 'standbys'
  | 'slots'
  | 'recovery'
  | 'archiver'
  | 'serverActivity'
  | 'checkpoints'
  | 'statements'
  | 'tableBloat'
  | 'indexBloat';

/** Where each part comes from, in the words of the documentation (the README's "Needs" column). */
export const HEALTH_PART_SOURCES: Readonly<Record<HealthFactPart, string>> = {
  tables: 'pg_stat_all_tables',
  databases: 'pg_database',
  activity: 'pg_stat_activity',
  preparedTransactions: 'pg_prepared_xacts',
  standbys: 'pg_stat_replication',
  slots: 'pg_replication_slots',
  recovery: 'pg_stat_wal_receiver and pg_stat_database_conflicts, on a standby',
  archiver: 'pg_stat_archiver',
  serverActivity: 'pg_stat_database',
  checkpoints: 'pg_stat_bgwriter or pg_stat_checkpointer',
  statements: 'pg_stat_statements',
  tableBloat: 'pg_stats (pgstattuple with --exact)',
  indexBloat: 'pg_stats (pgstatindex with --exact)',
};

export interface HealthFacts {
  server: HealthServer;
  /** pg_settings values by name (`setting` in the setting's own unit); a name missing is hidden or does not exist. */
  settings: Record<string, HealthSetting>;
  tables: HealthTable[] | null;
  databases: DatabaseAge[] | null;
  /** Every backend of pg_stat_activity, this session included (`self`). */
  activity: Session[] | null;
  preparedTransactions: PreparedTransaction[] | null;
  /** pg_stat_replication. Null on a standby (no WAL position of its own to measure lag against) and when hidden. */
  standbys: Standby[] | null;
  slots: ReplicationSlot[] | null;
  /** A standby's own view of its replication; null on a primary. */
  recovery: RecoveryState | null;
  archiver: Archiver | null;
  /** pg_stat_database summed over every database (tune's reader). */
  serverActivity: DatabaseActivity | null;
  /** Timed and requested checkpoints (tune's reader). */
  checkpoints: CheckpointActivity | null;
  statements: StatementsExtension | null;
  tableBloat: BloatReading | null;
  indexBloat: BloatReading | null;
  /** Why each part that is null could not be read: privilege, version, extension missing. */
  unavailable: Partial<Record<HealthFactPart, string>>;
  /** What the reader wants the report to say besides (for example: pgstattuple not installed, estimates used). */
  notes: string[];
}

export interface HealthServer {
  versionNum: number;
  /** `server_version`, e.g. `15.8 (Debian 15.8-1.pgdg120+1)`. */
  version: string;
  database: string;
  user: string;
  /** A standby (pg_is_in_recovery). */
  inRecovery: boolean;
  /** The server's clock when read (ISO 8601). */
  takenAt: string;
  startedAt: string | null;
  /** Member of pg_read_all_stats (or superuser): other roles' sessions and standbys' positions are visible. */
  readAllStats: boolean;
  superuser: boolean;
  /** pg_stat_database.stats_reset of the current database; null when never reset. */
  statsReset: string | null;
  /** Seconds since that reset; null when never reset. */
  statsResetSeconds: number | null;
}

export interface HealthSetting {
  setting: string;
  unit: string | null;
}

/** An ordinary table, materialized view or partitioned table of the current database (TOAST folded into its owner). */
export interface HealthTable {
  schema: string;
  name: string;
  kind: 'table' | 'materialized view' | 'partitioned table';
  /** pg_class.reltuples; null when never vacuumed or analysed (-1). */
  rowEstimate: number | null;
  /** Heap pages × block size, as of the last VACUUM or ANALYZE (relpages). */
  tableBytes: number;
  /** The TOAST table's pages × block size. */
  toastBytes: number;
  reloptions: string[];
  /** Direct parent of a partition, `schema.name`. */
  parent: string | null;
  /** age(relfrozenxid), the larger of the table's and its TOAST table's; null for a partitioned table (no storage). */
  xidAge: number | null;
  /** mxid_age(relminmxid), likewise. */
  mxidAge: number | null;
  /** pg_stat_all_tables; null when the server keeps none (a partitioned table before 15, or track_counts off). */
  stats: HealthTableStats | null;
}

export interface HealthTableStats {
  liveTuples: number;
  deadTuples: number;
  modsSinceAnalyze: number;
  insertsSinceVacuum: number;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  /** Seconds since the later of last_vacuum and last_autovacuum; null when never. */
  vacuumedSecondsAgo: number | null;
  /** Seconds since the later of last_analyze and last_autoanalyze; null when never. */
  analyzedSecondsAgo: number | null;
  vacuumCount: number;
  autovacuumCount: number;
  analyzeCount: number;
  autoanalyzeCount: number;
}

export interface DatabaseAge {
  name: string;
  xidAge: number;
  mxidAge: number;
  allowConnections: boolean;
}

export interface Session {
  pid: number;
  database: string | null;
  user: string | null;
  application: string | null;
  clientAddress: string | null;
  /** `client backend`, `autovacuum worker`, `walsender`, ...; null when hidden from this role. */
  backendType: string | null;
  /** `active`, `idle`, `idle in transaction`, ...; null when hidden from this role (or a background process). */
  state: string | null;
  /** True when this role may not see the session's state and query (another role's, without pg_read_all_stats). */
  hidden: boolean;
  self: boolean;
  transactionSeconds: number | null;
  querySeconds: number | null;
  /** Seconds in the current state (idle in transaction for...). */
  stateSeconds: number | null;
  waitEventType: string | null;
  waitEvent: string | null;
  /** age(backend_xid): the session's own transaction ID, when it has written. */
  xidAge: number | null;
  /** age(backend_xmin): the oldest snapshot it holds, which VACUUM may not clean past. */
  xminAge: number | null;
  /** The last statement, cut at 500 characters, with text that may hold a password masked. */
  query: string | null;
  /** pg_blocking_pids() of a session waiting for a lock; empty otherwise. */
  blockedBy: number[];
  /** Seconds since it started waiting for the lock (pg_locks.waitstart), when waiting for one. */
  lockWaitSeconds: number | null;
}

export interface PreparedTransaction {
  gid: string;
  owner: string;
  database: string;
  seconds: number;
  xidAge: number;
}

export interface Standby {
  pid: number;
  /** application_name, else the client address. */
  name: string;
  clientAddress: string | null;
  state: string | null;
  syncState: string | null;
  /** WAL generated here and not yet replayed there, in bytes. */
  replayLagBytes: number | null;
  /** Not yet sent to it, in bytes. */
  sendLagBytes: number | null;
  writeLagSeconds: number | null;
  flushLagSeconds: number | null;
  /** replay_lag; null when the standby is idle and caught up. */
  replayLagSeconds: number | null;
  /** age(backend_xmin): what hot_standby_feedback holds back here. */
  xminAge: number | null;
  /** The replication slot it streams through (pg_replication_slots.active_pid); null without one. */
  slotName: string | null;
  /** Seconds since the standby last replied; null when it never did. */
  replySeconds: number | null;
}

/** What a standby knows of its own replication. */
export interface RecoveryState {
  /** pg_stat_wal_receiver.status (`streaming`, `catchup`, `stopping`, ...); null when no WAL receiver runs (archive recovery only, or the primary is gone). */
  receiverStatus: string | null;
  /** The primary it streams from, `host:port`; null without a receiver. */
  sender: string | null;
  /** The slot it streams through (pg_stat_wal_receiver.slot_name). */
  slotName: string | null;
  /** Seconds since the last message from the primary. */
  lastMessageSeconds: number | null;
  receiveLsn: string | null;
  replayLsn: string | null;
  /** WAL received and not yet replayed, in bytes. */
  receivedNotReplayedBytes: number | null;
  /** Seconds since the last replayed transaction committed on the primary; grows on an idle primary too. */
  lastReplaySeconds: number | null;
  /** pg_is_wal_replay_paused(): replay stopped by pg_wal_replay_pause() or a recovery target. */
  replayPaused: boolean;
  /** Queries cancelled by replay, per database, since the statistics were reset (pg_stat_database_conflicts). */
  conflicts: DatabaseConflicts[];
}

export interface DatabaseConflicts {
  database: string;
  tablespace: number;
  lock: number;
  /** Row versions the query could still see were removed on the primary (hot_standby_feedback off). */
  snapshot: number;
  bufferpin: number;
  deadlock: number;
  /** PostgreSQL 16+: logical slots invalidated on the standby. */
  logicalSlot: number | null;
}

export interface ReplicationSlot {
  name: string;
  type: 'physical' | 'logical';
  plugin: string | null;
  database: string | null;
  active: boolean;
  /** The walsender (or other process) using it. */
  activePid: number | null;
  temporary: boolean;
  /** Null when the slot reserves no WAL (created without immediately_reserve and never used). */
  restartLsn: string | null;
  /** WAL kept for the slot: from its restart_lsn to the current position. */
  retainedBytes: number | null;
  /** `reserved`, `extended`, `unreserved`, `lost`. */
  walStatus: string | null;
  /** Bytes that can still be written before the slot loses its WAL (max_slot_wal_keep_size); null when unlimited. */
  safeWalBytes: number | null;
  xminAge: number | null;
  catalogXminAge: number | null;
  /** PostgreSQL 17+: seconds since it became inactive. */
  inactiveSeconds: number | null;
  /** PostgreSQL 17+: why it was invalidated (`wal_removed`, `rows_removed`, ...). */
  invalidationReason: string | null;
}

export interface Archiver {
  archivedCount: number;
  lastArchivedWal: string | null;
  lastArchivedTime: string | null;
  lastArchivedSeconds: number | null;
  failedCount: number;
  lastFailedWal: string | null;
  lastFailedTime: string | null;
  /** The last failure is more recent than the last success: archiving fails now. */
  failingNow: boolean;
  statsReset: string | null;
  /** The WAL file written now; null on a standby. */
  currentWal: string | null;
  /** WAL files completed since the last archived one and not archived yet (from their names); null when unknown. */
  pendingSegments: number | null;
}

export interface StatementsExtension {
  installed: boolean;
  version: string | null;
  schema: string | null;
  /** In shared_preload_libraries; null when that setting is hidden from this role. */
  preloaded: boolean | null;
  /** Reading the view worked (installed and loaded); null when not tried. */
  readable: boolean | null;
  /** The server's error when it did not. */
  error: string | null;
}

/** Bloat of tables or of B-tree indexes, estimated from statistics or measured with pgstattuple. */
export interface BloatReading {
  method: 'estimate' | 'pgstattuple';
  /** Relations with an estimate or a measure. */
  relations: RelationBloat[];
  /** Relations that could not be estimated (no statistics: never analysed, not readable by this role, or expressions without statistics). */
  notEstimated: { schema: string; name: string; table: string | null; reason: string }[];
}

export interface RelationBloat {
  schema: string;
  /** The table; for an index, the table it indexes. */
  table: string;
  /** The relation itself: the table's or the index's name. */
  name: string;
  kind: 'table' | 'index';
  /** Size by the catalog's page count (estimate) or as measured (pgstattuple). */
  bytes: number;
  /** Size the live rows would need at the relation's fillfactor. */
  expectedBytes: number;
  /** bytes - expectedBytes, at least 0. */
  wastedBytes: number;
  /** wastedBytes / bytes. */
  ratio: number;
  fillfactor: number;
}
