/**
 * TPC-H-like data for the index-advisor benchmark, generated in SQL on the benchmark's server: the eight
 * TPC-H tables with the specification's cardinalities (scale factor 0.1: lineitem about 600,000 rows,
 * orders 150,000, customer 15,000, part 20,000, partsupp 80,000, supplier 1,000), value domains close
 * to dbgen's (dates, flags, brands, types, containers, segments, the supplier-per-part formula), primary
 * keys only. Not dbgen: the text columns are filler of the right length, and the keys are dense.
 *
 * Deterministic: every table is filled by one statement after `setseed`, in one session with no
 * parallel workers, so the same rows come out each run. Statistics are deterministic too: one unused
 * column of each large table gets a statistics target high enough that ANALYZE reads every row
 * instead of a random sample (the other columns keep the default target, so plans see ordinary
 * statistics), and VACUUM FREEZE marks every page all-visible, as on a settled production table (the
 * planner's index-only scan costs depend on it).
 */
import { performance } from 'node:perf_hooks';
import type { BenchServer } from './bench-server.js';

export interface TpchFacts {
  scale: number;
  /** Rows per table. */
  rows: Record<string, number>;
  /** Heap (with TOAST, free space and visibility maps) of the eight tables: what budgets are a share of. */
  dataBytes: number;
  /** Their primary key indexes. */
  primaryKeyBytes: number;
  generateMs: number;
  vacuumAnalyzeMs: number;
}

export const TPCH_TABLES = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'] as const;

const SCHEMA = `
CREATE TABLE region (r_regionkey int PRIMARY KEY, r_name text NOT NULL, r_comment text NOT NULL);
CREATE TABLE nation (n_nationkey int PRIMARY KEY, n_name text NOT NULL, n_regionkey int NOT NULL, n_comment text NOT NULL);
CREATE TABLE supplier (
  s_suppkey int PRIMARY KEY, s_name text NOT NULL, s_address text NOT NULL, s_nationkey int NOT NULL,
  s_phone text NOT NULL, s_acctbal numeric(15,2) NOT NULL, s_comment text NOT NULL);
CREATE TABLE customer (
  c_custkey int PRIMARY KEY, c_name text NOT NULL, c_address text NOT NULL, c_nationkey int NOT NULL,
  c_phone text NOT NULL, c_acctbal numeric(15,2) NOT NULL, c_mktsegment text NOT NULL, c_comment text NOT NULL);
CREATE TABLE part (
  p_partkey int PRIMARY KEY, p_name text NOT NULL, p_mfgr text NOT NULL, p_brand text NOT NULL, p_type text NOT NULL,
  p_size int NOT NULL, p_container text NOT NULL, p_retailprice numeric(15,2) NOT NULL, p_comment text NOT NULL);
CREATE TABLE partsupp (
  ps_partkey int NOT NULL, ps_suppkey int NOT NULL, ps_availqty int NOT NULL, ps_supplycost numeric(15,2) NOT NULL,
  ps_comment text NOT NULL, PRIMARY KEY (ps_partkey, ps_suppkey));
CREATE TABLE orders (
  o_orderkey int PRIMARY KEY, o_custkey int NOT NULL, o_orderstatus char(1) NOT NULL, o_totalprice numeric(15,2) NOT NULL,
  o_orderdate date NOT NULL, o_orderpriority text NOT NULL, o_clerk text NOT NULL, o_shippriority int NOT NULL,
  o_comment text NOT NULL);
CREATE TABLE lineitem (
  l_orderkey int NOT NULL, l_partkey int NOT NULL, l_suppkey int NOT NULL, l_linenumber int NOT NULL,
  l_quantity numeric(15,2) NOT NULL, l_extendedprice numeric(15,2) NOT NULL, l_discount numeric(15,2) NOT NULL,
  l_tax numeric(15,2) NOT NULL, l_returnflag char(1) NOT NULL, l_linestatus char(1) NOT NULL, l_shipdate date NOT NULL,
  l_commitdate date NOT NULL, l_receiptdate date NOT NULL, l_shipinstruct text NOT NULL, l_shipmode text NOT NULL,
  l_comment text NOT NULL, PRIMARY KEY (l_orderkey, l_linenumber));
-- Filler text of a given length range, like dbgen's comments.
CREATE FUNCTION pick(items text[]) RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT items[1 + floor(random() * array_length(items, 1))::int] $$;
CREATE FUNCTION filler(low int, high int) RETURNS text LANGUAGE sql VOLATILE AS
  $$ SELECT left(repeat(md5(random()::text), 5), low + floor(random() * (high - low + 1))::int) $$;
`;

