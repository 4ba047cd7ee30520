/**
 * The registry: every rule, in one list sorted by id. Each area keeps its own list next to its rules;
 * a meta-test checks that ids, file names, docs and tests agree.
 */
import { indexesRules } from './indexes/index.js';
import { keysRules } from './keys/index.js';
import { modellingRules } from './modelling/index.js';
import { namingRules } from './naming/index.js';
import { partitionRules } from './partition/index.js';
import type { AnyRule } from './rule.js';
import { securityRules } from './security/index.js';
import { statisticsRules } from './statistics/index.js';
import { typesRules } from './types/index.js';

export const RULE_AREAS = ['indexes', 'keys', 'modelling', 'naming', 'partition', 'security', 'statistics', 'types'] as const;

export const allRules: readonly AnyRule[] = [
  ...indexesRules,
  ...keysRules,
  ...modellingRules,
  ...namingRules,
  ...partitionRules,
  ...securityRules,
  ...statisticsRules,
  ...typesRules,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));

export function findRule(id: string): AnyRule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
