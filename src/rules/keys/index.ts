/** The keys and referential-integrity rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import constraintNotValidated from './constraint-not-validated.js';
import duplicateForeignKey from './duplicate-foreign-key.js';
import fkTypeMismatch from './fk-type-mismatch.js';
import fkWithoutIndex from './fk-without-index.js';
import missingForeignKey from './missing-foreign-key.js';
import tableWithoutPrimaryKey from './table-without-primary-key.js';

export const keysRules: AnyRule[] = [
  constraintNotValidated,
  duplicateForeignKey,
  fkTypeMismatch,
  fkWithoutIndex,
  missingForeignKey,
  tableWithoutPrimaryKey,
];
