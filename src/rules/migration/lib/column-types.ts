/**
 * Column types as a migration statement declares them (`TypeName` nodes) and as the snapshot
 * records them (`Column`), in one shape, so that a type change can be judged: which changes
 * PostgreSQL makes without touching the rows (a "binary coercible" change whose new modifier only
 * widens the old one) and which rewrite the table.
 */
import type { TypeName } from 'libpg-query';
import type { Column } from '../../../catalog/types.js';
import { stringList } from './alter-table.js';

export interface ColumnType {
  /** pg_type name: `varchar`, `numeric`, `timestamptz`, `int8`, `bpchar`; or the name written (`serial`, a domain). */
  name: string;
  /** The schema written before the name, except `pg_catalog` (which the parser adds itself). */
  schema: string | null;
  /** Modifiers: `[20]` for varchar(20), `[10, 2]` for numeric(10,2); empty when none. */
  modifiers: number[];
  isArray: boolean;
}

/** Unqualified spellings the parser keeps as written, and the pg_type name they stand for. */
const ALIASES: Readonly<Record<string, string>> = { int: 'int4', integer: 'int4', smallint: 'int2', bigint: 'int8', decimal: 'numeric', float: 'float8', real: 'float4', boolean: 'bool' };

/** A declared type (`varchar(20)[]`, `pg_catalog.numeric(10,2)`, `timestamptz`). */
export function declaredType(typeName: TypeName | undefined): ColumnType {
  const names = stringList(typeName?.names);
  const name = names[names.length - 1]?.toLowerCase() ?? '';
  const schema = names.length > 1 ? names[names.length - 2]! : null;
  const modifiers = (typeName?.typmods ?? []).map((m) => (m as { A_Const?: { ival?: { ival?: number } } }).A_Const?.ival?.ival ?? 0);
  // interval(3) comes as [range mask, precision]; only the precision matters here.
  if (name === 'interval' && modifiers.length === 2) modifiers.shift();
  return { name: schema === null ? (ALIASES[name] ?? name) : name, schema: schema === 'pg_catalog' ? null : schema, modifiers, isArray: (typeName?.arrayBounds?.length ?? 0) > 0 };
}

/** A snapshot column's type in the same shape, its modifiers read from `format_type`'s text. */
export function catalogType(column: Column): ColumnType {
  const modifiers = column.type.match(/\(([\d,\s]+)\)/)?.[1]?.split(',').map((m) => Number(m.trim())) ?? [];
  return { name: column.typeName, schema: column.typeSchema === 'pg_catalog' ? null : column.typeSchema, modifiers, isArray: column.isArray };
}

/** Types whose length or precision modifier PostgreSQL can widen without a rewrite (their typmod support functions). */
const WIDENABLE = new Set(['varchar', 'numeric', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** Changes of type that are binary coercible: the stored bytes stay as they are. */
const RELABELS: Readonly<Record<string, readonly string[]>> = { varchar: ['text'], text: ['varchar'], cidr: ['inet'] };

export type TypeChange =
  /** Nothing to rewrite: the same type, or a widening PostgreSQL checks without reading the rows. */
  | { kind: 'safe' }
  /** Only when the session's TimeZone is UTC (PostgreSQL 12 and later): timestamp ↔ timestamptz. */
  | { kind: 'utc-only' }
  /** A varchar made shorter: every value is checked and the table rewritten. */
  | { kind: 'narrowing'; length: number }
  | { kind: 'rewrite' };

/** What changing a column from `from` to `to` costs (a USING clause other than the bare column always rewrites). */
export function typeChange(from: ColumnType, to: ColumnType): TypeChange {
  if (from.isArray !== to.isArray || from.schema !== to.schema) return { kind: 'rewrite' };
  const widened = modifiersWiden(from, to);
  if (from.name === to.name) {
    if (sameModifiers(from, to)) return { kind: 'safe' };
    if (WIDENABLE.has(from.name) && widened) return { kind: 'safe' };
    if (from.name === 'varchar' && to.modifiers.length === 1) return { kind: 'narrowing', length: to.modifiers[0]! };
    return { kind: 'rewrite' };
  }
  if (RELABELS[from.name]?.includes(to.name) && (to.name !== 'varchar' || to.modifiers.length === 0)) return { kind: 'safe' };
  const zones = new Set([from.name, to.name]);
  if (zones.has('timestamp') && zones.has('timestamptz') && widened) return { kind: 'utc-only' };
  return { kind: 'rewrite' };
}

function sameModifiers(from: ColumnType, to: ColumnType): boolean {
  return from.modifiers.length === to.modifiers.length && from.modifiers.every((m, i) => m === to.modifiers[i]);
}

/** True when `to`'s modifiers accept every value `from`'s do: none, or a length/precision at least as large (numeric: the same scale). */
function modifiersWiden(from: ColumnType, to: ColumnType): boolean {
  if (to.modifiers.length === 0) return true;
  if (from.modifiers.length === 0) return false;
  if (from.name === 'numeric' || to.name === 'numeric') {
    return to.modifiers[0]! >= from.modifiers[0]! && (to.modifiers[1] ?? 0) === (from.modifiers[1] ?? 0);
  }
  return to.modifiers[0]! >= from.modifiers[0]!;
}

/** Target types that some existing type reaches without a rewrite: without the old type, the change may be safe. */
export function mayBeSafeTarget(to: ColumnType): boolean {
  return to.schema === null && (WIDENABLE.has(to.name) || to.name === 'text' || to.name === 'inet');
}

/** `varchar(20)`, `numeric(10,2)[]`, `timestamptz`: for messages. */
export function formatType(type: ColumnType): string {
  const name = type.schema ? `${type.schema}.${type.name}` : type.name;
  return `${name}${type.modifiers.length ? `(${type.modifiers.join(',')})` : ''}${type.isArray ? '[]' : ''}`;
}
