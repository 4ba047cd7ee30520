/** The indexes rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import duplicateIndex from './duplicate-index.js';
import indexDuplicatesConstraint from './index-duplicates-constraint.js';
import invalidIndex from './invalid-index.js';
import lowCardinalityIndex from './low-cardinality-index.js';
import redundantIndex from './redundant-index.js';
import tooManyIndexes from './too-many-indexes.js';
import unusedIndex from './unused-index.js';

export const indexesRules: AnyRule[] = [
  duplicateIndex,
  indexDuplicatesConstraint,
  invalidIndex,
  lowCardinalityIndex,
  redundantIndex,
  tooManyIndexes,
  unusedIndex,
];
