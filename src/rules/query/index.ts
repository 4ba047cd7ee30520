/** The query lint rules (`pgarchitect lint`), sorted by id. */
import type { RuleMeta } from '../rule.js';

export const queryRules: { meta: RuleMeta<object> }[] = [];