const NATIONS = [
  ['ALGERIA', 0], ['ARGENTINA', 1], ['BRAZIL', 1], ['CANADA', 1], ['EGYPT', 4], ['ETHIOPIA', 0], ['FRANCE', 3], ['GERMANY', 3],
  ['INDIA', 2], ['INDONESIA', 2], ['IRAN', 4], ['IRAQ', 4], ['JAPAN', 2], ['JORDAN', 4], ['KENYA', 0], ['MOROCCO', 0],
  ['MOZAMBIQUE', 0], ['PERU', 1], ['CHINA', 2], ['ROMANIA', 3], ['SAUDI ARABIA', 4], ['VIETNAM', 2], ['RUSSIA', 3],
  ['UNITED KINGDOM', 3], ['UNITED STATES', 1],
] as const;

const COLOURS = [
  'almond', 'antique', 'aquamarine', 'azure', 'beige', 'bisque', 'black', 'blanched', 'blue', 'blush', 'brown', 'burlywood',
  'burnished', 'chartreuse', 'chiffon', 'chocolate', 'coral', 'cornflower', 'cornsilk', 'cream', 'cyan', 'dark', 'deep', 'dim',
  'dodger', 'drab', 'firebrick', 'floral', 'forest', 'frosted', 'gainsboro', 'ghost', 'goldenrod', 'green', 'grey', 'honeydew',
  'hot', 'indian', 'ivory', 'khaki', 'lace', 'lavender', 'lawn', 'lemon', 'light', 'lime', 'linen', 'magenta', 'maroon',
  'medium', 'metallic', 'midnight', 'mint', 'misty', 'moccasin', 'navajo', 'navy', 'olive', 'orange', 'orchid', 'pale',
  'papaya', 'peach', 'peru', 'pink', 'plum', 'powder', 'puff', 'purple', 'red', 'rose', 'rosy', 'royal', 'saddle', 'salmon',
  'sandy', 'seashell', 'sienna', 'sky', 'slate', 'smoke', 'snow', 'spring', 'steel', 'tan', 'thistle', 'tomato', 'turquoise',
  'violet', 'wheat', 'white', 'yellow',
];

const sqlArray = (items: readonly string[]): string => `ARRAY[${items.map((i) => `'${i}'`).join(',')}]`;

