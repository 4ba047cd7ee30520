/**
 * Index builds the safe way, shared by the rules that create indexes: the index's default name, and
 * for a partitioned table the per-partition sequence (CONCURRENTLY is refused on a partitioned
 * table): an invalid index ON ONLY the parent, each partition's index built CONCURRENTLY, each
 * attached; the parent's index becomes valid when its last partition's is attached.
 */
import type { IndexStmt, Node } from 'libpg-query';
import type { SnapshotIndex } from '../../../catalog/snapshot-index.js';
import type { Table } from '../../../catalog/types.js';
import { qualifiedName, quoteIdent } from '../../../sql/quote.js';
import { defaultName } from './sql-text.js';

/** Column names as PostgreSQL puts them in an index's default name (`lower` for `lower(email)`, else `expr`). */
export function indexColumnNames(stmt: IndexStmt): string[] {
  return (stmt.indexParams ?? []).map((param) => {
    const element = (param as { IndexElem?: { name?: string; expr?: Node } }).IndexElem;
    if (element?.name) return element.name;
    const call = (element?.expr as { FuncCall?: { funcname?: Node[] } } | undefined)?.FuncCall;
    const name = call?.funcname?.map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '').pop();
    return name || 'expr';
  });
}

/**
 * The statements that build an index on every partition of `table` without blocking writes, given
 * the index's definition after the table name (`USING btree (k) WHERE ...`): ON ONLY for each
 * partitioned level, CONCURRENTLY for each leaf partition, and ATTACH PARTITION for each.
 */
export function perPartitionIndexSql(schema: SnapshotIndex, table: Table, indexName: string, definition: string, unique: boolean, columns: readonly string[]): string[] {
  const create = unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX';
  const label = unique ? 'key' : 'idx';
  const statements = [`${create} ${quoteIdent(indexName)} ON ONLY ${qualifiedName(table.schema, table.name)} ${definition};`];
  const attach = (parent: Table, parentIndex: string): void => {
    for (const partition of schema.partitions(parent)) {
      const name = defaultName(partition.name, columns, label);
      const table = qualifiedName(partition.schema, partition.name);
      if (partition.kind === 'partitioned table') {
        statements.push(`${create} ${quoteIdent(name)} ON ONLY ${table} ${definition};`);
        attach(partition, name);
      } else statements.push(`${create} CONCURRENTLY ${quoteIdent(name)} ON ${table} ${definition};`);
      statements.push(`ALTER INDEX ${qualifiedName(parent.schema, parentIndex)} ATTACH PARTITION ${qualifiedName(partition.schema, name)};`);
    }
  };
  attach(table, indexName);
  return statements;
}

/** What every CONCURRENTLY fix leaves to the user. */
export const CONCURRENTLY_NOTE =
  'CONCURRENTLY cannot run inside a transaction block: a migration tool that wraps each file in one must run this statement without it. ' +
  'It waits for transactions that use the table to end, and if it fails it leaves an INVALID index behind: drop it (DROP INDEX CONCURRENTLY) and run it again.';
