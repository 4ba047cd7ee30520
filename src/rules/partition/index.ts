/** The partitioning rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import partitionDefaultHasRows from './partition-default-has-rows.js';
import partitionGap from './partition-gap.js';
import partitionMissingFuture from './partition-missing-future.js';
import partitionRetentionOverdue from './partition-retention-overdue.js';
import partitionTooMany from './partition-too-many.js';
import partitionUnevenSize from './partition-uneven-size.js';

export const partitionRules: AnyRule[] = [partitionDefaultHasRows, partitionGap, partitionMissingFuture, partitionRetentionOverdue, partitionTooMany, partitionUnevenSize];
