/**
 * The result of `pgarchitect replication`: the contract of `--format json`. `schemaVersion` changes only
 * when a field is renamed or removed.
 */
import type { HealthResult } from '../health/result.js';
import type { WorkloadSplit } from './workload-split.js';

export const REPLICATION_RESULT_SCHEMA_VERSION = 1;

/** One standby as the primary sees it, with what the standby itself says when it was given (`--replica`). */
export interface StandbyReport {
  name: string;
  clientAddress: string | null;
  state: string | null;
  syncState: string | null;
  slot: string | null;
  /** WAL not yet replayed there, and not yet sent to it, in bytes. */
  replayLagBytes: number | null;
  sendLagBytes: number | null;
  writeLagSeconds: number | null;
  flushLagSeconds: number | null;
  replayLagSeconds: number | null;
  /** The `--replica` matched to it (its description), if any. */
  replica: string | null;
}

/** A server given with `--replica`, as it sees itself. */
export interface ReplicaReport {
  description: string;
  /** The standby of the primary's list it was matched to; null when none matched (not streaming from this primary). */
  standby: string | null;
  receiverStatus: string | null;
  sender: string | null;
  slot: string | null;
  replayPaused: boolean;
  receivedNotReplayedBytes: number | null;
  lastReplaySeconds: number | null;
  settings: Record<string, string | null>;
  conflicts: number;
  /** The replication checks run on it (standby-not-streaming, standby-replay-paused, standby-query-conflicts). */
  health: HealthResult;
}

export interface ReplicationResult {
  schemaVersion: number;
  tool: { name: 'pgarchitect'; version: string };
  primary: {
    description: string;
    serverVersion: string;
    serverVersionNum: number;
    /** pg_current_wal_lsn() when read. */
    currentLsn: string | null;
    settings: Record<string, string | null>;
    /** The replication checks run on the primary (lag, slots, synchronous standbys). */
    health: HealthResult;
  };
  standbys: StandbyReport[];
  replicas: ReplicaReport[];
  /** Null when pg_stat_statements could not be read; `workloadUnavailable` says why. */
  workload: WorkloadSplit | null;
  workloadUnavailable: string | null;
  /** What reading from replicas means for the application, with the figures measured here. */
  readAfterWrite: string[];
}
