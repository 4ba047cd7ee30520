/**
 * The migration lint rules (`pgarchitect lint` on migration files), sorted by id: the lock each DDL
 * statement takes and what it blocks, rewrites and scans, changes that break the code still running,
 * and the review's types rules on the columns a migration declares. They read a file's statements in
 * order (lib/migration-rule.ts). delete-without-where and update-without-where are query rules
 * (src/rules/query/) and fire on migrations too.
 */
import type { AnyQueryRule } from '../query-rule.js';
import addCheckValidating from './add-check-validating.js';
import addColumnVolatileDefault from './add-column-volatile-default.js';
import addForeignKeyValidating from './add-foreign-key-validating.js';
import addPrimaryKeyWithoutIndex from './add-primary-key-without-index.js';
import addUniqueWithoutIndex from './add-unique-without-index.js';
import alterColumnTypeRewrite from './alter-column-type-rewrite.js';
import cluster from './cluster.js';
import columnCharN from './column-char-n.js';
import columnFloatForMoney from './column-float-for-money.js';
import columnJson from './column-json.js';
import columnMoney from './column-money.js';
import columnSerial from './column-serial.js';
import columnTimestampWithoutTimeZone from './column-timestamp-without-time-zone.js';
import columnUuidAsText from './column-uuid-as-text.js';
import columnUuidGenerateV4 from './column-uuid-generate-v4.js';
import concurrentlyInTransaction from './concurrently-in-transaction.js';
import createIndexNonConcurrently from './create-index-non-concurrently.js';
import disableTriggers from './disable-triggers.js';
import dropColumn from './drop-column.js';
import dropIndexNonConcurrently from './drop-index-non-concurrently.js';
import dropTable from './drop-table.js';
import lockTable from './lock-table.js';
import missingLockTimeout from './missing-lock-timeout.js';
import renameColumn from './rename-column.js';
import renameTable from './rename-table.js';
import sessionReplicationRoleReplica from './session-replication-role-replica.js';
import setNotNullScansTable from './set-not-null-scans-table.js';
import truncate from './truncate.js';
import vacuumFull from './vacuum-full.js';

export const migrationRules: readonly AnyQueryRule[] = [
  addCheckValidating,
  addColumnVolatileDefault,
  addForeignKeyValidating,
  addPrimaryKeyWithoutIndex,
  addUniqueWithoutIndex,
  alterColumnTypeRewrite,
  cluster,
  columnCharN,
  columnFloatForMoney,
  columnJson,
  columnMoney,
  columnSerial,
  columnTimestampWithoutTimeZone,
  columnUuidAsText,
  columnUuidGenerateV4,
  concurrentlyInTransaction,
  createIndexNonConcurrently,
  disableTriggers,
  dropColumn,
  dropIndexNonConcurrently,
  dropTable,
  lockTable,
  missingLockTimeout,
  renameColumn,
  renameTable,
  sessionReplicationRoleReplica,
  setNotNullScansTable,
  truncate,
  vacuumFull,
];
