/**
 * DDL text for the objects of a snapshot. Definitions Postgres printed itself (pg_get_indexdef,
 * pg_get_constraintdef, pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef, format_type) are used
 * as printed; the rest is assembled here. Requires `ensureParser()` (identifier quoting).
 */
import type { Column, Index, Sequence, Table, View } from '../catalog/types.js';
import { qualifiedName, quoteIdent, quoteLiteral } from '../sql/quote.js';

export { qualifiedName, quoteIdent, quoteLiteral };

/** `"schema"."table"` for a column's table. */
export function tableOf(column: Pick<Column, 'schema' | 'table'>): string {
  return qualifiedName(column.schema, column.table);
}

const TYPE_RANGE: Record<string, { min: number; max: number }> = {
  smallint: { min: -32768, max: 32767 },
  integer: { min: -2147483648, max: 2147483647 },
  bigint: { min: -9223372036854775808, max: 9223372036854775807 },
};

/**
 * A sequence bound as SQL. The catalog figures are float8, exact up to 2^53; the bigint extremes
 * (which floats round) are written exactly.
 */
export function sequenceNumber(value: number): string {
  if (Number.isSafeInteger(value)) return String(value);
  if (value >= 9223372036854775807) return '9223372036854775807';
  if (value <= -9223372036854775808) return '-9223372036854775808';
  return BigInt(Math.round(value)).toString();
}

/** The options of a sequence, standalone or an identity column's. */
export interface SequenceShape {
  dataType: string;
  increment: number;
  minValue: number;
  maxValue: number;
  startValue: number;
  cache: number;
  cycle: boolean;
}

/** What CREATE SEQUENCE gives when an option is left out, for this type and direction. */
function defaultsFor(dataType: string, increment: number, minValue: number, maxValue: number): { min: number; max: number; start: number } {
  const range = TYPE_RANGE[dataType] ?? TYPE_RANGE.bigint!;
  const min = increment > 0 ? 1 : range.min;
  const max = increment > 0 ? range.max : -1;
  return { min, max, start: increment > 0 ? minValue : maxValue };
}

/**
 * Sequence options that differ from the defaults (`INCREMENT BY 5 START WITH 100`), so a plain
 * sequence reads `CREATE SEQUENCE s AS integer;`.
 */
export function sequenceOptions(s: SequenceShape, includeType: boolean): string[] {
  const d = defaultsFor(s.dataType, s.increment, s.minValue, s.maxValue);
  const options: string[] = [];
  if (includeType) options.push(`AS ${s.dataType}`);
  if (s.increment !== 1) options.push(`INCREMENT BY ${sequenceNumber(s.increment)}`);
  if (s.minValue !== d.min) options.push(`MINVALUE ${sequenceNumber(s.minValue)}`);
  if (s.maxValue !== d.max) options.push(`MAXVALUE ${sequenceNumber(s.maxValue)}`);
  if (s.startValue !== d.start) options.push(`START WITH ${sequenceNumber(s.startValue)}`);
  if (s.cache !== 1) options.push(`CACHE ${sequenceNumber(s.cache)}`);
  if (s.cycle) options.push('CYCLE');
  return options;
}

/** The options that change from `a` to `b`, for ALTER SEQUENCE or ALTER COLUMN ... SET. */
export function changedSequenceOptions(a: SequenceShape, b: SequenceShape, includeType: boolean): string[] {
  const options: string[] = [];
  if (includeType && a.dataType !== b.dataType) options.push(`AS ${b.dataType}`);
  if (a.increment !== b.increment) options.push(`INCREMENT BY ${sequenceNumber(b.increment)}`);
  if (a.minValue !== b.minValue || (includeType && a.dataType !== b.dataType)) options.push(`MINVALUE ${sequenceNumber(b.minValue)}`);
  if (a.maxValue !== b.maxValue || (includeType && a.dataType !== b.dataType)) options.push(`MAXVALUE ${sequenceNumber(b.maxValue)}`);
  if (a.startValue !== b.startValue) options.push(`START WITH ${sequenceNumber(b.startValue)}`);
  if (a.cache !== b.cache) options.push(`CACHE ${sequenceNumber(b.cache)}`);
  if (a.cycle !== b.cycle) options.push(b.cycle ? 'CYCLE' : 'NO CYCLE');
  return options;
}

