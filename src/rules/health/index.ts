/** The health checks of `pgarchitect health`, sorted by id. */
import type { AnyHealthRule } from '../health-rule.js';
import autovacuumDisabled from './autovacuum-disabled.js';
import autovacuumLagging from './autovacuum-lagging.js';
import blockedSessions from './blocked-sessions.js';
import connectionsNearLimit from './connections-near-limit.js';
import idleInTransaction from './idle-in-transaction.js';
import inactiveReplicationSlot from './inactive-replication-slot.js';
import indexBloat from './index-bloat.js';
import longRunningQuery from './long-running-query.js';
import lowCacheHitRatio from './low-cache-hit-ratio.js';
import multixactWraparound from './multixact-wraparound.js';
import pgStatStatementsMissing from './pg-stat-statements-missing.js';
import replicationLag from './replication-lag.js';
import requestedCheckpoints from './requested-checkpoints.js';
import standbyNotStreaming from './standby-not-streaming.js';
import standbyQueryConflicts from './standby-query-conflicts.js';
import standbyReplayPaused from './standby-replay-paused.js';
import standbyWithoutSlot from './standby-without-slot.js';
import statisticsRecentlyReset from './statistics-recently-reset.js';
import synchronousStandbyMissing from './synchronous-standby-missing.js';
import tableBloat from './table-bloat.js';
import tempFileUsage from './temp-file-usage.js';
import trackIoTimingOff from './track-io-timing-off.js';
import walArchivingFailing from './wal-archiving-failing.js';
import walArchivingOff from './wal-archiving-off.js';
import xidWraparound from './xid-wraparound.js';

export const healthRules: AnyHealthRule[] = [
  autovacuumDisabled,
  autovacuumLagging,
  blockedSessions,
  connectionsNearLimit,
  idleInTransaction,
  inactiveReplicationSlot,
  indexBloat,
  longRunningQuery,
  lowCacheHitRatio,
  multixactWraparound,
  pgStatStatementsMissing,
  replicationLag,
  requestedCheckpoints,
  standbyNotStreaming,
  standbyQueryConflicts,
  standbyReplayPaused,
  standbyWithoutSlot,
  statisticsRecentlyReset,
  synchronousStandbyMissing,
  tableBloat,
  tempFileUsage,
  trackIoTimingOff,
  walArchivingFailing,
  walArchivingOff,
  xidWraparound,
];