/** The statements that fill each table, in order, for `scale`. */
function fillStatements(scale: number): { table: string; sql: string }[] {
  const suppliers = Math.max(10, Math.round(10_000 * scale));
  const customers = Math.max(30, Math.round(150_000 * scale));
  const parts = Math.max(40, Math.round(200_000 * scale));
  const orders = Math.max(150, Math.round(1_500_000 * scale));
  const clerks = Math.max(1, Math.round(1000 * scale));
  // dbgen's supplier of a part: the i-th (0..3) of the four suppliers of part p.
  const supplierOf = (p: string, i: string): string => `((${p} + ${i} * (${suppliers} / 4 + (${p} - 1) / ${suppliers})) % ${suppliers} + 1)`;
  const cutoff = "date '1995-06-17'";
  return [
    {
      table: 'region',
      sql: `INSERT INTO region SELECT i - 1, r, filler(31, 115) FROM unnest(${sqlArray(['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'])}) WITH ORDINALITY AS t(r, i)`,
    },
    {
      table: 'nation',
      sql: `INSERT INTO nation SELECT i - 1, n, r, filler(31, 114) FROM unnest(${sqlArray(NATIONS.map(([n]) => n))}, ARRAY[${NATIONS.map(([, r]) => r).join(',')}]) WITH ORDINALITY AS t(n, r, i)`,
    },
    {
      table: 'supplier',
      sql: `INSERT INTO supplier
        SELECT s, 'Supplier#' || lpad(s::text, 9, '0'), filler(10, 40), nk, (nk + 10) || '-' || (100 + floor(random() * 900)) || '-' || (100 + floor(random() * 900)) || '-' || (1000 + floor(random() * 9000)),
               round((random() * 10998.99 - 999.99)::numeric, 2), filler(25, 100)
          FROM (SELECT s, floor(random() * 25)::int AS nk FROM generate_series(1, ${suppliers}) s OFFSET 0) g`,
    },
    {
      table: 'customer',
      sql: `INSERT INTO customer
        SELECT c, 'Customer#' || lpad(c::text, 9, '0'), filler(10, 40), nk, (nk + 10) || '-' || (100 + floor(random() * 900)) || '-' || (100 + floor(random() * 900)) || '-' || (1000 + floor(random() * 9000)),
               round((random() * 10998.99 - 999.99)::numeric, 2), pick(${sqlArray(['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'MACHINERY', 'HOUSEHOLD'])}), filler(29, 116)
          FROM (SELECT c, floor(random() * 25)::int AS nk FROM generate_series(1, ${customers}) c OFFSET 0) g`,
    },
    {
      table: 'part',
      sql: `INSERT INTO part
        SELECT p, pick(${sqlArray(COLOURS)}) || ' ' || pick(${sqlArray(COLOURS)}) || ' ' || pick(${sqlArray(COLOURS)}) || ' ' || pick(${sqlArray(COLOURS)}) || ' ' || pick(${sqlArray(COLOURS)}),
               'Manufacturer#' || m, 'Brand#' || m || (1 + floor(random() * 5)),
               pick(${sqlArray(['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'])}) || ' ' || pick(${sqlArray(['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'])}) || ' ' || pick(${sqlArray(['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'])}),
               1 + floor(random() * 50)::int, pick(${sqlArray(['SM', 'LG', 'MED', 'JUMBO', 'WRAP'])}) || ' ' || pick(${sqlArray(['CASE', 'BOX', 'BAG', 'JAR', 'PKG', 'PACK', 'CAN', 'DRUM'])}),
               (90000 + (p / 10) % 20001 + 100 * (p % 1000)) / 100.0, filler(5, 22)
          FROM (SELECT p, 1 + floor(random() * 5)::int AS m FROM generate_series(1, ${parts}) p OFFSET 0) g`,
    },
    {
      table: 'partsupp',
      sql: `INSERT INTO partsupp
        SELECT p, ${supplierOf('p', 'i')}, 1 + floor(random() * 9999)::int, round((1 + random() * 999)::numeric, 2), filler(49, 198)
          FROM generate_series(1, ${parts}) p, generate_series(0, 3) i`,
    },
    {
      // Orders first without their totals and status, which come from their line items.
      table: 'order_base',
      sql: `CREATE TABLE order_base AS
        SELECT o, CASE WHEN c % 3 = 0 THEN c - 1 ELSE c END AS custkey,
               date '1992-01-01' + floor(random() * (date '1998-08-02' - date '1992-01-01' + 1))::int AS orderdate,
               1 + floor(random() * 7)::int AS lines
          FROM (SELECT o, 1 + floor(random() * ${customers})::int AS c FROM generate_series(1, ${orders}) o OFFSET 0) g`,
    },
    {
      table: 'lineitem',
      sql: `INSERT INTO lineitem
        SELECT o, partkey, ${supplierOf('partkey', 'supplier')}, line, quantity,
               round(quantity * (90000 + (partkey / 10) % 20001 + 100 * (partkey % 1000)) / 100.0, 2), discount, tax,
               CASE WHEN receiptdate <= ${cutoff} THEN pick(ARRAY['R', 'A']) ELSE 'N' END,
               CASE WHEN shipdate > ${cutoff} THEN 'O' ELSE 'F' END,
               shipdate, commitdate, receiptdate,
               pick(${sqlArray(['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'])}),
               pick(${sqlArray(['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'])}), filler(10, 43)
          FROM (SELECT o, line, partkey, supplier, quantity, discount, tax, shipdate, commitdate,
                       shipdate + 1 + floor(random() * 30)::int AS receiptdate
                  FROM (SELECT b.o, line, 1 + floor(random() * ${parts})::int AS partkey, floor(random() * 4)::int AS supplier,
                               1 + floor(random() * 50)::int AS quantity, floor(random() * 11) / 100.0 AS discount,
                               floor(random() * 9) / 100.0 AS tax, b.orderdate + 1 + floor(random() * 121)::int AS shipdate,
                               b.orderdate + 30 + floor(random() * 61)::int AS commitdate
                          FROM order_base b, generate_series(1, b.lines) line OFFSET 0) g
                OFFSET 0) h`,
    },
    {
      table: 'orders',
      sql: `INSERT INTO orders
        SELECT b.o, b.custkey,
               CASE WHEN l.open = 0 THEN 'F' WHEN l.open = l.lines THEN 'O' ELSE 'P' END, l.total, b.orderdate,
               pick(${sqlArray(['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'])}),
               'Clerk#' || lpad((1 + floor(random() * ${clerks}))::text, 9, '0'), 0, filler(19, 78)
          FROM order_base b
          JOIN (SELECT l_orderkey, count(*) AS lines, count(*) FILTER (WHERE l_linestatus = 'O') AS open,
                       round(sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)), 2) AS total
                  FROM lineitem GROUP BY l_orderkey) l ON l.l_orderkey = b.o
         ORDER BY b.o`,
    },
  ];
}

