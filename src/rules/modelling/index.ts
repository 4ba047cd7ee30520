/** The modelling rules, sorted by id. */
import type { AnyRule } from '../rule.js';

export const modellingRules: AnyRule[] = [];
