/**
 * What an index is made of, read from `pg_get_indexdef` output, for the index rules that compare
 * indexes with each other (duplicate, redundant, duplicates-constraint, invalid). Not a rule.
 *
 * Postgres prints each key canonically: the expression, then `COLLATE` when it differs from the
 * column's, the operator class when it is not the default, `DESC` and `NULLS FIRST|LAST` when not the
 * default. Comparing those printed key texts compares everything that makes two keys equivalent,
 * including the collation the snapshot's structured fields do not carry.
 */
import type { SnapshotIndex } from '../../../catalog/snapshot-index.js';
import type { Index, Table } from '../../../catalog/types.js';
import type { Fix } from '../../../finding.js';
import { qualifiedName } from '../../../sql/quote.js';

export interface IndexShape {
  /** One text per key column as printed in the definition: `lower(email) text_pattern_ops DESC`. */
  keyTexts: string[];
  /** A unique index declared `NULLS NOT DISTINCT` (PostgreSQL 15+). */
  nullsNotDistinct: boolean;
}

// Computed once per index object, whichever rule asks first (a snapshot is not mutated during a run).
const shapes = new WeakMap<Index, IndexShape>();
const signatures = new WeakMap<Index, string>();

/** The printed keys of an index; falls back to the structured fields if the definition is unusual. */
export function indexShape(index: Index): IndexShape {
  let shape = shapes.get(index);
  if (!shape) {
    shape = parseDefinition(index.definition) ?? {
      keyTexts: index.keys.map((key, i) => structuredKeyText(index, key, i)),
      nullsNotDistinct: false,
    };
    if (shape.keyTexts.length !== index.keys.length) {
      shape = { ...shape, keyTexts: index.keys.map((key, i) => structuredKeyText(index, key, i)) };
    }
    shapes.set(index, shape);
  }
  return shape;
}

/**
 * Identity of what an index stores and how it can be searched: method, keys with their options,
 * INCLUDE columns (as a set), predicate and NULLS NOT DISTINCT. Uniqueness is left out: a unique and a
 * plain index with the same shape are duplicates (the unique one is the one to keep).
 */
export function shapeSignature(index: Index): string {
  let signature = signatures.get(index);
  if (signature === undefined) {
    const shape = indexShape(index);
    signature = JSON.stringify([index.method, shape.keyTexts, [...index.includeColumns].sort(), index.predicate, shape.nullsNotDistinct]);
    signatures.set(index, signature);
  }
  return signature;
}

/** The index backs a PRIMARY KEY or UNIQUE constraint (not an exclusion constraint). */
export function backsKeyConstraint(index: Index): boolean {
  return index.constraint !== null && (index.primary || index.unique);
}

/**
 * A plain index that a PRIMARY KEY or UNIQUE constraint's index makes useless: same method and keys,
 * no predicate, no INCLUDE column the constraint's index lacks, and no stricter uniqueness.
 * Owned by `index-duplicates-constraint`; the other rules leave such pairs alone.
 */
export function duplicatesKeyConstraint(plain: Index, keyIndex: Index): boolean {
  if (plain === keyIndex || plain.constraint !== null || !backsKeyConstraint(keyIndex)) return false;
  if (!plain.valid || !keyIndex.valid || plain.predicate !== null || plain.method !== keyIndex.method) return false;
  const plainShape = indexShape(plain);
  const keyShape = indexShape(keyIndex);
  if (!sameTexts(plainShape.keyTexts, keyShape.keyTexts)) return false;
  if (plain.unique && plainShape.nullsNotDistinct && !keyShape.nullsNotDistinct) return false;
  return plain.includeColumns.every((c) => keyIndex.includeColumns.includes(c));
}

/**
 * `wide` answers every search `narrow` can: the same predicate, `narrow`'s printed keys (expression,
 * collation, operator class, order) are its leading keys, and `narrow`'s INCLUDE columns are in it.
 * Both btree (the prefix argument holds only there). Exact duplicates and plain twins of a
 * constraint's index belong to other rules, so they do not count as covered.
 */
export function coversIndex(wide: Index, narrow: Index): boolean {
  if (wide === narrow || wide.method !== 'btree' || narrow.method !== 'btree' || !wide.valid) return false;
  if (wide.predicate !== narrow.predicate) return false;
  const narrowKeys = indexShape(narrow).keyTexts;
  const wideKeys = indexShape(wide).keyTexts;
  if (narrowKeys.length > wideKeys.length || !narrowKeys.every((key, i) => key === wideKeys[i])) return false;
  const wideColumns = new Set([...wide.keyColumns.filter((c): c is string => c !== null), ...wide.includeColumns]);
  if (!narrow.includeColumns.every((c) => wideColumns.has(c))) return false;
  // With equal keys only a strictly wider INCLUDE list covers: two indexes never cover each other.
  if (narrowKeys.length === wideKeys.length && narrow.includeColumns.length >= wide.includeColumns.length) return false;
  return !duplicatesKeyConstraint(narrow, wide);
}