/** The name Postgres gives an identity column's sequence when none is given. */
function defaultIdentitySequenceName(column: Column): string {
  return `${column.table}_${column.name}_seq`;
}

/** ` (SEQUENCE NAME ... START WITH ...)` for an identity column, or '' when everything is the default. */
export function identityOptions(column: Column, sequence: Sequence | undefined): string {
  if (!sequence) return '';
  const options = sequenceOptions(sequence, false);
  const defaultName = defaultIdentitySequenceName(column);
  if (sequence.schema !== column.schema || sequence.name !== defaultName || Buffer.byteLength(defaultName) > 63) {
    options.unshift(`SEQUENCE NAME ${qualifiedName(sequence.schema, sequence.name)}`);
  }
  return options.length ? ` (${options.join(' ')})` : '';
}

/** `name type [COLLATE c] [GENERATED ... | DEFAULT ...] [GENERATED ... AS IDENTITY (...)] [NOT NULL]`. */
export function columnDefinition(column: Column, identitySequence: Sequence | undefined): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.collation) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.generated) {
    parts.push(`GENERATED ALWAYS AS (${column.generationExpression ?? 'NULL'}) ${column.generated === 'stored' ? 'STORED' : 'VIRTUAL'}`);
  } else if (column.default !== null) {
    parts.push(`DEFAULT ${column.default}`);
  }
  if (column.identity) {
    parts.push(`GENERATED ${column.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityOptions(column, identitySequence)}`);
  }
  if (column.notNull) parts.push('NOT NULL');
  return parts.join(' ');
}

/** `(fillfactor=70, autovacuum_enabled=false)`: reloptions as pg_class stores them, quoted where needed. */
export function withOptions(options: readonly string[]): string {
  return `(${options.map(optionText).join(', ')})`;
}

function optionText(option: string): string {
  const eq = option.indexOf('=');
  if (eq < 0) return option;
  const name = option.slice(0, eq);
  const value = option.slice(eq + 1);
  return /^[A-Za-z0-9_.\-]+$/.test(value) ? `${name}=${value}` : `${name}=${quoteLiteral(value)}`;
}

/** `fillfactor` of `fillfactor=70`. */
export function optionName(option: string): string {
  const eq = option.indexOf('=');
  return eq < 0 ? option : option.slice(0, eq);
}

/**
 * `CREATE TABLE` for a table of `to`: columns and the constraints that can be declared inline; a
 * partition as `PARTITION OF` (its columns, keys and indexes come from the parent).
 */
export function createTable(table: Table, columns: readonly string[], constraints: readonly string[]): string {
  const name = qualifiedName(table.schema, table.name);
  const unlogged = table.persistence === 'unlogged' ? 'UNLOGGED ' : '';
  let sql: string;
  if (table.parent) {
    sql = `CREATE ${unlogged}TABLE ${name} PARTITION OF ${qualifiedName(table.parent.schema, table.parent.name)} ${table.partitionBound ?? 'DEFAULT'}`;
  } else {
    const body = [...columns, ...constraints].map((line) => `  ${line}`).join(',\n');
    sql = `CREATE ${unlogged}TABLE ${name} (${body ? `\n${body}\n` : ''})`;
  }
  if (table.partitionKey) sql += ` PARTITION BY ${table.partitionKey}`;
  if (table.reloptions.length) sql += ` WITH ${withOptions(table.reloptions)}`;
  return `${sql};`;
}

/** A view's query as pg_get_viewdef printed it, without its trailing semicolon. */
export function viewQuery(view: View): string {
  return view.definition.trim().replace(/;\s*$/, '');
}

