import type { Column, Constraint, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';

/**
 * Postgres accepts a foreign key between different but comparable types (integer to bigint, varchar
 * to text), but every check and every join along it then compares across types: an implicit cast can
 * keep an index out of use, and a narrower referencing column cannot hold every key the referenced
 * column can (an integer column overflows once the bigint ids pass 2^31).
 */
export default defineRule({
  meta: {
    id: 'fk-type-mismatch',
    category: 'keys',
    defaultSeverity: 'warning',
    description: 'A foreign key column has a different type from the column it references.',
    fixable: true,
    defaultOptions: {},
  },
  check({ index, report }) {
    for (const table of index.designTables()) {
      for (const fk of index.constraintsOf(table)) {
        if (fk.kind !== 'foreign key' || fk.inherited || !fk.references) continue;
        const target = fk.references;
        const pairs = fk.columns.flatMap((name, n) => {
          const column = index.columnOf(table, name);
          const referenced = index.column(target.schema, target.table, target.columns[n] ?? '');
          return column && referenced && !sameType(column, referenced) ? [{ column, referenced }] : [];
        });
        if (pairs.length === 0) continue;
        const described = pairs.map(({ column, referenced }) => `${column.name} (${column.type}) with ${target.schema}.${target.table}.${referenced.name} (${referenced.type})`);
        const overflow = pairs.some(({ column, referenced }) => narrowerInteger(column, referenced));
        report({
          object: { type: 'constraint', schema: table.schema, table: table.name, name: fk.name },
          message:
            `Foreign key ${table.schema}.${table.name}.${fk.name} compares ${described.join(' and ')}: ` +
            (overflow
              ? 'the referencing column cannot hold every referenced key, and the cross-type comparison can keep indexes out of use.'
              : 'every check and join compares across types, and the implicit cast can keep indexes out of use.'),
          evidence: {
            constraint: fk.name,
            referencedTable: `${target.schema}.${target.table}`,
            columns: pairs.map(({ column, referenced }) => ({
              column: column.name,
              type: column.type,
              referencedColumn: referenced.name,
              referencedType: referenced.type,
            })),
          },
          fix: alterTypeFix(table, fk, pairs),
        });
      }
    }
  },
});

/** Same printed type, or domains over the same base type (no cast needed to compare them). */
function sameType(a: Column, b: Column): boolean {
  if (a.type === b.type) return true;
  return (a.domainBaseType ?? a.type) === (b.domainBaseType ?? b.type);
}

const INTEGER_BYTES: Record<string, number> = { int2: 2, int4: 4, int8: 8 };

function narrowerInteger(column: Column, referenced: Column): boolean {
  const own = INTEGER_BYTES[column.typeName];
  const other = INTEGER_BYTES[referenced.typeName];
  return own !== undefined && other !== undefined && own < other;
}

function alterTypeFix(table: Table, fk: Constraint, pairs: { column: Column; referenced: Column }[]): Fix | null {
  // Partition key and generated columns cannot change type in place: that is a redesign, not a fix.
  if (pairs.some(({ column }) => table.partitionKeyColumns.includes(column.name) || column.generated !== null)) return null;
  const clauses = pairs.map(({ column, referenced }) => {
    const using = column.typeName === referenced.typeName ? '' : ` USING ${quoteIdent(column.name)}::${referenced.type}`;
    return `ALTER COLUMN ${quoteIdent(column.name)} TYPE ${referenced.type}${using}`;
  });
  const widerReferencing = pairs.some(({ column, referenced }) => narrowerInteger(referenced, column));
  const notes = [
    'ALTER COLUMN TYPE holds an ACCESS EXCLUSIVE lock on the table and rewrites it (binary-compatible changes such as varchar to text skip the rewrite); views using the column must be dropped and recreated around it',
  ];
  if (widerReferencing) {
    notes.push(`the referenced key ${fk.references!.schema}.${fk.references!.table} is the narrower one: widening it to bigint instead avoids running out of ids later`);
  }
  return {
    sql: `ALTER TABLE ${qualifiedName(table.schema, table.name)} ${clauses.join(', ')};`,
    safeOnline: false,
    note: notes.join('; '),
  };
}
