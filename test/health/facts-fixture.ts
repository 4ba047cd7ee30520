/**
 * Health facts built by hand, for the checks' own tests: a server with PostgreSQL's default settings,
 * nothing connected and nothing wrong; each test sets the part it is about. The live tests
 * (test/health/*.test.ts) produce the same conditions on a real server.
 */
import { EMPTY_CONFIG, type Config } from '../../src/config/config.js';
import type { Finding } from '../../src/finding.js';
import type { HealthFacts, HealthTable, HealthTableStats, RecoveryState, ReplicationSlot, Session, Standby } from '../../src/health/facts.js';
import type { HealthCheck } from '../../src/health/result.js';
import { runHealthRules } from '../../src/health/run-health-rules.js';
import type { AnyHealthRule } from '../../src/rules/health-rule.js';
import type { SkippedRule } from '../../src/result.js';

const DEFAULT_SETTINGS: Record<string, string> = {
  autovacuum: 'on',
  track_counts: 'on',
  track_io_timing: 'off',
  autovacuum_max_workers: '3',
  autovacuum_vacuum_threshold: '50',
  autovacuum_vacuum_scale_factor: '0.2',
  autovacuum_vacuum_insert_threshold: '1000',
  autovacuum_vacuum_insert_scale_factor: '0.2',
  autovacuum_analyze_threshold: '50',
  autovacuum_analyze_scale_factor: '0.1',
  autovacuum_freeze_max_age: '200000000',
  autovacuum_multixact_freeze_max_age: '400000000',
  vacuum_freeze_table_age: '150000000',
  vacuum_multixact_freeze_table_age: '150000000',
  max_connections: '100',
  superuser_reserved_connections: '3',
  idle_in_transaction_session_timeout: '0',
  archive_mode: 'off',
  wal_level: 'replica',
  wal_segment_size: '16777216',
  max_wal_size: '1024',
  checkpoint_timeout: '300',
  max_slot_wal_keep_size: '-1',
  shared_preload_libraries: 'pg_stat_statements',
  block_size: '8192',
  shared_buffers: '16384',
  work_mem: '4096',
  log_temp_files: '-1',
};

const UNITS: Record<string, string> = { max_wal_size: 'MB', checkpoint_timeout: 's', shared_buffers: '8kB', work_mem: 'kB', wal_segment_size: 'B', max_slot_wal_keep_size: 'MB' };

/** A healthy server; `settings` overrides single settings by name. */
export function healthFacts(overrides: Partial<Omit<HealthFacts, 'settings'>> & { settings?: Record<string, string> } = {}): HealthFacts {
  const { settings, ...rest } = overrides;
  const all = { ...DEFAULT_SETTINGS, ...settings };
  return {
    server: {
      versionNum: 150008,
      version: '15.8',
      database: 'shop',
      user: 'postgres',
      inRecovery: false,
      takenAt: '2026-06-01T12:00:00.000+00:00',
      startedAt: '2026-05-01T12:00:00.000+00:00',
      readAllStats: true,
      superuser: true,
      statsReset: null,
      statsResetSeconds: null,
    },
    settings: Object.fromEntries(Object.entries(all).map(([name, setting]) => [name, { setting, unit: UNITS[name] ?? null }])),
    tables: [],
    databases: [{ name: 'shop', xidAge: 1000, mxidAge: 10, allowConnections: true }],
    activity: [session({ pid: 1, self: true, state: 'active' })],
    preparedTransactions: [],
    standbys: [],
    slots: [],
    recovery: null,
    archiver: { archivedCount: 0, lastArchivedWal: null, lastArchivedTime: null, lastArchivedSeconds: null, failedCount: 0, lastFailedWal: null, lastFailedTime: null, failingNow: false, statsReset: null, currentWal: '000000010000000000000001', pendingSegments: null },
    serverActivity: { tempFiles: 0, tempBytes: 0, blocksHit: 1_000_000, blocksRead: 1000, transactions: 100_000, statsReset: null },
    checkpoints: { view: 'pg_stat_bgwriter', timed: 100, requested: 2, statsReset: null },
    statements: { installed: true, version: '1.10', schema: 'public', preloaded: true, readable: true, error: null },
    tableBloat: { method: 'estimate', relations: [], notEstimated: [] },
    indexBloat: { method: 'estimate', relations: [], notEstimated: [] },
    unavailable: { recovery: 'the standby\'s replication (pg_stat_wal_receiver, pg_stat_database_conflicts): this server is not a standby' },
    notes: [],
    ...rest,
  };
}

