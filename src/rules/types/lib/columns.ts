/**
 * Small helpers shared by the types rules: how a column is named in messages and findings, which base
 * type a column really has (through a domain), and the ALTER statements that change a column's type.
 */
import type { Column, Constraint, Sequence, Table } from '../../../catalog/types.js';
import type { SnapshotIndex } from '../../../catalog/snapshot-index.js';
import type { ObjectRef } from '../../../finding.js';
import { qualifiedName, quoteIdent } from '../../../sql/quote.js';

/** The finding object for a column. */
export function columnObject(column: Column): ObjectRef {
  return { type: 'column', schema: column.schema, table: column.table, name: column.name, column: column.name };
}

/** `schema.table.column`, for messages. */
export function columnLabel(column: { schema: string; table: string; name: string }): string {
  return `${column.schema}.${column.table}.${column.name}`;
}

// format_type(base, NULL) as the catalog reports a domain's base type, mapped to pg_type names.
const FORMATTED_TO_TYPNAME: Record<string, string> = {
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  money: 'money',
  json: 'json',
  jsonb: 'jsonb',
  'double precision': 'float8',
  real: 'float4',
  text: 'text',
  'character varying': 'varchar',
  character: 'bpchar',
  integer: 'int4',
  smallint: 'int2',
  bigint: 'int8',
};

export interface ColumnBaseType {
  /** pg_type name of the column's type, or of its domain's base type. */
  typeName: string;
  /** The domain in between, as `schema.name`, when the column's type is a domain. */
  domain: string | null;
}

/** The base type a column stores, looking through one domain. */
export function baseTypeOf(column: Column): ColumnBaseType {
  if (column.typeKind === 'd' && column.domainBaseType) {
    return {
      typeName: FORMATTED_TO_TYPNAME[column.domainBaseType] ?? column.domainBaseType,
      domain: `${column.typeSchema}.${column.typeName}`,
    };
  }
  return { typeName: column.typeName, domain: null };
}

/** What every in-place type change costs; said in the note of each such fix. */
export const REWRITE_NOTE =
  'rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock; views that use the column must be dropped and re-created around the change.';

/**
 * Why `ALTER COLUMN ... TYPE` cannot simply be run on this column, or null: the type comes from a
 * domain, the column is generated, or it is part of a partition key (whose type PostgreSQL refuses to
 * change).
 */
export function typeChangeBlocker(index: SnapshotIndex, column: Column, targetType: string, domain: string | null = null): string | null {
  if (domain) return `the type comes from domain ${domain}: move the columns to a domain over ${targetType}`;
  if (column.generated) return 'a generated column: change the types in its expression instead';
  const table = index.table(column.schema, column.table);
  if (table?.partitionKey && inPartitionKey(table, column.name)) {
    return `part of the partition key ${table.partitionKey}, whose type cannot change: re-create the partitioned table with ${targetType} and move the rows`;
  }
  return null;
}

function inPartitionKey(table: Table, name: string): boolean {
  if (table.partitionKeyColumns.includes(name)) return true;
  // Expression keys list no columns: look for the name as a word in the key's text.
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])"?${escaped}"?($|[^\\w$])`).test(table.partitionKey ?? '');
}

/**
 * `ALTER TABLE ... ALTER COLUMN ... TYPE newType [USING ...];` for a scalar or array column. `using`
 * receives the quoted column name and returns the conversion expression (array-aware when it needs to be).
 */
export function alterColumnType(column: Column, newType: string, using?: (quotedColumn: string) => string): string {
  const name = quoteIdent(column.name);
  const type = column.isArray ? `${newType}[]` : newType;
  const usingClause = using ? ` USING ${using(name)}` : '';
  return `ALTER TABLE ${qualifiedName(column.schema, column.table)} ALTER COLUMN ${name} TYPE ${type}${usingClause};`;
}

/** A column that refers to `column` through a foreign key, and the constraint that does it. */
export interface ReferencingColumn {
  constraint: Constraint;
  schema: string;
  table: string;
  name: string;
}

/**
 * The columns of other (or the same) tables whose foreign keys point at `column`. Copies of a
 * partitioned table's foreign key on its partitions are left out: the parent's constraint covers them.
 */
export function referencingColumns(index: SnapshotIndex, column: Column): ReferencingColumn[] {
  const result: ReferencingColumn[] = [];
  for (const fk of index.foreignKeysTo.get(`${column.schema}.${column.table}`) ?? []) {
    if (fk.inherited || !fk.references) continue;
    const position = fk.references.columns.indexOf(column.name);
    const name = position >= 0 ? fk.columns[position] : undefined;
    if (name !== undefined) result.push({ constraint: fk, schema: fk.schema, table: fk.table, name });
  }
  return result;
}

/**
 * The sequence a `nextval('...'::regclass)` default draws from. The name is printed unqualified when
 * its schema was on the reading session's search_path, so an unqualified name is looked up in the
 * column's own schema, then in `public`.
 */
export function sequenceOfDefault(index: SnapshotIndex, column: Column): Sequence | undefined {
  const match = column.default?.match(/^nextval\('((?:[^']|'')+)'::regclass\)$/);
  if (!match) return undefined;
  const parts = splitQualifiedName(match[1]!.replace(/''/g, "'"));
  if (parts.length === 2) return index.sequences.get(`${parts[0]}.${parts[1]}`);
  if (parts.length !== 1) return undefined;
  return index.sequences.get(`${column.schema}.${parts[0]}`) ?? index.sequences.get(`public.${parts[0]}`);
}

/** The sequence a column owns (serial or identity), from its `schema.name` key. */
export function ownedSequenceOf(index: SnapshotIndex, column: Column): Sequence | undefined {
  return column.ownedSequence ? index.sequences.get(column.ownedSequence) : undefined;
}

/** `a.b`, `"A"."b.c"` -> the unquoted parts. */
function splitQualifiedName(text: string): string[] {
  const parts: string[] = [];
  const pattern = /"((?:[^"]|"")*)"|([^."]+)/gy;
  let position = 0;
  while (position < text.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(text);
    if (!match) return [];
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!);
    position = pattern.lastIndex;
    if (position < text.length) {
      if (text[position] !== '.') return [];
      position++;
    }
  }
  return parts;
}

/**
 * Statements wrapped in one DO block, which runs as a single transaction: if one fails, nothing has
 * changed. (Not BEGIN/COMMIT: a fix script writes each statement once, so a second fix's BEGIN would be
 * dropped as a repeat.) `declare` lines go in the block's DECLARE section.
 */
export function doBlock(statements: readonly string[], declare: readonly string[] = []): string {
  const body = [...(declare.length ? ['DECLARE', ...declare.map((d) => `  ${d}`)] : []), 'BEGIN', ...statements.map((s) => `  ${s}`), 'END'].join('\n');
  let tag = '$fix$';
  for (let n = 1; body.includes(tag); n++) tag = `$fix${n}$`;
  return `DO ${tag}\n${body}\n${tag};`;
}
