/**
 * `pgarchitect replication`: the primary's standbys (state, lag in bytes and time, slot, sync state),
 * each `--replica` as it sees itself (receiver, replay, hot-standby conflict settings and
 * pg_stat_database_conflicts), the replication health checks on both sides, and how much of the
 * pg_stat_statements workload reads only and could be served by replicas, with the read-after-write
 * caveats measured on this set-up.
 *
 * Safe on production: read-only sessions with statement_timeout and lock_timeout; nothing is changed.
 */
import { describeConnection, type LiveConnectionOptions } from '../db/connection-config.js';
import { postgresErrorInfo, type Db } from '../db/db.js';
import { LiveDb } from '../db/live-db.js';
import { UserError } from '../errors.js';
import { healthOfFacts } from '../health/health.js';
import type { HealthFacts } from '../health/facts.js';
import { readHealthFacts } from '../health/read-facts.js';
import { healthRules } from '../rules/health/index.js';
import { totalConflicts } from '../rules/health/standby-query-conflicts.js';
import { ensureParser } from '../sql/parser.js';
import { formatBytes } from '../report/format-bytes.js';
import type { ConnectionLimits } from '../source.js';
import { VERSION } from '../version.js';
import { readPgStatStatements } from '../workload/pg-stat-statements.js';
import { REPLICATION_RESULT_SCHEMA_VERSION, type ReplicaReport, type ReplicationResult, type StandbyReport } from './result.js';
import { splitWorkload } from './workload-split.js';
import type { Config } from '../config/config.js';

export interface ReplicationOptions extends ConnectionLimits {
  /** The primary (URL, else DATABASE_URL and the PG* variables of `env`). */
  primary?: LiveConnectionOptions;
  /** Standbys to examine from their side. */
  replicas?: LiveConnectionOptions[];
  env?: NodeJS.ProcessEnv;
  config?: Config;
  /** How many pg_stat_statements statements to classify, by total time (default 500). */
  top?: number;
}

/** The settings shown for each side: what decides how replication and hot-standby conflicts behave. */
const PRIMARY_SETTINGS = ['wal_level', 'max_wal_senders', 'synchronous_standby_names', 'synchronous_commit', 'wal_keep_size', 'max_slot_wal_keep_size', 'archive_mode'];
const REPLICA_SETTINGS = ['hot_standby', 'hot_standby_feedback', 'max_standby_streaming_delay', 'max_standby_archive_delay', 'recovery_min_apply_delay', 'primary_slot_name'];

const PRIMARY_CHECKS = ['inactive-replication-slot', 'replication-lag', 'standby-without-slot', 'synchronous-standby-missing'];
const REPLICA_CHECKS = ['standby-not-streaming', 'standby-query-conflicts', 'standby-replay-paused'];

export async function replicationReport(options: ReplicationOptions = {}): Promise<ReplicationResult> {
  const env = options.env ?? process.env;
  const limits = { statementTimeoutMs: options.statementTimeoutMs, lockTimeoutMs: options.lockTimeoutMs };
  const primaryConnection = { ...options.primary, ...limits };
  const description = describeConnection(primaryConnection, env);
  await ensureParser();
  const db = await LiveDb.connect({ ...primaryConnection, env });
  try {
    const facts = await readHealthFacts(db, { parts: ['standbys', 'slots'] });
    if (facts.server.inRecovery) {
      throw new UserError(`${description} is a standby (in recovery)`, 'give the primary as the URL, and standbys with --replica');
    }
    const health = await healthOfFacts('', facts, { config: options.config, only: PRIMARY_CHECKS, rules: healthRules }, [], description);
    const [lsn] = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    const replicas: ReplicaReport[] = [];
    for (const replica of options.replicas ?? []) replicas.push(await readReplica({ ...replica, ...limits }, env, options.config));
    const standbys = matchStandbys(facts, replicas);
    let workload: ReplicationResult['workload'] = null;
    let workloadUnavailable: string | null = null;
    try {
      workload = await splitWorkload(db, await readPgStatStatements(db, { top: options.top ?? 500, description }));
    } catch (error) {
      if (!(error instanceof UserError) && !postgresErrorInfo(error)) throw error;
      workloadUnavailable = error instanceof UserError ? error.message : postgresErrorInfo(error)!.message;
    }
    return {
      schemaVersion: REPLICATION_RESULT_SCHEMA_VERSION,
      tool: { name: 'pgarchitect', version: VERSION },
      primary: {
        description,
        serverVersion: facts.server.version,
        serverVersionNum: facts.server.versionNum,
        currentLsn: lsn?.lsn ?? null,
        settings: pick(facts, PRIMARY_SETTINGS),
        health,
      },
      standbys,
      replicas,
      workload,
      workloadUnavailable,
      readAfterWrite: readAfterWriteCaveats(facts, standbys, workload),
    };
  } finally {
    await db.close();
  }
}

