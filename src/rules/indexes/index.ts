/** The indexes rules, sorted by id. */
import type { AnyRule } from '../rule.js';

export const indexesRules: AnyRule[] = [];
