/**
 * Every rule of every set: review (schema), lint (queries and migrations), explain (plans) and health
 * (the running server). One configuration file serves all commands, so each validates rule ids and
 * options against this list and applies its own.
 */
import { healthRules } from './health/index.js';
import { allRules } from './index.js';
import { migrationRules } from './migration/index.js';
import { planRules } from './plan/index.js';
import { queryRules } from './query/index.js';
import type { RuleMeta } from './rule.js';

export function everyRule(): readonly { meta: RuleMeta<object> }[] {
  return [...allRules, ...queryRules, ...migrationRules, ...planRules, ...healthRules];
}
