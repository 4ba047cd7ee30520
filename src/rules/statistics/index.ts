/** The statistics rules, sorted by id. */
import type { AnyRule } from '../rule.js';

export const statisticsRules: AnyRule[] = [];