/** Creates the tables in `database` (which must be empty), fills them, VACUUM FREEZE ANALYZE. */
export async function createTpchDatabase(server: BenchServer, database: string, scale: number): Promise<TpchFacts> {
  await server.admin(database, SCHEMA);
  const start = performance.now();
  for (const [i, { sql }] of fillStatements(scale).entries()) await server.admin(database, `SELECT setseed(${(i + 1) / 100}); ${sql}`);
  await server.admin(database, 'DROP TABLE order_base; DROP FUNCTION pick(text[]); DROP FUNCTION filler(int, int)');
  const generateMs = performance.now() - start;

  const vacuumStart = performance.now();
  // ANALYZE samples 300 × the largest statistics target of a table's columns: with a target that
  // covers every row on a column no query uses, the sample is the whole table and no longer random.
  for (const [table, column] of [['lineitem', 'l_comment'], ['orders', 'o_comment'], ['partsupp', 'ps_comment'], ['part', 'p_comment'], ['customer', 'c_comment']]) {
    const [row] = await server.query<{ n: string }>(database, `SELECT count(*)::text AS n FROM ${table}`);
    const target = Math.min(10_000, Math.ceil(Number(row?.n ?? 0) / 300) + 1);
    if (target > 100) await server.admin(database, `ALTER TABLE ${table} ALTER COLUMN ${column} SET STATISTICS ${target}`);
  }
  // The server commits asynchronously (synchronous_commit off), and VACUUM marks a page all-visible
  // only once the commits of its rows are flushed: without this flush, whether a table just filled
  // ends up all-visible depends on the WAL writer's timing, and so do the costs of index-only scans.
  const list = TPCH_TABLES.map((t) => `'${t}'`).join(',');
  const notAllVisible = async (): Promise<string[]> =>
    (await server.query<{ table: string }>(database, `SELECT relname AS table FROM pg_class WHERE relname IN (${list}) AND relkind = 'r' AND relallvisible < relpages`)).map((r) => r.table);
  await server.admin(database, 'CHECKPOINT');
  await server.admin(database, 'VACUUM (FREEZE, ANALYZE)');
  for (let attempt = 0; attempt < 3 && (await notAllVisible()).length > 0; attempt++) {
    await server.admin(database, 'CHECKPOINT');
    await server.admin(database, `VACUUM (FREEZE) ${(await notAllVisible()).join(', ')}`);
  }
  const vacuumAnalyzeMs = performance.now() - vacuumStart;
  const stillNotAllVisible = await notAllVisible();
  if (stillNotAllVisible.length > 0) throw new Error(`VACUUM could not make ${stillNotAllVisible.join(', ')} all-visible: costs would not be deterministic`);

  const rows = await server.query<{ table: string; rows: string }>(
    database,
    `SELECT relname AS table, reltuples::bigint::text AS rows FROM pg_class WHERE relname IN (${list}) AND relkind = 'r'`,
  );
  const [sizes] = await server.query<{ data: string; pk: string }>(
    database,
    `SELECT sum(pg_table_size(c.oid))::text AS data, sum(pg_indexes_size(c.oid))::text AS pk FROM pg_class c WHERE c.relname IN (${list}) AND c.relkind = 'r'`,
  );
  return {
    scale,
    rows: Object.fromEntries(TPCH_TABLES.map((t) => [t, Number(rows.find((r) => r.table === t)?.rows ?? 0)])),
    dataBytes: Number(sizes?.data ?? 0),
    primaryKeyBytes: Number(sizes?.pk ?? 0),
    generateMs,
    vacuumAnalyzeMs,
  };
}
