/** The naming rules, sorted by id. */
import type { AnyRule } from '../rule.js';

export const namingRules: AnyRule[] = [];
