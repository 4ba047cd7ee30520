import { defineRule } from '../rule.js';

/** `<stem>_type` or `<stem>_table`: the column naming which table `<stem>_id` points into. */
const TYPE_COLUMN = /^(.+)_(type|table)$/;

/**
 * A polymorphic association (commentable_type + commentable_id) lets one id column point into
 * several tables, chosen row by row by a type tag. No foreign key can express that, so orphans and
 * ids of the wrong table go unnoticed, and ON DELETE has nothing to act on.
 */
export default defineRule({
  meta: {
    id: 'polymorphic-association',
    category: 'modelling',
    defaultSeverity: 'warning',
    description: 'A type column and an id column (x_type + x_id) point at rows of several tables with no foreign key.',
    fixable: false,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      if (!columns.some((c) => TYPE_COLUMN.test(c.name))) continue;
      const byName = new Map(columns.map((c) => [c.name, c]));
      const underForeignKey = new Set(
        index.constraintsOf(table).flatMap((c) => (c.kind === 'foreign key' ? c.columns : [])),
      );
      for (const typeColumn of columns) {
        const match = TYPE_COLUMN.exec(typeColumn.name);
        if (!match) continue;
        const stem = match[1]!;
        const idColumn = byName.get(`${stem}_id`);
        if (!idColumn || underForeignKey.has(idColumn.name)) continue;
        const knownTypes = typeColumn.stats?.mostCommonValues ?? null;
        report({
          object: { type: 'column', schema: table.schema, table: table.name, name: idColumn.name, column: idColumn.name },
          message:
            `Columns ${table.schema}.${table.name}.${typeColumn.name} and ${idColumn.name} form a polymorphic association: ` +
            `${idColumn.name} can point into several tables, so no foreign key enforces it.`,
          evidence: {
            typeColumn: typeColumn.name,
            idColumn: idColumn.name,
            knownTypes,
            alternative: alternative(stem, idColumn.type, knownTypes),
          },
          fix: null,
        });
      }
    }
  },
});

/** The integrity-preserving shape, named after the parents seen in the data when statistics show them. */
function alternative(stem: string, idType: string, knownTypes: readonly string[] | null): string {
  const parents = knownTypes?.length ? knownTypes.map(snakeCase) : ['parent_a', 'parent_b'];
  const columns = parents.map((p) => `${p}_id`);
  return (
    `one nullable foreign key column per parent (${columns.map((c) => `${c} ${idType} REFERENCES ${c.slice(0, -3)}`).join(', ')}) ` +
    `with CHECK (num_nonnulls(${columns.join(', ')}) = 1) replacing ${stem}_type and ${stem}_id; ` +
    `or one link table per parent`
  );
}

/** `Post` → post, `BlogPost` → blog_post, `Admin::User` (a Rails class name) → user. */
function snakeCase(text: string): string {
  return text
    .split('::')
    .at(-1)!
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