async function readReplica(connection: LiveConnectionOptions, env: NodeJS.ProcessEnv, config: Config | undefined): Promise<ReplicaReport> {
  const description = describeConnection(connection, env);
  const db: Db = await LiveDb.connect({ ...connection, env });
  try {
    const facts = await readHealthFacts(db, { parts: ['recovery'] });
    if (!facts.server.inRecovery) throw new UserError(`--replica ${description} is not a standby (not in recovery)`, 'give standbys with --replica, and the primary as the URL');
    const health = await healthOfFacts('', facts, { config, only: REPLICA_CHECKS, rules: healthRules }, [], description);
    const recovery = facts.recovery;
    return {
      description,
      standby: null,
      receiverStatus: recovery?.receiverStatus ?? null,
      sender: recovery?.sender ?? null,
      slot: recovery?.slotName ?? null,
      replayPaused: recovery?.replayPaused ?? false,
      receivedNotReplayedBytes: recovery?.receivedNotReplayedBytes ?? null,
      lastReplaySeconds: recovery?.lastReplaySeconds ?? null,
      settings: pick(facts, REPLICA_SETTINGS),
      conflicts: (recovery?.conflicts ?? []).reduce((s, c) => s + totalConflicts(c), 0),
      health,
    };
  } finally {
    await db.close();
  }
}

/**
 * Pairs each replica with a standby of the primary's list: by the slot both name, else, when the
 * primary has exactly one standby and one replica was given, those two. A replica streaming from
 * another server (cascading) or not at all stays unmatched.
 */
function matchStandbys(facts: HealthFacts, replicas: ReplicaReport[]): StandbyReport[] {
  const standbys = facts.standbys ?? [];
  const reports: StandbyReport[] = standbys.map((s) => ({
    name: s.name,
    clientAddress: s.clientAddress,
    state: s.state,
    syncState: s.syncState,
    slot: s.slotName,
    replayLagBytes: s.replayLagBytes,
    sendLagBytes: s.sendLagBytes,
    writeLagSeconds: s.writeLagSeconds,
    flushLagSeconds: s.flushLagSeconds,
    replayLagSeconds: s.replayLagSeconds,
    replica: null,
  }));
  for (const replica of replicas) {
    const bySlot = replica.slot ? reports.find((r) => r.slot === replica.slot && r.replica === null) : undefined;
    const only = reports.length === 1 && replicas.length === 1 && replica.receiverStatus !== null ? reports[0] : undefined;
    const match = bySlot ?? only;
    if (match) {
      match.replica = replica.description;
      replica.standby = match.name;
    }
  }
  return reports;
}

function pick(facts: HealthFacts, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((n) => [n, facts.settings[n]?.setting ?? null]));
}

/** The read-after-write caveats, with this set-up's figures. */
function readAfterWriteCaveats(facts: HealthFacts, standbys: StandbyReport[], workload: ReplicationResult['workload']): string[] {
  const lines: string[] = [];
  const worstBytes = Math.max(0, ...standbys.map((s) => s.replayLagBytes ?? 0));
  const worstSeconds = Math.max(0, ...standbys.map((s) => s.replayLagSeconds ?? 0));
  const commit = facts.settings.synchronous_commit?.setting ?? 'on';
  if (standbys.length === 0) lines.push('No standby is connected to this primary: there is nothing to route reads to yet.');
  else {
    lines.push(
      `Replicas apply WAL after the primary commits: a read sent to one right after a write may not see it. Now the largest replay lag is ${formatBytes(worstBytes)}${worstSeconds ? ` and ${worstSeconds.toFixed(1)} s` : ''}; it grows under write bursts, long standby queries (max_standby_streaming_delay) and VACUUM conflicts.`,
    );
    lines.push(
      'Send a read that must see a write of the same user or request to the primary (for example for a few seconds after the write, or in the same transaction); or record pg_current_wal_lsn() after the write and, on the replica, read only once pg_last_wal_replay_lsn() has reached it.',
    );
    if (commit !== 'remote_apply') lines.push(`synchronous_commit = ${commit}: commits do not wait for replicas to apply them. remote_apply with the replica in synchronous_standby_names makes reads after a commit see it there, at the cost of commit latency.`);
  }
  if (workload?.readAfterWrite.length) {
    const tables = workload.readAfterWrite.slice(0, 5).map((t) => `${t.table} (${t.writeCalls} writes, ${t.readCalls} reads)`);
    lines.push(`Tables both written and read in this workload, where stale reads would show first: ${tables.join(', ')}.`);
  }
  lines.push('Statements inside a transaction that also writes must stay on the primary with it: route whole transactions, not statements.');
  return lines;
}
