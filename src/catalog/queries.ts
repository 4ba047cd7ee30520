/**
 * The catalog queries behind the snapshot. Each reads one kind of object for the whole database in one
 * set-based statement, so the number of queries stays fixed whatever the number of tables.
 *
 * Safe on production: no query keeps a lock on user relations. Sizes come from pg_class.relpages (as of
 * the last VACUUM, ANALYZE or CREATE INDEX), because pg_relation_size opens the relation. The
 * deparsing functions (pg_get_indexdef, pg_get_expr with a relation, pg_get_constraintdef of a CHECK,
 * pg_get_partkeydef, pg_get_triggerdef, pg_get_viewdef) and pg_sequence_last_value take an ACCESS
 * SHARE lock on the relation, so they wait behind an ACCESS EXCLUSIVE lock that another session holds
 * or waits for (an ALTER TABLE, a migration). `lockedRelationsQuery` runs first and names those
 * relations; every query leaves them out (`skip`), and the snapshot says they were not examined. The
 * locks these functions take are released at once, except pg_get_viewdef's, which last until the
 * transaction ends: the views query runs last.
 *
 * Conventions that keep both drivers (pg and PGlite) returning the same JavaScript values: counts and
 * sizes are cast to float8 (a number, not a bigint string), arrays to text[], and times to text in ISO
 * 8601 form via `iso()`.
 */

/** An `oid[]` SQL literal of relations the queries must not open. */
export function oidArray(oids: readonly string[]): string {
  return `'{${oids.filter((oid) => /^\d+$/.test(oid)).join(',')}}'::oid[]`;
}

const NONE = oidArray([]);

/**
 * Relations another session holds or waits for an ACCESS EXCLUSIVE lock on, in this database: opening
 * them would wait (a waiting request queues behind a waiting one too). A locked index stands for its
 * table; the partitions of a locked table and the views that read it are left out with it, since
 * reading them opens it. One row per relation left out, with the lock that caused it.
 */
export const lockedRelationsQuery = `
WITH RECURSIVE lock_holders AS (
  SELECT coalesce(i.indrelid, l.relation) AS oid, l.pid, l.granted,
         a.application_name, extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::float8 AS seconds
  FROM pg_catalog.pg_locks l
  LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = l.relation
  LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_catalog.pg_backend_pid()
    AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database())
),
locked AS (
  SELECT DISTINCT ON (oid) oid, oid AS cause, 'locked' AS link, pid, granted, application_name, seconds
  FROM lock_holders ORDER BY oid, granted DESC, pid
),
with_partitions AS (
  SELECT * FROM locked
  UNION
  SELECT h.inhrelid, w.cause, 'partition', w.pid, w.granted, w.application_name, w.seconds
  FROM with_partitions w JOIN pg_catalog.pg_inherits h ON h.inhparent = w.oid
),
skipped AS (
  SELECT * FROM with_partitions
  UNION
  SELECT DISTINCT ON (r.ev_class) r.ev_class, w.cause, 'view', w.pid, w.granted, w.application_name, w.seconds
  FROM pg_catalog.pg_rewrite r
  JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
  JOIN with_partitions w ON d.refclassid = 'pg_class'::regclass AND d.refobjid = w.oid
  WHERE r.ev_class <> w.oid
)
SELECT DISTINCT ON (s.oid) s.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
       cn.nspname AS cause_schema, cc.relname AS cause_name, s.link,
       s.pid, s.granted, s.application_name, s.seconds
FROM skipped s
JOIN pg_catalog.pg_class c ON c.oid = s.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class cc ON cc.oid = s.cause
JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
ORDER BY s.oid, s.link = 'locked' DESC, s.link = 'partition' DESC`;

