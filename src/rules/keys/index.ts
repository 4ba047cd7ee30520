/** The keys and integrity rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import tableWithoutPrimaryKey from './table-without-primary-key.js';

export const keysRules: AnyRule[] = [tableWithoutPrimaryKey];
