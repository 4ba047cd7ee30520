/** The plan diagnoses (`pgarchitect explain`), sorted by id. */
import type { AnyPlanRule } from '../plan-rule.js';
import hashBatches from './hash-batches.js';
import implicitCastDefeatsIndex from './implicit-cast-defeats-index.js';
import indexOnlyHeapFetches from './index-only-heap-fetches.js';
import jitDominates from './jit-dominates.js';
import lossyBitmap from './lossy-bitmap.js';
import nestedLoopManyLoops from './nested-loop-many-loops.js';
import repeatedSubplan from './repeated-subplan.js';
import rowMisestimate from './row-misestimate.js';
import seqScanFilter from './seq-scan-filter.js';
import sortSpill from './sort-spill.js';
import staleStatistics from './stale-statistics.js';
import topNSort from './top-n-sort.js';
import workersNotLaunched from './workers-not-launched.js';

export const planRules: readonly AnyPlanRule[] = [
  hashBatches,
  implicitCastDefeatsIndex,
  indexOnlyHeapFetches,
  jitDominates,
  lossyBitmap,
  nestedLoopManyLoops,
  repeatedSubplan,
  rowMisestimate,
  seqScanFilter,
  sortSpill,
  staleStatistics,
  topNSort,
  workersNotLaunched,
];

export function findPlanRule(id: string): AnyPlanRule | undefined {
  return planRules.find((r) => r.meta.id === id);
}
