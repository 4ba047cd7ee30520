/**
 * An index the advisor may propose: a btree on key columns of one table, with optional INCLUDE
 * columns (covering, for index-only scans) and an optional WHERE (partial, for a constant predicate).
 */
import { columnList, qualifiedName, quoteIdent } from '../sql/quote.js';

export interface IndexCandidate {
  schema: string;
  table: string;
  columns: readonly string[];
  include: readonly string[];
  /** `status = 'pending'`: the predicate of a partial index, as SQL. */
  where: string | null;
}

/** Identity of a candidate (same keys in the same order, same INCLUDE set, same predicate). */
export function candidateKey(c: IndexCandidate): string {
  return `${c.schema}.${c.table}(${c.columns.join(',')})${c.include.length ? ` include(${[...c.include].sort().join(',')})` : ''}${c.where ? ` where ${c.where}` : ''}`;
}

export function tableKeyOf(c: IndexCandidate): string {
  return `${c.schema}.${c.table}`;
}

/** `CREATE INDEX ON s.t (a, b) INCLUDE (c) WHERE ...`: what hypopg is given. */
export function candidateDefinition(c: IndexCandidate): string {
  return `CREATE INDEX ON ${qualifiedName(c.schema, c.table)} ${columnList(c.columns)}${c.include.length ? ` INCLUDE ${columnList(c.include)}` : ''}${c.where ? ` WHERE ${c.where}` : ''}`;
}

/** A name in Postgres's own style (`orders_customer_id_created_at_idx`), at most 63 bytes. */
export function candidateName(c: IndexCandidate): string {
  const base = `${c.table}_${c.columns.join('_')}${c.where ? '_partial' : ''}_idx`;
  return Buffer.byteLength(base) <= 63 ? base : `${Buffer.from(base).subarray(0, 58).toString('utf8').replace(/\uFFFD+$/, '')}_idx`;
}

/** The statement for the migration: built without blocking writes. */
export function createConcurrentlySql(c: IndexCandidate, name = candidateName(c)): string {
  return `CREATE INDEX CONCURRENTLY ${quoteIdent(name)} ON ${qualifiedName(c.schema, c.table)} ${columnList(c.columns)}${c.include.length ? ` INCLUDE ${columnList(c.include)}` : ''}${c.where ? ` WHERE ${c.where}` : ''};`;
}

/** Short human label: `orders (customer_id, created_at) INCLUDE (total)`. */
export function candidateLabel(c: IndexCandidate): string {
  return `${c.schema}.${c.table} (${c.columns.join(', ')})${c.include.length ? ` INCLUDE (${c.include.join(', ')})` : ''}${c.where ? ` WHERE ${c.where}` : ''}`;
}
