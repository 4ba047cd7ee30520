/**
 * Review rules that `health` runs as they are, since they check the same thing on the same snapshot:
 * dead rows, tables never analysed, integer keys and sequences near their maximum, invalid indexes,
 * constraints never validated, and how partitions are kept (default partition rows, missing future
 * partitions, gaps, retention, count, size). For each, what it examined, from the snapshot.
 */
import type { SnapshotIndex } from '../catalog/snapshot-index.js';
import type { CatalogSnapshot } from '../catalog/types.js';
import type { AnyRule } from '../rules/rule.js';
import constraintNotValidated from '../rules/keys/constraint-not-validated.js';
import invalidIndex from '../rules/indexes/invalid-index.js';
import highDeadTupleRatio from '../rules/statistics/high-dead-tuple-ratio.js';
import partitionDefaultHasRows from '../rules/partition/partition-default-has-rows.js';
import partitionGap from '../rules/partition/partition-gap.js';
import partitionMissingFuture from '../rules/partition/partition-missing-future.js';
import partitionRetentionOverdue from '../rules/partition/partition-retention-overdue.js';
import partitionTooMany from '../rules/partition/partition-too-many.js';
import partitionUnevenSize from '../rules/partition/partition-uneven-size.js';
import tableNeverAnalyzed from '../rules/statistics/table-never-analyzed.js';
import intKeyExhaustion from '../rules/types/int-key-exhaustion.js';

export const REUSED_REVIEW_RULES: readonly AnyRule[] = [
  constraintNotValidated,
  highDeadTupleRatio,
  intKeyExhaustion,
  invalidIndex,
  partitionDefaultHasRows,
  partitionGap,
  partitionMissingFuture,
  partitionRetentionOverdue,
  partitionTooMany,
  partitionUnevenSize,
  tableNeverAnalyzed,
];

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What each reused rule looked at, in the words of the health report. */
export function reusedExamined(id: string, snapshot: CatalogSnapshot, index: SnapshotIndex): string {
  switch (id) {
    case 'high-dead-tuple-ratio': {
      const tables = snapshot.tables.filter((t) => t.kind === 'table');
      const withStats = tables.filter((t) => t.stats !== null).length;
      return `${plural(withStats, 'table')} with statistics${withStats < tables.length ? ` (${tables.length - withStats} without)` : ''}`;
    }
    case 'table-never-analyzed':
      return `${plural(index.designTables().length, 'table')} (partitions counted with their parent)`;
    case 'int-key-exhaustion': {
      const read = snapshot.sequences.filter((s) => s.lastValue !== null).length;
      return `${plural(snapshot.sequences.length, 'sequence')} (${read} with a value read: smallint and integer sequences, and those feeding such columns; bigint ones cannot run out)`;
    }
    case 'invalid-index':
      return plural(snapshot.indexes.length, 'index', 'indexes');
    case 'constraint-not-validated':
      return plural(snapshot.constraints.filter((c) => c.kind === 'foreign key' || c.kind === 'check').length, 'foreign key and CHECK constraint');
    case 'partition-default-has-rows':
      return `${plural(snapshot.tables.filter((t) => t.isDefaultPartition).length, 'default partition')}`;
    case 'partition-retention-overdue': {
      const parents = index.designTables().filter((t) => t.kind === 'partitioned table');
      return `${plural(parents.length, 'partitioned table')} (those with a retention in the rule's options)`;
    }
    case 'partition-gap':
    case 'partition-missing-future':
    case 'partition-too-many':
    case 'partition-uneven-size': {
      const parents = index.designTables().filter((t) => t.kind === 'partitioned table');
      const ranged = parents.filter((t) => t.partitionStrategy === 'range').length;
      return `${plural(parents.length, 'partitioned table')} (${ranged} by range)`;
    }
    default:
      return 'the catalog snapshot';
  }
}
