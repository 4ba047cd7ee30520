/** The naming rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import identifierNearMaxLength from './identifier-near-max-length.js';
import quotedMixedCaseIdentifier from './quoted-mixed-case-identifier.js';
import reservedWordIdentifier from './reserved-word-identifier.js';

export const namingRules: AnyRule[] = [identifierNearMaxLength, quotedMixedCaseIdentifier, reservedWordIdentifier];
