import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Column, Constraint, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { plural } from '../lib/inflect.js';
import { chooseConstraintName } from './lib/names.js';

/**
 * A column named `customer_id` next to a `customers` table is a reference in all but name. Without a
 * foreign key nothing stops it pointing at a row that never existed or was deleted: orphans
 * accumulate silently, and joins quietly drop or duplicate rows.
 */
export default defineRule({
  meta: {
    id: 'missing-foreign-key',
    category: 'integrity',
    defaultSeverity: 'warning',
    description: 'A column named like a reference to another table (`<name>_id`) has no foreign key.',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, index, report }) {
    // Built on the first column that needs it: most `_id` columns already have their foreign key.
    let keysByTableName: Map<string, Target[]> | undefined;
    for (const table of index.designTables()) {
      const columns = index.columnsOf(table);
      const constraints = index.constraintsOf(table);
      let columnNames: Set<string> | undefined;
      for (const column of columns) {
        const match = /^(.+)_id$/.exec(column.name);
        if (!match || column.isArray || inForeignKey(constraints, column.name)) continue;
        const stem = match[1]!;
        // `<stem>_type` beside `<stem>_id` is a polymorphic reference: no single table to point at.
        columnNames ??= new Set(columns.map((c) => c.name));
        if (columnNames.has(`${stem}_type`)) continue;
        keysByTableName ??= referenceableKeys(index);
        // `parent_id` is the usual name of a self-reference (category trees, org charts).
        const target = SELF_REFERENCE_STEMS.has(stem) ? ownKey(table, keysByTableName) : pickTarget(table, stem, keysByTableName);
        if (!target) continue;
        if (target.table === table && target.key.name === column.name) continue;
        if (typeFamily(column) !== typeFamily(target.key)) continue;
        const name = `${table.schema}.${table.name}.${column.name}`;
        const referenced = `${target.table.schema}.${target.table.name}.${target.key.name}`;
        report({
          object: { type: 'column', schema: table.schema, table: table.name, name: column.name, column: column.name },
          message: `Column ${name} looks like a reference to ${referenced} but has no foreign key, so nothing stops it pointing at rows that do not exist.`,
          evidence: {
            referencedTable: `${target.table.schema}.${target.table.name}`,
            referencedColumn: target.key.name,
            type: column.type,
            referencedType: target.key.type,
          },
          fix: foreignKeyFix(table, column, target, constraints.map((c) => c.name), snapshot.server.versionNum),
        });
      }
    }
  },
});

const SELF_REFERENCE_STEMS = new Set(['parent']);

function inForeignKey(constraints: readonly Constraint[], column: string): boolean {
  return constraints.some((c) => c.kind === 'foreign key' && c.columns.includes(column));
}

function ownKey(table: Table, keysByTableName: Map<string, Target[]>): Target | undefined {
  return keysByTableName.get(table.name)?.find((t) => t.table === table);
}

interface Target {
  table: Table;
  /** The single column of the target's primary key (or of a unique key when it has no such primary key). */
  key: Column;
}

/** Tables that a single-column key makes referenceable, by table name (in every schema). Built once. */
function referenceableKeys(index: SnapshotIndex): Map<string, Target[]> {
  const byName = new Map<string, Target[]>();
  for (const table of index.designTables()) {
    const keys = index.constraintsOf(table).filter((c) => (c.kind === 'primary key' || c.kind === 'unique') && c.columns.length === 1);
    const key = keys.find((c) => c.kind === 'primary key') ?? keys.find((c) => c.columns[0] === 'id');
    const column = key && index.columnOf(table, key.columns[0]!);
    if (!column) continue;
    const list = byName.get(table.name);
    if (list) list.push({ table, key: column });
    else byName.set(table.name, [{ table, key: column }]);
  }
  return byName;
}

/** The one table `<stem>` names (singular or plural), preferring the column's own schema; none if ambiguous. */
function pickTarget(table: Table, stem: string, keysByTableName: Map<string, Target[]>): Target | undefined {
  const candidates = tableNamesFor(stem).flatMap((name) => keysByTableName.get(name) ?? []);
  const sameSchema = candidates.filter((c) => c.table.schema === table.schema);
  if (sameSchema.length === 1) return sameSchema[0];
  if (sameSchema.length === 0 && candidates.length === 1) return candidates[0];
  return undefined;
}

/** `user` → users, user; `category` → categories; `address` → addresses; `person` → people. */
function tableNamesFor(stem: string): string[] {
  return [...new Set([stem, `${stem}s`, plural(stem)])];
}

const FAMILIES: Record<string, string> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  'character varying': 'string',
  character: 'string',
};

/** Types a foreign key can compare through the same index: integers with integers, strings with strings. */
function typeFamily(column: Column): string {
  const base = column.domainBaseType ?? column.typeName;
  return column.isArray ? `${base}[]` : (FAMILIES[base] ?? base);
}

function foreignKeyFix(table: Table, column: Column, target: Target, existing: string[], versionNum: number): Fix {
  const name = qualifiedName(table.schema, table.name);
  const referenced = qualifiedName(target.table.schema, target.table.name);
  const constraint = quoteIdent(chooseConstraintName(table.name, [column.name], 'fkey', existing));
  const col = quoteIdent(column.name);
  const key = quoteIdent(target.key.name);
  const add = `ALTER TABLE ${name} ADD CONSTRAINT ${constraint} FOREIGN KEY (${col}) REFERENCES ${referenced} (${key})`;
  const orphans =
    `rows whose ${column.name} matches no ${target.table.name}.${target.key.name} make it fail; find them with ` +
    `SELECT ${col} FROM ${name} t WHERE ${col} IS NOT NULL AND NOT EXISTS (SELECT FROM ${referenced} r WHERE r.${key} = t.${col})`;
  const types = column.type === target.key.type ? '' : `; the types differ (${column.type} and ${target.key.type}): consider aligning them first (see fk-type-mismatch)`;
  // NOT VALID foreign keys on partitioned tables arrived in PostgreSQL 18.
  if (table.kind === 'partitioned table' && versionNum < 180000) {
    return {
      sql: `${add};`,
      safeOnline: false,
      note: `before PostgreSQL 18 a foreign key on a partitioned table cannot be added NOT VALID: this checks every row while blocking writes; ${orphans}${types}`,
    };
  }
  return {
    sql: `${add} NOT VALID;\nALTER TABLE ${name} VALIDATE CONSTRAINT ${constraint};`,
    safeOnline: true,
    note: `NOT VALID adds the constraint with a brief lock and checks new rows only; VALIDATE then checks existing rows without blocking writes; ${orphans}${types}`,
  };
}
