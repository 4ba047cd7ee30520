/** The plan diagnoses (`pgarchitect explain`), sorted by id. */
import type { RuleMeta } from '../rule.js';

export const planRules: { meta: RuleMeta<object> }[] = [];
