import type { Column } from '../../catalog/types.js';
import { defineRule } from '../rule.js';

/**
 * An entity-attribute-value table stores every attribute of an entity as its own row: types, NOT
 * NULL, foreign keys and CHECKs on individual attributes become impossible, each query needs a
 * self-join per attribute, and the planner cannot estimate any of it. Real columns or a jsonb
 * document (with CHECKs and expression indexes where needed) keep the schema visible.
 */
export default defineRule({
  meta: {
    id: 'entity-attribute-value',
    category: 'modelling',
    defaultSeverity: 'warning',
    description: 'A narrow table with entity, attribute and value columns stores data as entity-attribute-value rows.',
    fixable: false,
    defaultOptions: {
      /** Tables with more columns than this are not considered (EAV tables are narrow). */
      maxColumns: 10,
    },
  },
  check({ index, options, report }) {
    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      if (columns.length < 3 || columns.length > options.maxColumns) continue;
      const values = columns.filter(isValueColumn);
      if (values.length === 0) continue;
      const primaryKey = index.constraintsOf(table).find((c) => c.kind === 'primary key');
      const surrogateKey = primaryKey?.columns.length === 1 ? primaryKey.columns[0] : undefined;
      const attributes = columns.filter((c) => !isValueColumn(c) && isAttributeColumn(c));
      const entities = columns.filter(
        (c) => c.name !== surrogateKey && !isValueColumn(c) && !attributes.includes(c) && isEntityColumn(c),
      );
      // A bare `name` is the attribute only beside a generic entity reference (entity_id, object_id):
      // products(category_id, name, value) is an ordinary table.
      const attribute =
        attributes.find((c) => c.name !== 'name' || entities.some((e) => GENERIC_ENTITY.test(e.name))) ?? null;
      const entity = entities.find((e) => GENERIC_ENTITY.test(e.name)) ?? entities[0];
      if (!attribute || !entity) continue;
      report({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        message:
          `Table ${table.schema}.${table.name} stores entity-attribute-value rows ` +
          `(${entity.name}, ${attribute.name}, ${values.map((v) => v.name).join(', ')}).`,
        evidence: {
          entityColumn: entity.name,
          attributeColumn: attribute.name,
          valueColumns: values.map((v) => v.name),
          columns: columns.length,
          advice: 'give known attributes real columns; keep truly open-ended ones in a jsonb column',
        },
        fix: null,
      });
    }
  },
});

const ATTRIBUTE_WORDS = new Set(['attribute', 'attr', 'key', 'property', 'prop', 'field', 'param', 'parameter']);
const GENERIC_ENTITY = /^(entity|object|obj|owner|record|item|subject|target|resource|instance|parent)(_id)?$/;

function words(column: Column): string[] {
  return column.name.split('_');
}

/** value, val, meta_value, value_text, int_value: but not value_id (a key) or value_type (a tag). */
function isValueColumn(column: Column): boolean {
  if (!column.name.includes('val')) return false; // saves splitting every name: both words contain it
  const parts = words(column);
  const last = parts.at(-1)!;
  return (parts.includes('value') || parts.includes('val')) && last !== 'id' && last !== 'type' && last !== 'kind';
}

/** attribute, attr_name, attribute_id, meta_key, property, field_name, or a bare name. */
function isAttributeColumn(column: Column): boolean {
  return column.name === 'name' || words(column).some((w) => ATTRIBUTE_WORDS.has(w));
}

function isEntityColumn(column: Column): boolean {
  return column.name.endsWith('_id') || GENERIC_ENTITY.test(column.name);
}
