/**
 * The schema review-scale measures, built server-side in a few big statements. Table tNNNNN has
 * 10 columns of common types (bigint identity primary key, a NOT NULL foreign key `<parent>_id` to an
 * earlier table, text, varchar, numeric, boolean, jsonb, timestamptz), a second index, and 5 rows;
 * everything is then VACUUM ANALYZEd so pg_stats and pg_stat_user_tables have rows, as on a real server.
 * One table in five indexes (name, created_at) instead of its foreign key, which leaves that key
 * unindexed, so index rules have something to say.
 *
 * Built by SESSIONS connections at once, each creating the tables of its own residue class and
 * referencing only its own earlier tables (so no session waits for another's uncommitted table).
 * Three things keep the set-up linear (measured on PostgreSQL 15, 10,000 tables):
 * - a COMMIT every 100 tables: one transaction would run out of lock table slots;
 * - parents drawn by multiplicative hashing: `1 + i * 7919 % (i - 1)` sends every table after the
 *   7,920th to the same parent, and each new foreign key then rebuilds that parent's ever longer list
 *   of RI triggers (DDL for 10,000 tables in one session: 36 s instead of 22 s);
 * - rows are inserted only after all DDL: every insert caches an RI check plan in its session, and
 *   PostgreSQL walks all cached plans on every relation invalidation that DDL sends (interleaved in one
 *   session: 165 s).
 * Two sessions then halve the DDL (11 s).
 */
import { performance } from 'node:perf_hooks';
import type { BenchServer } from './bench-server.js';

/** Connections building one database at once (the benchmark machine has 2 cores). */
const SESSIONS = 2;

/** 't00042'. */
function tableName(expression: string): string {
  return `'t' || lpad((${expression})::text, 5, '0')`;
}

/** Creates tables i = SESSIONS·k + session + 1 (k = 0, 1, ...) up to `tables`, without rows. */
export function createTablesSql(tables: number, session: number): string {
  const lastK = Math.floor((tables - session - 1) / SESSIONS);
  return `
DO $do$
DECLARE
  i int;
  t text;
  parent text;
  fk text;
BEGIN
  FOR k IN 0..${lastK} LOOP
    i := ${SESSIONS} * k + ${session + 1};
    t := ${tableName('i')};
    -- An earlier table of this session, spread by multiplicative hashing; the first refers to itself.
    parent := ${tableName(`CASE WHEN k = 0 THEN i ELSE i - ${SESSIONS} * (1 + (k::bigint * 2654435761 % 4294967296) % k) END`)};
    fk := parent || '_id';
    EXECUTE format($sql$
      CREATE TABLE %1$I (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        %2$I bigint NOT NULL REFERENCES %3$I (id),
        name text NOT NULL,
        code varchar(32),
        status varchar(16) NOT NULL DEFAULT 'new',
        amount numeric(12, 2),
        is_active boolean NOT NULL DEFAULT true,
        attributes jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz
      )$sql$, t, fk, parent);
    IF i % 5 = 0 THEN
      EXECUTE format('CREATE INDEX %I ON %I (name, created_at)', t || '_name_created_at_idx', t);
    ELSE
      EXECUTE format('CREATE INDEX %I ON %I (%I)', t || '_' || fk || '_idx', t, fk);
    END IF;
    IF k % 100 = 99 THEN
      COMMIT;
    END IF;
  END LOOP;
END
$do$`;
}

/** Puts 5 rows in each table of the session, parents first (they come earlier in name order). */
export function fillTablesSql(session: number): string {
  return `
DO $do$
DECLARE
  r record;
  n int := 0;
BEGIN
  FOR r IN
    SELECT c.relname AS t, a.attname AS fk
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 2
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
      AND (substr(c.relname, 2)::int - 1) % ${SESSIONS} = ${session}
    ORDER BY c.relname
  LOOP
    EXECUTE format($sql$
      INSERT INTO %1$I (%2$I, name, code, status, amount, is_active, attributes, updated_at)
      SELECT 1 + g %% 3, 'name ' || g, 'C-' || g, (ARRAY['new', 'paid', 'shipped'])[1 + g %% 3], g * 10.25,
             g %% 2 = 0, jsonb_build_object('k', g, 'tags', jsonb_build_array('a', 'b')),
             CASE WHEN g %% 2 = 0 THEN now() END
      FROM generate_series(1, 5) AS g$sql$, r.t, r.fk);
    n := n + 1;
    IF n % 100 = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
END
$do$`;
}

/** The session's tables, for one VACUUM statement (each table is vacuumed in its own transaction). */
function tablesOfSessionSql(session: number): string {
  return `
SELECT string_agg(quote_ident(relname), ', ' ORDER BY relname) AS list FROM pg_class
WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND (substr(relname, 2)::int - 1) % ${SESSIONS} = ${session}`;
}

export interface DatabaseFacts {
  tables: number;
  columns: number;
  indexes: number;
  foreignKeys: number;
  sequences: number;
  statsRows: number;
  /** Wall clock of CREATE TABLE ..., of the inserts, of VACUUM ANALYZE. */
  createMs: number;
  fillMs: number;
  vacuumMs: number;
}

const sessions = Array.from({ length: SESSIONS }, (_, i) => i);

/** Creates database `name` with `tables` tables and returns what it holds, counted from the catalog. */
export async function createBenchDatabase(server: BenchServer, name: string, tables: number): Promise<DatabaseFacts> {
  await server.createDatabase(name);
  const start = performance.now();
  await Promise.all(sessions.map((s) => server.query(name, createTablesSql(tables, s))));
  const created = performance.now();
  await Promise.all(sessions.map((s) => server.query(name, fillTablesSql(s))));
  const filled = performance.now();
  await Promise.all(
    sessions.map(async (s) => {
      const [row] = await server.query<{ list: string | null }>(name, tablesOfSessionSql(s));
      if (row?.list) await server.query(name, `VACUUM (ANALYZE) ${row.list}`);
    }),
  );
  // The catalogs too, as autovacuum would have done on a real server after so much DDL.
  const [catalogs] = await server.query<{ list: string }>(
    name,
    `SELECT string_agg(oid::regclass::text, ', ') AS list FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r'`,
  );
  await server.query(name, `VACUUM (ANALYZE) ${catalogs?.list ?? 'pg_catalog.pg_class'}`);
  const vacuumed = performance.now();
  const [facts] = await server.query<Record<string, string>>(
    name,
    `SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r') AS tables,
            (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
              WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'i') AS indexes,
            (SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype = 'f') AS foreign_keys,
            (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'S') AS sequences,
            (SELECT count(*) FROM pg_stats WHERE schemaname = 'public') AS stats_rows`,
  );
  return {
    tables: Number(facts?.tables),
    columns: Number(facts?.columns),
    indexes: Number(facts?.indexes),
    foreignKeys: Number(facts?.foreign_keys),
    sequences: Number(facts?.sequences),
    statsRows: Number(facts?.stats_rows),
    createMs: created - start,
    fillMs: filled - created,
    vacuumMs: vacuumed - filled,
  };
}
