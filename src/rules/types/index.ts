/** The types rules, sorted by id. */
import type { AnyRule } from '../rule.js';

export const typesRules: AnyRule[] = [];