/** `DROP INDEX CONCURRENTLY`, or a plain DROP for a partitioned index (which cannot be dropped concurrently). */
export function dropIndexFix(index: Index, note?: string): Fix {
  const name = qualifiedName(index.schema, index.name);
  if (index.partitioned) {
    const lockNote = 'a partitioned index cannot be dropped CONCURRENTLY: DROP INDEX briefly takes an ACCESS EXCLUSIVE lock on the table and every partition';
    return { sql: `DROP INDEX ${name};`, safeOnline: false, note: note ? `${note}; ${lockNote}` : lockNote };
  }
  return note ? { sql: `DROP INDEX CONCURRENTLY ${name};`, safeOnline: true, note } : { sql: `DROP INDEX CONCURRENTLY ${name};`, safeOnline: true };
}

/** What can stop the DROP of a unique index whose twin stays. */
export function uniqueDropNote(dropped: Index, keptName: string): string | undefined {
  if (!dropped.unique) return undefined;
  return `${keptName} enforces the same uniqueness; a foreign key referencing these columns may depend on ${dropped.name} (Postgres picks the first matching unique index), and then the DROP fails naming it: recreate that foreign key first`;
}

const designGroups = new WeakMap<SnapshotIndex, ReadonlyMap<Table, readonly Index[]>>();

/**
 * The design indexes (`SnapshotIndex.designIndexes`) grouped by table, in the snapshot's table order,
 * each group sorted by index name; tables without indexes are left out. Built once per SnapshotIndex,
 * whichever rule asks first, and shared: callers must not change it.
 */
export function designIndexesByTable(index: SnapshotIndex): ReadonlyMap<Table, readonly Index[]> {
  let groups = designGroups.get(index);
  if (!groups) {
    const byTable = new Map<Table, readonly Index[]>();
    for (const table of index.snapshot.tables) {
      // A partition's indexes are copies of its parent's, reviewed there (as designIndexes says).
      if (table.parent !== null) continue;
      const indexes = index.indexesOf(table);
      if (indexes.length > 0) byTable.set(table, [...indexes].sort((a, b) => compareText(a.name, b.name)));
    }
    groups = byTable;
    designGroups.set(index, groups);
  }
  return groups;
}

/** Indexes grouped by table (`schema.table`), each group sorted by index name. */
export function indexesByTable(indexes: readonly Index[]): Map<string, Index[]> {
  const byTable = new Map<string, Index[]>();
  for (const index of indexes) {
    const key = `${index.schema}.${index.table}`;
    const list = byTable.get(key);
    if (list) list.push(index);
    else byTable.set(key, [index]);
  }
  for (const list of byTable.values()) list.sort((a, b) => compareText(a.name, b.name));
  return byTable;
}

export function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((text, i) => text === b[i]);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Splits `CREATE [UNIQUE] INDEX name ON [ONLY] table USING method (k1, k2) [INCLUDE (...)]
 * [NULLS NOT DISTINCT] ...`. The first parenthesis outside quotes opens the key list: names before it
 * that contain parentheses are always double-quoted.
 */
function parseDefinition(definition: string): IndexShape | null {
  const open = nextUnquoted(definition, 0, '(');
  if (open < 0) return null;
  const keyList = balanced(definition, open);
  if (!keyList) return null;
  let rest = definition.slice(keyList.end + 1);
  if (rest.startsWith(' INCLUDE (')) {
    const include = balanced(rest, ' INCLUDE '.length);
    if (!include) return null;
    rest = rest.slice(include.end + 1);
  }
  return { keyTexts: keyList.items, nullsNotDistinct: rest.startsWith(' NULLS NOT DISTINCT') };
}

/** Items of the parenthesised list opening at `open`, split at top-level commas, and its closing position. */
function balanced(text: string, open: number): { items: string[]; end: number } | null {
  const items: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = closingQuote(text, i);
      if (i < 0) return null;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      depth--;
      if (depth === 0) {
        items.push(text.slice(start, i).trim());
        return { items, end: i };
      }
    } else if (ch === ',' && depth === 1) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

function nextUnquoted(text: string, from: number, wanted: string): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = closingQuote(text, i);
      if (i < 0) return -1;
    } else if (ch === wanted) {
      return i;
    }
  }
  return -1;
}

/** Position of the quote closing the one at `open` (a doubled quote is an escaped one), or -1. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] !== quote) continue;
    if (text[i + 1] === quote) i++;
    else return i;
  }
  return -1;
}

function structuredKeyText(index: Index, key: string, i: number): string {
  const parts = [key];
  const opclass = index.keyOpclasses[i];
  if (opclass) parts.push(opclass);
  const options = index.keyOptions[i];
  if (options?.desc) parts.push('DESC');
  if (options && options.nullsFirst !== options.desc) parts.push(options.nullsFirst ? 'NULLS FIRST' : 'NULLS LAST');
  return parts.join(' ');
}
