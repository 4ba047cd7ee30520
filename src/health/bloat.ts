/**
 * Bloat of tables and B-tree indexes estimated from statistics, never by reading the relations: the
 * size the live rows would take (row count from pg_class.reltuples, row width from pg_stats'
 * avg_width and null_frac, the relation's fillfactor, Postgres's page and tuple layout) against the
 * size the catalog records (relpages). The method is the one of the widely used estimation queries
 * (ioguix/pgsql-bloat-estimation), done here as a pure function of the catalog figures. It ignores
 * per-column alignment padding and B-tree deduplication, so it errs towards less bloat than there is,
 * and it is only as fresh as the last ANALYZE; `--exact` measures with pgstattuple instead.
 */
import type { RelationBloat } from './facts.js';

/** Page header (PageHeaderData). */
const PAGE_HEADER = 24;
/** B-tree page special space (BTPageOpaqueData). */
const BTREE_SPECIAL = 16;
/** Heap tuple header (HeapTupleHeaderData) before the null bitmap. */
const HEAP_TUPLE_HEADER = 23;
/** Index tuple header (IndexTupleData: heap pointer and flags). */
const INDEX_TUPLE_HEADER = 8;
/** Index null bitmap, fixed size (INDEX_MAX_KEYS bits). */
const INDEX_NULL_BITMAP = 4;
/** Line pointer (ItemIdData), one per tuple. */
const LINE_POINTER = 4;
/** MAXALIGN on 64-bit platforms. */
const MAX_ALIGN = 8;
/** Rows of TOAST chunks per TOAST page (TOAST_MAX_CHUNK_SIZE is about 2 kB). */
const TOAST_CHUNKS_PER_PAGE = 4;

/** What the catalog says about a table, as the facts reader reads it. */
export interface TableBloatInput {
  schema: string;
  name: string;
  pages: number;
  /** reltuples; negative when never vacuumed or analysed. */
  rows: number;
  toastPages: number;
  toastRows: number;
  fillfactor: number;
  /** Columns of the table (not dropped). */
  columns: number;
  /** Columns with statistics in pg_stats visible to this role. */
  columnsWithStats: number;
  /** Sum over those columns of (1 - null_frac) × avg_width. */
  dataWidth: number;
  /** Some column has nulls: the tuple carries a null bitmap. */
  hasNulls: boolean;
}

export interface IndexBloatInput {
  schema: string;
  table: string;
  name: string;
  pages: number;
  rows: number;
  fillfactor: number;
  /** Key and INCLUDE columns. */
  columns: number;
  columnsWithStats: number;
  dataWidth: number;
  hasNulls: boolean;
}

/** The estimate, or why there is none. */
export type BloatEstimate = { ok: true; bloat: RelationBloat } | { ok: false; reason: string };

export function estimateTableBloat(t: TableBloatInput, blockSize: number): BloatEstimate {
  if (t.rows < 0) return { ok: false, reason: 'never vacuumed or analysed: no row count' };
  if (t.columns > 0 && t.columnsWithStats < t.columns) {
    return { ok: false, reason: t.columnsWithStats === 0 ? 'no column statistics (never analysed, or not readable by this role)' : 'some columns have no statistics' };
  }
  const bitmap = t.hasNulls ? Math.ceil(t.columns / 8) : 0;
  const tuple = align(align(HEAP_TUPLE_HEADER + bitmap) + t.dataWidth) + LINE_POINTER;
  const perPage = Math.max(1, Math.floor(((blockSize - PAGE_HEADER) * t.fillfactor) / 100 / tuple));
  const expectedPages = Math.ceil(t.rows / perPage) + Math.ceil(t.toastRows / TOAST_CHUNKS_PER_PAGE);
  return { ok: true, bloat: bloatOf({ schema: t.schema, table: t.name, name: t.name, kind: 'table' }, t.pages + t.toastPages, expectedPages, blockSize, t.fillfactor) };
}

export function estimateIndexBloat(i: IndexBloatInput, blockSize: number): BloatEstimate {
  if (i.rows < 0) return { ok: false, reason: 'never vacuumed or analysed: no row count' };
  if (i.columnsWithStats < i.columns) {
    return { ok: false, reason: i.columnsWithStats === 0 ? 'no statistics for its columns (never analysed, or not readable by this role)' : 'some key columns or expressions have no statistics' };
  }
  const tuple = align(INDEX_TUPLE_HEADER + (i.hasNulls ? INDEX_NULL_BITMAP : 0) + i.dataWidth) + LINE_POINTER;
  const perPage = Math.max(1, Math.floor(((blockSize - PAGE_HEADER - BTREE_SPECIAL) * i.fillfactor) / 100 / tuple));
  // One metapage; inner pages are about 1% of the leaves and left out, as in the usual estimates.
  const expectedPages = Math.ceil(i.rows / perPage) + 1;
  return { ok: true, bloat: bloatOf({ schema: i.schema, table: i.table, name: i.name, kind: 'index' }, i.pages, expectedPages, blockSize, i.fillfactor) };
}

/** Bloat measured by pgstattuple: dead rows and free space beyond what the fillfactor keeps free. */
export function measuredTableBloat(
  relation: { schema: string; table: string; name: string },
  m: { tableLen: number; deadTupleLen: number; freeSpace: number; fillfactor: number },
): RelationBloat {
  const reserved = (m.tableLen * (100 - m.fillfactor)) / 100;
  const wasted = Math.max(0, m.deadTupleLen + m.freeSpace - reserved);
  return { ...relation, kind: 'table', bytes: m.tableLen, expectedBytes: Math.max(0, m.tableLen - wasted), wastedBytes: Math.round(wasted), ratio: ratioOf(wasted, m.tableLen), fillfactor: m.fillfactor };
}

/** Bloat measured by pgstatindex: leaf pages fuller than their average density would need. */
export function measuredIndexBloat(
  relation: { schema: string; table: string; name: string },
  m: { indexSize: number; leafPages: number; avgLeafDensity: number; fillfactor: number },
  blockSize: number,
): RelationBloat {
  // An empty index reports NaN density.
  const density = Number.isFinite(m.avgLeafDensity) ? m.avgLeafDensity : 0;
  const leafBytes = m.leafPages * blockSize;
  const wasted = Math.max(0, leafBytes * (1 - Math.min(1, density / m.fillfactor)));
  return { ...relation, kind: 'index', bytes: m.indexSize, expectedBytes: Math.max(0, m.indexSize - wasted), wastedBytes: Math.round(wasted), ratio: ratioOf(wasted, m.indexSize), fillfactor: m.fillfactor };
}

function bloatOf(relation: Pick<RelationBloat, 'schema' | 'table' | 'name' | 'kind'>, pages: number, expectedPages: number, blockSize: number, fillfactor: number): RelationBloat {
  const bytes = pages * blockSize;
  const expectedBytes = Math.min(bytes, expectedPages * blockSize);
  const wastedBytes = Math.max(0, bytes - expectedPages * blockSize);
  return { ...relation, bytes, expectedBytes, wastedBytes, ratio: ratioOf(wastedBytes, bytes), fillfactor };
}

function ratioOf(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 1000 : 0;
}

function align(n: number): number {
  return Math.ceil(n / MAX_ALIGN) * MAX_ALIGN;
}