/** Schemas pgarchitect never reviews. */
function userSchema(alias = 'n'): string {
  return `${alias}.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND ${alias}.nspname NOT LIKE 'pg\\_temp\\_%' AND ${alias}.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;
}

/** Objects that belong to an extension are the extension's business, not the schema's design. */
function notFromExtension(classId: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '${classId}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
}

function iso(expression: string): string {
  return `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export const serverQuery = `
SELECT current_setting('server_version_num')::int AS version_num,
       version() AS version,
       current_database() AS database,
       current_user AS "user",
       ${iso('(SELECT stats_reset FROM pg_catalog.pg_stat_database WHERE datname = current_database())')} AS stats_reset,
       ${iso('pg_catalog.pg_postmaster_start_time()')} AS started_at,
       (SELECT age(datfrozenxid)::float8 FROM pg_catalog.pg_database WHERE datname = current_database()) AS xid_age,
       (SELECT sum(relpages)::float8 * current_setting('block_size')::float8 FROM pg_catalog.pg_class) AS database_size,
       ${iso('now()')} AS now,
       has_table_privilege('pg_catalog.pg_statistic', 'SELECT') AS can_read_all_statistics`;

export const schemasQuery = `
SELECT n.nspname AS name, pg_catalog.pg_get_userbyid(n.nspowner) AS owner,
       pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment
FROM pg_catalog.pg_namespace n
WHERE ${userSchema()} AND ${notFromExtension('pg_namespace', 'n.oid')}
ORDER BY 1`;

export function tablesQuery(versionNum: number, skip = NONE): string {
  const insertsSinceVacuum = versionNum >= 130000 ? 's.n_ins_since_vacuum::float8' : 'NULL::float8';
  return `
SELECT n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner, c.relpersistence AS persistence,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
       coalesce(c.reloptions, '{}')::text[] AS reloptions,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_key,
       CASE WHEN c.relkind = 'p' THEN (
         SELECT coalesce(array_agg(a.attname::text ORDER BY k.ord), '{}')
         FROM pg_catalog.pg_partitioned_table pt
              CROSS JOIN LATERAL unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum
         WHERE pt.partrelid = c.oid) END AS partition_key_columns,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END AS partition_bound,
       CASE WHEN c.relkind = 'r' THEN c.relpages::float8 * current_setting('block_size')::float8 END AS table_bytes,
       CASE WHEN c.relkind = 'r' THEN coalesce(tc.relpages, 0)::float8 * current_setting('block_size')::float8 END AS toast_bytes,
       c.reltuples::float8 AS row_estimate,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       s.relid IS NOT NULL AS has_stats,
       s.seq_scan::float8 AS seq_scan, s.seq_tup_read::float8 AS seq_tup_read, s.idx_scan::float8 AS idx_scan,
       s.n_live_tup::float8 AS live_tuples, s.n_dead_tup::float8 AS dead_tuples,
       s.n_mod_since_analyze::float8 AS mods_since_analyze, ${insertsSinceVacuum} AS inserts_since_vacuum,
       ${iso('s.last_vacuum')} AS last_vacuum, ${iso('s.last_autovacuum')} AS last_autovacuum,
       ${iso('s.last_analyze')} AS last_analyze, ${iso('s.last_autoanalyze')} AS last_autoanalyze,
       s.vacuum_count::float8 AS vacuum_count, s.autovacuum_count::float8 AS autovacuum_count,
       s.analyze_count::float8 AS analyze_count, s.autoanalyze_count::float8 AS autoanalyze_count
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = c.reltoastrelid
WHERE c.relkind IN ('r', 'p', 'f') AND c.oid <> ALL(${skip}) AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
ORDER BY 1, 2`;
}

export function columnsQuery(versionNum: number, skip = NONE): string {
  // attgenerated 'v' (virtual) exists from PostgreSQL 18; 's' (stored) from 12.
  return `
SELECT n.nspname AS schema, c.relname AS "table", a.attname AS name, a.attnum AS position,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       CASE WHEN t.typcategory = 'A' THEN et.typname ELSE t.typname END AS type_name,
       CASE WHEN t.typcategory = 'A' THEN etn.nspname ELSE tn.nspname END AS type_schema,
       CASE WHEN t.typcategory = 'A' THEN et.typtype ELSE t.typtype END AS type_kind,
       CASE WHEN coalesce(et.typtype, t.typtype) = 'd' THEN pg_catalog.format_type(coalesce(et.typbasetype, t.typbasetype), NULL) END AS domain_base_type,
       t.typcategory = 'A' AS is_array,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS "default",
       a.attidentity AS identity,
       ${versionNum >= 120000 ? 'a.attgenerated' : "''"} AS generated,
       CASE WHEN a.attgenerated <> '' THEN pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END AS generation_expression,
       os.sequence AS owned_sequence,
       CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0 THEN co.collname END AS collation,
       ds.description AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN (
  SELECT DISTINCT ON (d.refobjid, d.refobjsubid) d.refobjid, d.refobjsubid, sn.nspname || '.' || sc.relname AS sequence
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class sc ON sc.oid = d.objid AND sc.relkind = 'S'
  JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
  ORDER BY d.refobjid, d.refobjsubid, sc.relname
) os ON os.refobjid = c.oid AND os.refobjsubid = a.attnum
LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND c.oid <> ALL(${skip})
  AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
ORDER BY 1, 2, 4`;
}

/**
 * Per-column statistics. pg_statistic itself when the role may read it (superusers,
 * pg_read_all_stats is not enough): the pg_stats view checks column privileges row by row, which
 * costs more than the rest of the query on 100,000 columns.
 */
export function columnStatsQuery(canReadStatistic: boolean): string {
  if (!canReadStatistic) return columnStatsViewQuery;
  const slot = (kind: number, column: (i: number) => string) =>
    `CASE ${[1, 2, 3, 4, 5].map((i) => `WHEN s.stakind${i} = ${kind} THEN ${column(i)}`).join(' ')} END`;
  return `
SELECT n.nspname AS schema, c.relname AS "table", a.attname AS name,
       s.stanullfrac::float8 AS null_fraction, s.stadistinct::float8 AS distinct,
       s.stawidth AS average_width,
       ${slot(3, (i) => `s.stanumbers${i}[1]::float8`)} AS correlation,
       ${slot(1, (i) => `(s.stavalues${i}::text::text[])[1:10]`)} AS most_common_values,
       ${slot(1, (i) => `(s.stanumbers${i}::float8[])[1:10]`)} AS most_common_frequencies
FROM pg_catalog.pg_statistic s
JOIN pg_catalog.pg_class c ON c.oid = s.starelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = s.starelid AND a.attnum = s.staattnum AND NOT a.attisdropped
WHERE NOT s.stainherit AND ${userSchema()}
ORDER BY 1, 2, 3`;
}

/** pg_stats only shows columns the current user may read: a hidden column simply has no row. */
const columnStatsViewQuery = `
SELECT s.schemaname AS schema, s.tablename AS "table", s.attname AS name,
       s.null_frac::float8 AS null_fraction, s.n_distinct::float8 AS distinct,
       s.avg_width AS average_width, s.correlation::float8 AS correlation,
       (s.most_common_vals::text::text[])[1:10] AS most_common_values,
       (s.most_common_freqs::float8[])[1:10] AS most_common_frequencies
FROM pg_catalog.pg_stats s
WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND NOT s.inherited
ORDER BY 1, 2, 3`;

export function constraintsQuery(versionNum: number, skip = NONE): string {
  // PostgreSQL 18 records NOT NULL as constraints (contype 'n'); columns carry that already.
  return `
SELECT n.nspname AS schema, c.relname AS "table", k.conname AS name, k.contype AS type,
       coalesce(k.conkey, '{}')::text[] AS column_numbers,
       pg_catalog.pg_get_constraintdef(k.oid, true) AS definition,
       k.convalidated AS validated, k.condeferrable AS deferrable,
       ic.relname AS index_name,
       k.conparentid <> 0 AS inherited, k.conislocal AS local,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       coalesce(k.confkey, '{}')::text[] AS ref_column_numbers,
       -- Names only for a referenced table outside the snapshot (a system or extension table, or one
       -- left out because it is locked); the others are mapped from the snapshot's columns, which is
       -- much cheaper.
       CASE WHEN k.contype = 'f' AND (fn.nspname IN ('pg_catalog', 'information_schema') OR fc.oid = ANY(${skip})
                 OR NOT ${notFromExtension('pg_class', 'fc.oid')}) THEN
         (SELECT array_agg(a.attname::text ORDER BY x.ord) FROM unnest(k.confkey) WITH ORDINALITY AS x(attnum, ord)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum) END AS ref_column_names,
       k.confupdtype AS on_update, k.confdeltype AS on_delete, k.confmatchtype AS match_type,
       pg_catalog.obj_description(k.oid, 'pg_constraint') AS comment
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class ic ON ic.oid = k.conindid AND k.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = k.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND c.oid <> ALL(${skip})
  AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
ORDER BY 1, 2, 3`;
}

export function indexesQuery(versionNum: number, skip = NONE): string {
  const lastScan = versionNum >= 160000 ? iso('s.last_idx_scan') : 'NULL::text';
  return `
SELECT n.nspname AS schema, t.relname AS "table", c.relname AS name,
       pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
       am.amname AS method, i.indisunique AS "unique", i.indisprimary AS "primary",
       i.indnkeyatts AS key_count,
       i.indkey::int2[]::text[] AS column_numbers,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) AS k ORDER BY k) END AS key_texts,
       i.indoption::int2[]::text[] AS options,
       i.indclass::oid[]::text[] AS opclasses,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       i.indisvalid AS valid, i.indisready AS ready,
       k.conname AS constraint_name,
       c.relkind = 'I' AS partitioned,
       pc.relname AS parent_index,
       c.relpages::float8 * current_setting('block_size')::float8 AS bytes,
       s.indexrelid IS NOT NULL AS has_stats,
       s.idx_scan::float8 AS scans, s.idx_tup_read::float8 AS tuples_read, s.idx_tup_fetch::float8 AS tuples_fetched,
       ${lastScan} AS last_scan,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = c.relam
LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x')
LEFT JOIN pg_catalog.pg_inherits ih ON ih.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent
LEFT JOIN pg_catalog.pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
WHERE t.relkind IN ('r', 'p', 'm') AND t.oid <> ALL(${skip}) AND ${userSchema()} AND ${notFromExtension('pg_class', 't.oid')}
ORDER BY 1, 2, 3`;
}

/** Operator classes that are not their type's default: an index using one says so. */
export const opclassesQuery = `
SELECT oid::text AS oid, opcname AS name FROM pg_catalog.pg_opclass WHERE NOT opcdefault`;

/**
 * Sequences from pg_sequence (no locks). The last value needs the sequence opened and locked, so it
 * is read only for sequences that can run out in practice: smallint or integer sequences, and
 * sequences feeding a smallint or integer column.
 */
export function sequencesQuery(skip = NONE): string {
  return `
SELECT n.nspname AS schema, c.relname AS name, pg_catalog.format_type(q.seqtypid, NULL) AS data_type,
       q.seqstart::float8 AS start_value, q.seqmin::float8 AS min_value, q.seqmax::float8 AS max_value,
       q.seqincrement::float8 AS increment, q.seqcycle AS cycle, q.seqcache::float8 AS cache,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       (q.seqtypid IN ('int2'::regtype, 'int4'::regtype) OR da.atttypid IN ('int2'::regtype, 'int4'::regtype)) AS narrow,
       pg_catalog.has_sequence_privilege(c.oid, 'SELECT,USAGE') AS visible,
       CASE WHEN (q.seqtypid IN ('int2'::regtype, 'int4'::regtype) OR da.atttypid IN ('int2'::regtype, 'int4'::regtype))
                 AND pg_catalog.has_sequence_privilege(c.oid, 'SELECT,USAGE')
            THEN pg_catalog.pg_sequence_last_value(c.oid)::float8 END AS last_value,
       dn.nspname AS owner_schema, dc.relname AS owner_table, da.attname AS owner_column
FROM pg_catalog.pg_sequence q
JOIN pg_catalog.pg_class c ON c.oid = q.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
LEFT JOIN pg_catalog.pg_class dc ON dc.oid = d.refobjid
LEFT JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace
LEFT JOIN pg_catalog.pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
WHERE c.oid <> ALL(${skip}) AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
ORDER BY 1, 2`;
}

/**
 * Views and materialized views, each with what its query uses: the normal dependencies of its
 * rewrite rule (tables and views with the columns read, functions, types) in user schemas, as JSON text
 * (the same string from both drivers).
 */
export function viewsQuery(skip = NONE): string {
  return `
SELECT n.nspname AS schema, c.relname AS name, c.relkind = 'm' AS materialized,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       pg_catalog.pg_get_viewdef(c.oid, true) AS definition,
       CASE WHEN c.relkind = 'm' THEN c.relispopulated END AS populated,
       CASE WHEN c.relkind = 'm' THEN c.relpages::float8 * current_setting('block_size')::float8 END AS bytes,
       coalesce(c.reloptions, '{}')::text[] AS options,
       pg_catalog.obj_description(c.oid, 'pg_class') AS comment,
       (SELECT coalesce(json_agg(json_build_object('kind', x.kind, 'schema', x.schema, 'name', x.name, 'column', x.col, 'arguments', x.arguments)
                                 ORDER BY x.kind, x.schema, x.name, x.col, x.arguments), '[]')::text
        FROM (SELECT DISTINCT
                     CASE WHEN d.refclassid = 'pg_class'::regclass THEN 'relation'
                          WHEN d.refclassid = 'pg_proc'::regclass THEN 'function' ELSE 'type' END AS kind,
                     rn.nspname::text AS schema,
                     coalesce(rc.relname, rp.proname, rt.typname)::text AS name,
                     ra.attname::text AS col,
                     CASE WHEN rp.oid IS NOT NULL THEN pg_catalog.oidvectortypes(rp.proargtypes) END AS arguments
              FROM pg_catalog.pg_rewrite r
              JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid AND d.deptype = 'n'
              LEFT JOIN pg_catalog.pg_class rc ON d.refclassid = 'pg_class'::regclass AND rc.oid = d.refobjid
              LEFT JOIN pg_catalog.pg_attribute ra ON rc.oid IS NOT NULL AND d.refobjsubid > 0 AND ra.attrelid = rc.oid AND ra.attnum = d.refobjsubid
              LEFT JOIN pg_catalog.pg_proc rp ON d.refclassid = 'pg_proc'::regclass AND rp.oid = d.refobjid
              LEFT JOIN pg_catalog.pg_type rt ON d.refclassid = 'pg_type'::regclass AND rt.oid = d.refobjid
              JOIN pg_catalog.pg_namespace rn ON rn.oid = coalesce(rc.relnamespace, rp.pronamespace, rt.typnamespace)
              WHERE r.ev_class = c.oid AND d.refobjid <> c.oid AND ${userSchema('rn')}) x) AS depends_on
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND c.oid <> ALL(${skip}) AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
ORDER BY 1, 2`;
}

export const functionsQuery = `
SELECT n.nspname AS schema, p.proname AS name, pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       p.prokind AS kind, l.lanname AS language, p.provolatile AS volatility, p.prosecdef AS security_definer,
       p.proleakproof AS leakproof, coalesce(p.proconfig, '{}')::text[] AS config,
       pg_catalog.pg_get_userbyid(p.proowner) AS owner,
       pg_catalog.pg_get_function_result(p.oid) AS returns,
       pg_catalog.oidvectortypes(p.proargtypes) AS argument_types,
       -- pg_get_functiondef refuses aggregates.
       CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       pg_catalog.obj_description(p.oid, 'pg_proc') AS comment
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE ${userSchema()} AND ${notFromExtension('pg_proc', 'p.oid')}
ORDER BY 1, 2, 3`;

export function triggersQuery(skip = NONE): string {
  return `
SELECT n.nspname AS schema, c.relname AS "table", t.tgname AS name,
       pg_catalog.pg_get_triggerdef(t.oid, true) AS definition,
       fn.nspname AS function_schema, p.proname AS function_name,
       t.tgenabled <> 'D' AS enabled, t.tgisinternal OR t.tgconstraint <> 0 AS internal,
       t.tgparentid <> 0 AS inherited,
       pg_catalog.obj_description(t.oid, 'pg_trigger') AS comment
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
WHERE NOT t.tgisinternal AND c.oid <> ALL(${skip}) AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
ORDER BY 1, 2, 3`;
}

export function policiesQuery(skip = NONE): string {
  return `
SELECT schemaname AS schema, tablename AS "table", policyname AS name, cmd AS command,
       permissive = 'PERMISSIVE' AS permissive, roles::text[] AS roles, qual AS using, with_check
FROM pg_catalog.pg_policies p
-- Filtered on names, which the view's qualifications see before its pg_get_expr columns are computed.
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.oid = ANY(${skip}) AND n.nspname = p.schemaname AND c.relname = p.tablename)
ORDER BY 1, 2, 3`;
}

export const extensionsQuery = `
SELECT a.name, e.extversion AS installed_version, a.default_version, n.nspname AS schema
FROM pg_catalog.pg_available_extensions a
LEFT JOIN pg_catalog.pg_extension e ON e.extname = a.name
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
UNION ALL
SELECT e.extname, e.extversion, NULL, n.nspname
FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions a WHERE a.name = e.extname)
ORDER BY 1`;

/**
 * Enums (labels in order), domains (base type, default, NOT NULL, CHECK constraints) and composite
 * types made with CREATE TYPE ... AS (a table's row type is not one), in user schemas.
 */
export const typesQuery = `
SELECT n.nspname AS schema, t.typname AS name, t.typtype AS kind,
       CASE WHEN t.typtype = 'e' THEN
         ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) END AS labels,
       CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END AS base_type,
       t.typnotnull AS not_null,
       pg_catalog.pg_get_expr(t.typdefaultbin, 0) AS "default",
       CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN co.collname END AS collation,
       ARRAY(SELECT k.conname::text FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) AS constraint_names,
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(k.oid, true) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) AS constraint_definitions,
       ARRAY(SELECT k.convalidated::text FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname) AS constraint_validated,
       ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attribute_names,
       ARRAY(SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attribute_types,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND tc.relkind = 'c'))
  AND ${userSchema()} AND ${notFromExtension('pg_type', 't.oid')}
ORDER BY 1, 2`;

export const rolesQuery = `
SELECT r.rolname AS name, r.rolsuper AS superuser, r.rolcanlogin AS can_login, r.rolcreaterole AS create_role,
       r.rolcreatedb AS create_db, r.rolreplication AS replication, r.rolbypassrls AS bypass_rls,
       r.rolconnlimit AS connection_limit,
       ARRAY(SELECT g.rolname::text FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
             WHERE m.member = r.oid ORDER BY 1) AS member_of
FROM pg_catalog.pg_roles r
WHERE r.rolname NOT LIKE 'pg\\_%'
ORDER BY 1`;

/**
 * Every explicit grant on the database, schemas, tables, views, sequences and functions, with PUBLIC
 * spelled out. Objects with a NULL ACL use their owner's built-in defaults, which are not listed, except
 * the ones PostgreSQL gives to PUBLIC by default (database CONNECT/TEMP, function EXECUTE), which are.
 */
export const privilegesQuery = `
WITH objects AS (
  SELECT 'database' AS object_type, NULL::name AS schema, d.datname::text AS name,
         coalesce(d.datacl, acldefault('d', d.datdba)) AS acl
  FROM pg_catalog.pg_database d WHERE d.datname = current_database()
  UNION ALL
  SELECT 'schema', NULL, n.nspname::text, coalesce(n.nspacl, acldefault('n', n.nspowner))
  FROM pg_catalog.pg_namespace n WHERE ${userSchema()} AND ${notFromExtension('pg_namespace', 'n.oid')}
  UNION ALL
  SELECT CASE WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END, n.nspname, c.relname::text, c.relacl
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relacl IS NOT NULL
    AND ${userSchema()} AND ${notFromExtension('pg_class', 'c.oid')}
  UNION ALL
  SELECT 'function', n.nspname, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
         coalesce(p.proacl, acldefault('f', p.proowner))
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE ${userSchema()} AND ${notFromExtension('pg_proc', 'p.oid')}
)
SELECT o.object_type, o.schema, o.name,
       CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END AS grantee,
       pg_catalog.pg_get_userbyid(a.grantor) AS grantor, a.privilege_type AS privilege, a.is_grantable AS grantable
FROM objects o, LATERAL aclexplode(o.acl) a
ORDER BY 1, 2, 3, 4, 6`;

export const settingsQuery = `
SELECT name, setting AS value, unit, source FROM pg_catalog.pg_settings ORDER BY name`;
