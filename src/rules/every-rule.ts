/**
 * Every rule of every set: review (schema), lint (queries) and explain (plans). One configuration file
 * serves all commands, so each validates rule ids and options against this list and applies its own.
 */
import { allRules } from './index.js';
import { planRules } from './plan/index.js';
import { queryRules } from './query/index.js';
import type { RuleMeta } from './rule.js';

export function everyRule(): readonly { meta: RuleMeta<object> }[] {
  return [...allRules, ...queryRules, ...planRules];
}
