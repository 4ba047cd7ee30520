/** The modelling rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import allColumnsNullable from './all-columns-nullable.js';
import entityAttributeValue from './entity-attribute-value.js';
import polymorphicAssociation from './polymorphic-association.js';
import repeatingColumnGroup from './repeating-column-group.js';
import storedDerivedValue from './stored-derived-value.js';
import wideTable from './wide-table.js';

export const modellingRules: AnyRule[] = [
  allColumnsNullable,
  entityAttributeValue,
  polymorphicAssociation,
  repeatingColumnGroup,
  storedDerivedValue,
  wideTable,
];
