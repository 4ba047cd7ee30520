/** The security rules, sorted by id. */
import type { AnyRule } from '../rule.js';

export const securityRules: AnyRule[] = [];
