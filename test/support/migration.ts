/**
 * Migration rules in tests: a schema snapshot read from PGlite whose tables are then given the sizes
 * a production server would report. The sizes are our snapshot model's figures (what
 * `pgarchitect snapshot postgres://…` reads from pg_class), not Postgres behaviour: setting them is
 * how a test stands for "this table holds 40 million rows" without loading them.
 */
import type { CatalogSnapshot } from '../../src/catalog/types.js';
import { snapshotOf } from './embedded.js';
import { assertParses } from './lint.js';

export interface FakeSize {
  /** Heap bytes. */
  tableBytes: number;
  /** Rows (reltuples). */
  rows: number;
  /** Heap, indexes and TOAST (default 1.5 × the heap). */
  totalBytes?: number;
}

export const GB = 1024 ** 3;
export const MB = 1024 ** 2;

/**
 * A copy of `snapshot` read as from a live server, with these tables' sizes (by `schema.name` or
 * `name` in public); every other table is given 0 rows and 8 kB (analysed and empty).
 */
export function withSizes(snapshot: CatalogSnapshot, sizes: Record<string, FakeSize>): CatalogSnapshot {
  const copy = structuredClone(snapshot);
  copy.source.kind = 'live';
  for (const table of copy.tables) {
    const size = sizes[`${table.schema}.${table.name}`] ?? (table.schema === 'public' ? sizes[table.name] : undefined);
    const partitioned = table.kind === 'partitioned table';
    table.tableBytes = partitioned ? 0 : (size?.tableBytes ?? 8192);
    table.totalBytes = partitioned ? 0 : (size?.totalBytes ?? Math.round((size?.tableBytes ?? 8192) * 1.5));
    table.rowEstimate = partitioned ? null : (size?.rows ?? 0);
  }
  return copy;
}

/** The snapshot of `sql` loaded into PGlite, sized with `withSizes`. */
export async function sizedSnapshotOf(sql: string, sizes: Record<string, FakeSize>): Promise<CatalogSnapshot> {
  return withSizes(await snapshotOf(sql), sizes);
}

/** Asserts that every finding's fix parses with the real parser; returns the fixes' SQL. */
export async function fixesParse(findings: readonly { fix: { sql: string } | null }[]): Promise<string[]> {
  const sqls: string[] = [];
  for (const finding of findings) if (finding.fix) sqls.push(await assertParses(finding.fix.sql));
  return sqls;
}