/** CREATE [OR REPLACE] VIEW, or CREATE MATERIALIZED VIEW ... WITH [NO] DATA as `to` has it. */
export function createView(view: View, orReplace: boolean): string {
  const name = qualifiedName(view.schema, view.name);
  const options = view.options.length ? ` WITH ${withOptions(view.options)}` : '';
  if (view.materialized) {
    return `CREATE MATERIALIZED VIEW ${name}${options} AS\n${viewQuery(view)}\nWITH ${view.populated === false ? 'NO DATA' : 'DATA'};`;
  }
  return `CREATE ${orReplace ? 'OR REPLACE ' : ''}VIEW ${name}${options} AS\n${viewQuery(view)};`;
}

/**
 * An index's definition (pg_get_indexdef) as a statement: CONCURRENTLY when asked, and without `ONLY`
 * on a partitioned table so the index is built on every partition too.
 */
export function createIndex(index: Index, concurrently: boolean, name?: string): string {
  let sql = index.definition.replace(/ ON ONLY /, ' ON ');
  if (name !== undefined) sql = sql.replace(/^(CREATE (?:UNIQUE )?INDEX )(?:"(?:[^"]|"")*"|\S+)/, `$1${quoteIdent(name)}`);
  if (concurrently) sql = sql.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ');
  return `${sql};`;
}

/** A constraint definition without the ` NOT VALID` pg_get_constraintdef appends to unvalidated ones. */
export function constraintBody(definition: string): string {
  return definition.replace(/ NOT VALID$/, '');
}

/** `DEFERRABLE [INITIALLY DEFERRED]` at the end of a constraint definition, or ''. */
export function deferrableClause(definition: string): string {
  const match = / (DEFERRABLE(?: INITIALLY DEFERRED)?)$/.exec(constraintBody(definition));
  return match ? ` ${match[1]}` : '';
}

/** A name of at most 63 bytes (Postgres truncates longer ones), with `suffix` kept whole. */
export function derivedName(base: string, suffix: string): string {
  let name = base;
  while (Buffer.byteLength(name + suffix) > 63) name = name.slice(0, -1);
  return name + suffix;
}

/** `'a', 'b'` */
export function literalList(values: readonly string[]): string {
  return values.map(quoteLiteral).join(', ');
}

/** The rewrite (or not) an `ALTER COLUMN ... TYPE` costs, from the old and new type as format_type prints them. */
export function typeChangeCost(fromType: string, toType: string): { rewrite: boolean; note: string } {
  if (isBinaryCoercible(fromType, toType)) {
    return { rewrite: false, note: 'no table rewrite (the stored values are compatible); takes a brief ACCESS EXCLUSIVE lock' };
  }
  if (fromType === 'timestamp without time zone' && toType === 'timestamp with time zone') {
    return {
      rewrite: true,
      note: 'no rewrite when the session TimeZone is UTC; otherwise rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock',
    };
  }
  return { rewrite: true, note: 'rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock' };
}

function isBinaryCoercible(fromType: string, toType: string): boolean {
  const varchar = /^character varying(?:\((\d+)\))?$/;
  const numeric = /^numeric(?:\((\d+),(\d+)\))?$/;
  const varbit = /^bit varying(?:\((\d+)\))?$/;
  const a = fromType.replace(/\[\]$/, '');
  const b = toType.replace(/\[\]$/, '');
  if (fromType.endsWith('[]') !== toType.endsWith('[]')) return false;
  const va = varchar.exec(a);
  const vb = varchar.exec(b);
  if (va && vb) return vb[1] === undefined || (va[1] !== undefined && Number(vb[1]) >= Number(va[1]));
  if (va && b === 'text') return true;
  if (a === 'text' && vb && vb[1] === undefined) return true;
  const na = numeric.exec(a);
  const nb = numeric.exec(b);
  if (na && nb) return nb[1] === undefined || (na[1] !== undefined && na[2] === nb[2] && Number(nb[1]) >= Number(na[1]));
  const ba = varbit.exec(a);
  const bb = varbit.exec(b);
  if (ba && bb) return bb[1] === undefined || (ba[1] !== undefined && Number(bb[1]) >= Number(ba[1]));
  return false;
}

/** A default whose value differs per row, so ADD COLUMN with it rewrites the table. */
export function isVolatileDefault(expression: string): boolean {
  return /\b(nextval|random|gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc|clock_timestamp|timeofday|uuidv[47])\s*\(/i.test(expression);
}