export function stats(overrides: Partial<HealthTableStats> = {}): HealthTableStats {
  return {
    liveTuples: 1000,
    deadTuples: 0,
    modsSinceAnalyze: 0,
    insertsSinceVacuum: 0,
    lastVacuum: null,
    lastAutovacuum: '2026-06-01T11:00:00.000+00:00',
    lastAnalyze: null,
    lastAutoanalyze: '2026-06-01T11:00:00.000+00:00',
    vacuumedSecondsAgo: 3600,
    analyzedSecondsAgo: 3600,
    vacuumCount: 0,
    autovacuumCount: 5,
    analyzeCount: 0,
    autoanalyzeCount: 5,
    ...overrides,
  };
}

export function table(overrides: Partial<HealthTable> = {}): HealthTable {
  return {
    schema: 'public',
    name: 'orders',
    kind: 'table',
    rowEstimate: 1000,
    tableBytes: 8192 * 10,
    toastBytes: 0,
    reloptions: [],
    parent: null,
    xidAge: 1000,
    mxidAge: 10,
    stats: stats(),
    ...overrides,
  };
}

export function session(overrides: Partial<Session> = {}): Session {
  return {
    pid: 100,
    database: 'shop',
    user: 'app',
    application: 'web',
    clientAddress: '10.0.0.5',
    backendType: 'client backend',
    state: 'idle',
    hidden: false,
    self: false,
    transactionSeconds: null,
    querySeconds: 1,
    stateSeconds: 1,
    waitEventType: null,
    waitEvent: null,
    xidAge: null,
    xminAge: null,
    query: 'SELECT 1',
    blockedBy: [],
    lockWaitSeconds: null,
    ...overrides,
  };
}

export function standby(overrides: Partial<Standby> = {}): Standby {
  return {
    pid: 200,
    name: 'replica1',
    clientAddress: '10.0.0.9',
    state: 'streaming',
    syncState: 'async',
    replayLagBytes: 0,
    sendLagBytes: 0,
    writeLagSeconds: null,
    flushLagSeconds: null,
    replayLagSeconds: null,
    xminAge: null,
    slotName: null,
    replySeconds: 1,
    ...overrides,
  };
}

export function slot(overrides: Partial<ReplicationSlot> = {}): ReplicationSlot {
  return {
    name: 'replica1',
    type: 'physical',
    plugin: null,
    database: null,
    active: true,
    activePid: 200,
    temporary: false,
    restartLsn: '0/3000000',
    retainedBytes: 16 * 1024 * 1024,
    walStatus: 'reserved',
    safeWalBytes: null,
    xminAge: null,
    catalogXminAge: null,
    inactiveSeconds: null,
    invalidationReason: null,
    ...overrides,
  };
}

export interface CheckRun {
  findings: Finding[];
  check: HealthCheck | undefined;
  skipped: SkippedRule | undefined;
}

/** Runs one check over the facts, with options over its defaults. */
export async function runCheck(rule: AnyHealthRule, facts: HealthFacts, options?: Record<string, unknown>): Promise<CheckRun> {
  const config: Config = options ? { ...EMPTY_CONFIG, rules: { [rule.meta.id]: { options } } } : EMPTY_CONFIG;
  const result = await runHealthRules(facts, [rule], { config });
  return { findings: result.findings, check: result.checks[0], skipped: result.skipped[0] };
}

/** A standby streaming and caught up, with no conflicts; `healthFacts({ recovery: recovery(...) })` makes the server a standby. */
export function recovery(overrides: Partial<RecoveryState> = {}): RecoveryState {
  return {
    receiverStatus: 'streaming',
    sender: '10.0.0.1:5432',
    slotName: 'replica1',
    lastMessageSeconds: 0.5,
    receiveLsn: '0/3000148',
    replayLsn: '0/3000148',
    receivedNotReplayedBytes: 0,
    lastReplaySeconds: 2,
    replayPaused: false,
    conflicts: [{ database: 'shop', tablespace: 0, lock: 0, snapshot: 0, bufferpin: 0, deadlock: 0, logicalSlot: null }],
    ...overrides,
  };
}

/** The facts of a standby: in recovery, with `recovery`, and no pg_stat_replication of its own. */
export function standbyFacts(state: Partial<RecoveryState> = {}, settings: Record<string, string> = {}): HealthFacts {
  const facts = healthFacts({ recovery: recovery(state), standbys: null, unavailable: { standbys: 'standbys (pg_stat_replication): this server is a standby: lag is measured on the primary' }, settings: { hot_standby_feedback: 'off', max_standby_streaming_delay: '30000', ...settings } });
  return { ...facts, server: { ...facts.server, inRecovery: true } };
}

/** The checks that read a standby's own view: on a primary they do not run, and say why. */
export const STANDBY_SIDE_CHECKS = ['standby-not-streaming', 'standby-query-conflicts', 'standby-replay-paused'];
export const NOT_A_STANDBY = "the standby's replication (pg_stat_wal_receiver, pg_stat_database_conflicts): this server is not a standby: run it on a standby, or pgarchitect replication with --replica";
