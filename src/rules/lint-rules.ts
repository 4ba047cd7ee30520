/** Every rule `pgarchitect lint` runs by default: the query rules and the migration-safety rules, one walk for all. */
import { migrationRules } from './migration/index.js';
import { queryRules } from './query/index.js';
import type { AnyQueryRule } from './query-rule.js';

export const lintRules: readonly AnyQueryRule[] = [...queryRules, ...migrationRules];
