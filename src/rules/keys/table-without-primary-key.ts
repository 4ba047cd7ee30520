import type { Constraint, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { columnList, qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * Without a primary key a row has no reliable identity: duplicates creep in, logical replication
 * cannot UPDATE or DELETE it, and tools that edit rows by key give up.
 */
export default defineRule({
  meta: {
    id: 'table-without-primary-key',
    category: 'keys',
    defaultSeverity: 'error',
    description: 'A table has no primary key.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      const constraints = index.constraintsOf(table);
      if (constraints.some((c) => c.kind === 'primary key')) continue;
      const columns = index.columnsOf(table);
      // A NOT NULL unique constraint is a key already: promoting it is the natural fix.
      const uniqueNotNull = constraints.find(
        (c) => c.kind === 'unique' && c.columns.every((name) => columns.find((col) => col.name === name)?.notNull),
      );
      const name = qualifiedName(table.schema, table.name);
      const fix = uniqueNotNull
        ? promoteUnique(table, uniqueNotNull, index.foreignKeysTo.get(`${table.schema}.${table.name}`) ?? [])
        : table.kind === 'partitioned table'
          ? null
          : {
              sql: `ALTER TABLE ${name} ADD COLUMN ${quoteIdent(pickIdName(columns.map((c) => c.name)))} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`,
              safeOnline: false,
              note: 'adds a surrogate key; rewrites the table under an ACCESS EXCLUSIVE lock. If a natural key exists, declare it instead.',
            };
      report({
        object: { type: table.kind === 'partitioned table' ? 'partitioned table' : 'table', schema: table.schema, name: table.name },
        message: `Table ${table.schema}.${table.name} has no primary key.`,
        evidence: {
          columns: columns.length,
          uniqueConstraints: constraints.filter((c) => c.kind === 'unique').map((c) => c.name),
          rowEstimate: table.rowEstimate,
        },
        fix,
      });
    }
  },
});

/**
 * An index already backing a constraint cannot back a second one, so build a twin concurrently, make
 * it the primary key (a brief lock, no scan), then drop the old unique constraint unless foreign keys
 * depend on it.
 */
function promoteUnique(table: Table, unique: Constraint, referencing: Constraint[]): Fix {
  const name = qualifiedName(table.schema, table.name);
  const pkey = quoteIdent(`${table.name}_pkey`);
  const referenced = referencing.some((fk) => sameColumns(fk.references?.columns ?? [], unique.columns));
  const statements = [
    `CREATE UNIQUE INDEX CONCURRENTLY ${pkey} ON ${name} ${columnList(unique.columns)};`,
    `ALTER TABLE ${name} ADD CONSTRAINT ${pkey} PRIMARY KEY USING INDEX ${pkey};`,
  ];
  if (!referenced) statements.push(`ALTER TABLE ${name} DROP CONSTRAINT ${quoteIdent(unique.name)};`);
  return {
    sql: statements.join('\n'),
    safeOnline: true,
    note: referenced
      ? `promotes ${unique.columns.join(', ')} to primary key; ${unique.name} stays because foreign keys reference it`
      : `promotes ${unique.columns.join(', ')} (now unique and NOT NULL) to primary key and drops the unique constraint it replaces`,
  };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

function pickIdName(existing: string[]): string {
  for (const candidate of ['id', 'row_id', 'pk_id']) if (!existing.includes(candidate)) return candidate;
  return `id_${existing.length + 1}`;
}
