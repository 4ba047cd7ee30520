/**
 * What a backup must bring back, measured in SQL: every table's row count and a content checksum,
 * sequence positions, and the large objects. `backup create` measures the source in the snapshot the
 * dump is taken in; `backup verify` measures the restored copy and compares.
 *
 * The checksum of a table is order-independent (a restore may store rows in another order): the sum,
 * as numeric, of the first 64 bits of md5 of each row's text, hashed. Row text depends on settings
 * (dates, time zone, floats, bytea, money, the search_path for reg* types), so both sides set the same
 * ones: CONTENT_SETTINGS.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/db.js';
import { postgresErrorInfo } from '../db/db.js';

/** The session settings row text is taken under, on both sides of the comparison. */
export const CONTENT_SETTINGS: Readonly<Record<string, string>> = {
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  TimeZone: 'UTC',
  extra_float_digits: '3',
  bytea_output: 'hex',
  lc_monetary: 'C',
  search_path: 'pg_catalog',
};

export interface TableContent {
  /** pg_class.oid in the database measured (maps a table to its entry in the dump's table of contents). */
  oid: number;
  schema: string;
  name: string;
  /** `schema.name` of the partitioned table it is a partition of, or null. */
  partitionOf: string | null;
  rows: number;
  /** 16 hex digits, identical for the same rows in any order. */
  checksum: string;
}

export interface SequenceState {
  schema: string;
  name: string;
  /** pg_sequences.last_value: null when nextval was never called (or the role may not read it). */
  lastValue: string | null;
}

export interface LargeObjectsContent {
  count: number;
  checksum: string;
}

export interface DatabaseContent {
  tables: TableContent[];
  sequences: SequenceState[];
  /** Null when they could not be read (reason in `largeObjectsUnreadable`). */
  largeObjects: LargeObjectsContent | null;
  largeObjectsUnreadable: string | null;
}

export interface ContentProgress {
  done: number;
  total: number;
  table: string;
}

type Row = Record<string, unknown>;

/** Double-quoted identifier: always quoted, so no keyword list is needed. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Sets CONTENT_SETTINGS for the current transaction (SET LOCAL), so the caller must be in one. */
export async function setContentSettings(db: Db): Promise<void> {
  for (const [name, value] of Object.entries(CONTENT_SETTINGS)) await db.query(`SELECT set_config($1, $2, true)`, [name, value]);
}

/** The tables whose data a dump holds: ordinary tables and partitions, outside system schemas, not extension members. */
export async function listDataTables(db: Db): Promise<{ oid: number; schema: string; name: string; partitionOf: string | null }[]> {
  const rows = await db.query<Row>(
    `SELECT c.oid::int8::float8 AS oid, n.nspname AS schema, c.relname AS name,
            (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
              WHERE i.inhrelid = c.oid AND p.relkind = 'p') AS partition_of
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ oid: Number(r.oid), schema: String(r.schema), name: String(r.name), partitionOf: r.partition_of === null ? null : String(r.partition_of) }));
}

/** Row count and checksum of one table (ONLY: an inheritance parent's own rows). */
export async function measureTable(db: Db, schema: string, name: string): Promise<{ rows: number; checksum: string }> {
  const [r] = await db.query<Row>(
    `SELECT count(*)::float8 AS rows,
            coalesce(sum(('x' || substr(md5("pgarchitect row"::text), 1, 16))::bit(64)::bigint::numeric), 0)::text AS total
       FROM ONLY ${ident(schema)}.${ident(name)} AS "pgarchitect row"`,
  );
  return { rows: Number(r?.rows ?? 0), checksum: digest(String(r?.total ?? '0')) };
}

/**
 * Everything `DatabaseContent` holds, read in the current transaction (the caller has opened it and
 * called setContentSettings). Large objects are read under a savepoint: a role that may not read them
 * leaves the transaction usable.
 */
export async function readDatabaseContent(db: Db, onProgress?: (progress: ContentProgress) => void): Promise<DatabaseContent> {
  const list = await listDataTables(db);
  const tables: TableContent[] = [];
  for (const table of list) {
    const measured = await measureTable(db, table.schema, table.name);
    tables.push({ ...table, ...measured });
    onProgress?.({ done: tables.length, total: list.length, table: `${table.schema}.${table.name}` });
  }
  const sequences = await readSequences(db);
  const { largeObjects, reason } = await readLargeObjects(db);
  return { tables, sequences, largeObjects, largeObjectsUnreadable: reason };
}

async function readSequences(db: Db): Promise<SequenceState[]> {
  const rows = await db.query<Row>(
    `SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value::text AS last_value
       FROM pg_sequences s
       JOIN pg_namespace n ON n.nspname = s.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
      WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ schema: String(r.schema), name: String(r.name), lastValue: r.last_value === null ? null : String(r.last_value) }));
}

async function readLargeObjects(db: Db): Promise<{ largeObjects: LargeObjectsContent | null; reason: string | null }> {
  await db.query('SAVEPOINT pgarchitect_large_objects');
  try {
    const [r] = await db.query<Row>(
      `SELECT count(*)::float8 AS n,
              coalesce(sum(('x' || substr(md5(l.oid::text || ':' || md5(lo_get(l.oid))), 1, 16))::bit(64)::bigint::numeric), 0)::text AS total
         FROM pg_largeobject_metadata l`,
    );
    await db.query('RELEASE SAVEPOINT pgarchitect_large_objects');
    return { largeObjects: { count: Number(r?.n ?? 0), checksum: digest(String(r?.total ?? '0')) }, reason: null };
  } catch (error) {
    const info = postgresErrorInfo(error);
    if (!info) throw error;
    await db.query('ROLLBACK TO SAVEPOINT pgarchitect_large_objects');
    return { largeObjects: null, reason: `large objects could not be read: ${info.message}` };
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
