import type { SnapshotIndex } from '../../catalog/snapshot-index.js';
import type { Constraint, Index, Table } from '../../catalog/types.js';
import type { Fix } from '../../finding.js';
import { columnList, qualifiedName, quoteIdent } from '../../sql/quote.js';
import { defineRule } from '../rule.js';
import { RelationNames } from './lib/names.js';

/**
 * Every DELETE of a referenced row, and every UPDATE of its key, looks up the referencing rows by the
 * foreign key columns. Without an index starting with those columns each lookup scans the whole
 * referencing table (under the lock of the statement that triggered it), and joins along the
 * relationship cannot use an index either.
 */
export default defineRule({
  meta: {
    id: 'fk-without-index',
    category: 'keys',
    defaultSeverity: 'warning',
    description: 'A foreign key has no index on the referencing table whose leading columns are its columns.',
    fixable: true,
    defaultOptions: {},
  },
  check({ snapshot, index, report }) {
    const names = new RelationNames(snapshot);
    for (const table of index.designTables()) {
      for (const fk of index.constraintsOf(table)) {
        if (fk.kind !== 'foreign key' || fk.inherited || !fk.references) continue;
        if (isCovered(index, table, fk.columns)) continue;
        const target = fk.references;
        report({
          object: { type: 'constraint', schema: table.schema, table: table.name, name: fk.name },
          message:
            `Foreign key ${table.schema}.${table.name}.${fk.name} (${fk.columns.join(', ')}) has no index starting with its columns: ` +
            `every delete or key update in ${target.schema}.${target.table} scans ${table.schema}.${table.name}.`,
          evidence: {
            constraint: fk.name,
            columns: fk.columns,
            referencedTable: `${target.schema}.${target.table}`,
            referencedColumns: target.columns,
            onDelete: target.onDelete,
            rowEstimate: rowEstimate(index, table),
          },
          fix: indexFix(index, names, table, fk),
        });
      }
    }
  },
});

/**
 * Covered when the table has a usable index, or when it is partitioned and every partition is covered
 * (the lookup then runs on each partition with that partition's index).
 */
function isCovered(index: SnapshotIndex, table: Table, columns: readonly string[]): boolean {
  if (index.indexesOf(table).some((i) => servesLookup(i, columns))) return true;
  if (table.kind !== 'partitioned table') return false;
  const partitions = index.partitions(table);
  return partitions.length > 0 && partitions.every((p) => isCovered(index, p, columns));
}

/** `reltuples`, summed over the partitions of a partitioned table; null when never estimated. */
function rowEstimate(index: SnapshotIndex, table: Table): number | null {
  if (table.kind !== 'partitioned table') return table.rowEstimate !== null && table.rowEstimate >= 0 ? table.rowEstimate : null;
  const known = index.partitions(table).map((p) => rowEstimate(index, p)).filter((n): n is number => n !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

/**
 * A valid, non-partial index whose first keys are exactly the foreign key columns, in any order: an
 * equality lookup on all of them can use it whatever their order. Hash indexes serve one column only.
 */
function servesLookup(candidate: Index, columns: readonly string[]): boolean {
  if (!candidate.valid || candidate.predicate !== null) return false;
  if (candidate.method !== 'btree' && !(candidate.method === 'hash' && columns.length === 1)) return false;
  const leading = candidate.keyColumns.slice(0, columns.length);
  return leading.length === columns.length && columns.every((c) => leading.includes(c));
}

function indexFix(index: SnapshotIndex, names: RelationNames, table: Table, fk: Constraint): Fix {
  const cols = columnList(fk.columns);
  const indexName = names.choose(table.schema, `${table.name}_${fk.columns.join('_')}`, 'idx');
  const target = qualifiedName(table.schema, table.name);
  if (table.kind !== 'partitioned table') {
    return { sql: `CREATE INDEX CONCURRENTLY ${quoteIdent(indexName)} ON ${target} ${cols};`, safeOnline: true };
  }
  if (hasForeignPartition(index, table)) {
    return {
      sql: `CREATE INDEX ${quoteIdent(indexName)} ON ${target} ${cols};`,
      safeOnline: false,
      note: 'a partitioned table cannot be indexed CONCURRENTLY, and a foreign partition rules out building the index partition by partition: this blocks writes to every partition while the index builds (foreign partitions are skipped)',
    };
  }
  const statements: string[] = [];
  buildPartitioned(index, names, table, indexName, fk.columns, statements);
  return {
    sql: statements.join('\n'),
    safeOnline: true,
    note:
      'a partitioned table cannot be indexed CONCURRENTLY: the index is created ON ONLY the parent (invalid, no build), ' +
      'built CONCURRENTLY on each partition and attached; it becomes valid when the last partition is attached. ' +
      'Partitions created later get their index automatically.',
  };
}

/** `CREATE INDEX ... ON ONLY` the parent, then each partition's index (recursively) attached to it. */
function buildPartitioned(index: SnapshotIndex, names: RelationNames, table: Table, indexName: string, columns: readonly string[], out: string[]): void {
  const target = qualifiedName(table.schema, table.name);
  const partitions = [...index.partitions(table)].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (table.kind !== 'partitioned table') {
    out.push(`CREATE INDEX CONCURRENTLY ${quoteIdent(indexName)} ON ${target} ${columnList(columns)};`);
    return;
  }
  if (partitions.length === 0) {
    out.push(`CREATE INDEX ${quoteIdent(indexName)} ON ${target} ${columnList(columns)};`);
    return;
  }
  out.push(`CREATE INDEX ${quoteIdent(indexName)} ON ONLY ${target} ${columnList(columns)};`);
  for (const partition of partitions) {
    const existing = partition.kind === 'table' ? attachableIndex(index, partition, columns) : undefined;
    const childName = existing?.name ?? names.choose(partition.schema, `${partition.name}_${columns.join('_')}`, 'idx');
    if (!existing) buildPartitioned(index, names, partition, childName, columns, out);
    out.push(`ALTER INDEX ${qualifiedName(table.schema, indexName)} ATTACH PARTITION ${qualifiedName(partition.schema, childName)};`);
  }
}

/**
 * A partition's own plain index with exactly these keys in this order and nothing else (no options,
 * opclass, collation, INCLUDE, predicate, uniqueness): Postgres accepts it as the partition's copy of
 * the new parent index, so none needs building.
 */
function attachableIndex(index: SnapshotIndex, partition: Table, columns: readonly string[]): Index | undefined {
  return index.indexesOf(partition).find(
    (i) =>
      i.method === 'btree' &&
      i.valid &&
      !i.unique &&
      i.constraint === null &&
      i.parentIndex === null &&
      i.predicate === null &&
      i.includeColumns.length === 0 &&
      i.keyColumns.length === columns.length &&
      i.keyColumns.every((c, n) => c === columns[n]) &&
      i.keyOpclasses.every((o) => o === null) &&
      i.keyOptions.every((o) => !o.desc && !o.nullsFirst) &&
      !/ COLLATE /.test(i.definition),
  );
}

function hasForeignPartition(index: SnapshotIndex, table: Table): boolean {
  return index.partitions(table).some((p) => p.kind === 'foreign table' || hasForeignPartition(index, p));
}
