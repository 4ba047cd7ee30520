import type { CatalogSnapshot, Column, Index } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { coversIndex, designIndexesByTable, duplicatesKeyConstraint, shapeSignature } from './lib/index-shape.js';

/**
 * A btree index on a column with a handful of values (a boolean, a status) cannot narrow a search much:
 * for the common values a sequential scan is cheaper and the planner ignores the index, yet every write
 * maintains it over the whole table. Only the rare values are worth indexing, with a partial index.
 */
export default defineRule({
  meta: {
    id: 'low-cardinality-index',
    category: 'indexes',
    defaultSeverity: 'warning',
    description: 'A single-column btree index on a boolean or on a column with very few distinct values.',
    fixable: true,
    defaultOptions: { maxDistinct: 5, maxRareFraction: 0.2 },
  },
  check({ snapshot, index, options, report }) {
    let takenNames: Set<string> | undefined;
    for (const ix of index.designIndexes()) {
      const columnName = ix.keyColumns[0];
      if (ix.method !== 'btree' || ix.keys.length !== 1 || !columnName || ix.predicate !== null) continue;
      if (ix.unique || ix.constraint !== null || !ix.valid) continue;
      const table = index.table(ix.schema, ix.table);
      const column = table ? index.columnOf(table, columnName) : undefined;
      if (!table || !column) continue;
      const boolean = isBoolean(column);
      const distinct = column.stats && column.stats.distinct > 0 ? column.stats.distinct : null;
      if (!boolean && (distinct === null || distinct > options.maxDistinct)) continue;
      if (droppedByAnotherRule(ix, designIndexesByTable(index).get(table) ?? [])) continue;

      const rare = rareValue(column, boolean);
      const useful = rare !== null && rare.frequency <= options.maxRareFraction;
      takenNames ??= relationNames(snapshot);
      const what = boolean ? 'a boolean column' : `a column with ${distinct} distinct values`;
      const advice = useful
        ? `index only the rare value ${display(rare.value, boolean)} (${percent(rare.frequency)} of rows) with a partial index`
        : rare
          ? `no value is rare enough for an index to beat a sequential scan (the rarest, ${display(rare.value, boolean)}, is ${percent(rare.frequency)} of rows): consider dropping it`
          : 'index only the rare value with a partial index (WHERE column = value) once statistics show which value is rare';
      report({
        object: { type: 'index', schema: ix.schema, table: ix.table, name: ix.name },
        message: `Index ${ix.schema}.${ix.table}.${ix.name} is on ${what} (${column.name}); ${advice}.`,
        evidence: {
          column: column.name,
          type: column.type,
          distinctValues: distinct,
          mostCommonValues: column.stats?.mostCommonValues ?? null,
          mostCommonFrequencies: column.stats?.mostCommonFrequencies ?? null,
          nullFraction: column.stats?.nullFraction ?? null,
          bytes: ix.bytes,
        },
        fix: useful ? partialIndexFix(ix, column, rare.value, boolean, takenNames) : null,
      });
    }
  },
});

/** Names of every relation (an index shares its schema's namespace with tables, views and sequences). */
function relationNames(snapshot: CatalogSnapshot): Set<string> {
  const relations = [...snapshot.tables, ...snapshot.indexes, ...snapshot.views, ...snapshot.sequences];
  return new Set(relations.map((r) => `${r.schema}.${r.name}`));
}

function display(value: string, boolean: boolean): string {
  return boolean ? (value === 't' ? 'true' : 'false') : quoteLiteral(value);
}

/**
 * Another index serves every search this one serves, so duplicate-index, redundant-index or
 * index-duplicates-constraint already tells to drop it; a partial-index fix here would collide with theirs.
 */
function droppedByAnotherRule(ix: Index, tableIndexes: readonly Index[]): boolean {
  return tableIndexes.some(
    (other) =>
      other !== ix &&
      other.valid &&
      (coversIndex(other, ix) ||
        duplicatesKeyConstraint(ix, other) ||
        (shapeSignature(other) === shapeSignature(ix) && (other.constraint !== null || other.unique || other.name < ix.name))),
  );
}

function isBoolean(column: Column): boolean {
  return column.typeName === 'bool' || column.domainBaseType === 'bool';
}

/**
 * The least frequent value, when statistics show every value: most common values (pg_stats prints
 * booleans as `t`/`f`) that, with the NULLs, account for all the rows. For a boolean with a single
 * common value, the other one is the rare value.
 */
function rareValue(column: Column, boolean: boolean): { value: string; frequency: number } | null {
  const values = column.stats?.mostCommonValues;
  const frequencies = column.stats?.mostCommonFrequencies;
  if (!column.stats || !values || !frequencies || values.length !== frequencies.length || values.length === 0) return null;
  const known = frequencies.reduce((sum, f) => sum + f, 0) + column.stats.nullFraction;
  if (boolean && values.length === 1 && known < 0.999) {
    return { value: values[0] === 't' ? 'f' : 't', frequency: Math.max(0, 1 - known) };
  }
  if (known < 0.99 || values.length < column.stats.distinct) return null;
  let rarest = 0;
  for (let i = 1; i < values.length; i++) if (frequencies[i]! < frequencies[rarest]!) rarest = i;
  return { value: values[rarest]!, frequency: frequencies[rarest]! };
}

/** A partial index on the rare value, built before the old index goes. */
function partialIndexFix(ix: Index, column: Column, value: string, boolean: boolean, takenNames: Set<string>): Fix {
  const col = quoteIdent(column.name);
  const predicate = boolean ? (value === 't' ? col : `NOT ${col}`) : `${col} = ${quoteLiteral(value)}`;
  const name = freeName(ix.schema, `${ix.name}_partial`, takenNames);
  takenNames.add(`${ix.schema}.${name}`);
  return {
    sql: [
      `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${qualifiedName(ix.schema, ix.table)} (${col}) WHERE ${predicate};`,
      `DROP INDEX CONCURRENTLY ${qualifiedName(ix.schema, ix.name)};`,
    ].join('\n'),
    safeOnline: true,
    note: `only queries that filter on ${predicate} can use the new index; for the common values a sequential scan was already the better plan`,
  };
}

/** An index name (at most 63 bytes) not yet used in the schema. */
function freeName(schema: string, wanted: string, taken: Set<string>): string {
  for (let n = 0; ; n++) {
    const suffix = n === 0 ? '' : String(n);
    let base = wanted;
    while (Buffer.byteLength(base + suffix) > 63) base = base.slice(0, -1);
    if (!taken.has(`${schema}.${base}${suffix}`)) return base + suffix;
  }
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.01 ? 2 : 0)}%`;
}
