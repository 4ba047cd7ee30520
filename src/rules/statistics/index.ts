/** The statistics rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import highDeadTupleRatio from './high-dead-tuple-ratio.js';
import tableNeverAnalyzed from './table-never-analyzed.js';

export const statisticsRules: AnyRule[] = [highDeadTupleRatio, tableNeverAnalyzed];
