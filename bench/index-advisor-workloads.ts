/**
 * The two workloads of the index-advisor benchmark, over the TPC-H-like tables of
 * index-advisor-data.ts.
 *
 * A: TPC-H queries (Q1, Q2, Q3, Q4, Q5, Q6, Q10, Q11, Q12, Q14, Q17, Q18, Q19, Q20 shapes) with their
 * date windows narrowed so that an index can pay, literals as TPC-H writes them, weight 1 each.
 *
 * B: 30 weighted OLTP statements, most with `$n` parameters as pg_stat_statements shows them (the
 * advisor costs those with generic plans), some with literals. Built so that the index choice and the
 * column order matter: equality + range and equality + ORDER BY ... LIMIT (only the equality column
 * first serves both), covering reads, a low-cardinality status compared with a literal (partial
 * indexes), statements the primary keys already serve, and a few writes.
 *
 * `params` are the representative values the measured runs bind to `$n`: fixed values, or one row of a
 * query on the generated data (a key that exists).
 */
export interface BenchQuery {
  /** Short label for reports: `A3 Q4 order priority`. */
  label: string;
  sql: string;
  weight: number;
  params?: readonly unknown[] | { sql: string };
}

export interface BenchWorkload {
  /** `A` or `B`. */
  name: string;
  description: string;
  queries: readonly BenchQuery[];
}

export const WORKLOAD_A: BenchWorkload = {
  name: 'A',
  description: 'TPC-H-like analytical queries, selective predicates',
  queries: [
    {
      label: 'A1 Q1 pricing summary, last 120 days',
      weight: 1,
      sql: `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
       sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
       avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
  FROM lineitem
 WHERE l_shipdate > date '1998-08-03'
 GROUP BY l_returnflag, l_linestatus
 ORDER BY l_returnflag, l_linestatus`,
    },
    {
      label: 'A2 Q2 minimum cost supplier',
      weight: 1,
      sql: `SELECT s_acctbal, s_name, n_name, p_partkey, p_mfgr, s_address, s_phone, s_comment
  FROM part, supplier, partsupp, nation, region
 WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND p_size = 15 AND p_type LIKE '%BRASS'
   AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'EUROPE'
   AND ps_supplycost = (SELECT min(ps_supplycost) FROM partsupp, supplier, nation, region
                         WHERE p_partkey = ps_partkey AND s_suppkey = ps_suppkey AND s_nationkey = n_nationkey
                           AND n_regionkey = r_regionkey AND r_name = 'EUROPE')
 ORDER BY s_acctbal DESC, n_name, s_name, p_partkey
 LIMIT 100`,
    },
    {
      label: 'A3 Q3 shipping priority, two weeks',
      weight: 1,
      sql: `SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
  FROM customer, orders, lineitem
 WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
   AND o_orderdate >= date '1995-03-01' AND o_orderdate < date '1995-03-15' AND l_shipdate > date '1995-03-15'
 GROUP BY l_orderkey, o_orderdate, o_shippriority
 ORDER BY revenue DESC, o_orderdate
 LIMIT 10`,
    },
    {
      label: 'A4 Q4 order priority, one month',
      weight: 1,
      sql: `SELECT o_orderpriority, count(*) AS order_count
  FROM orders
 WHERE o_orderdate >= date '1993-07-01' AND o_orderdate < date '1993-08-01'
   AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate)
 GROUP BY o_orderpriority
 ORDER BY o_orderpriority`,
    },
    {
      label: 'A5 Q5 local supplier volume, one month',
      weight: 1,
      sql: `SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
  FROM customer, orders, lineitem, supplier, nation, region
 WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey AND c_nationkey = s_nationkey
   AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'ASIA'
   AND o_orderdate >= date '1994-01-01' AND o_orderdate < date '1994-02-01'
 GROUP BY n_name
 ORDER BY revenue DESC`,
    },
    {
      label: 'A6 Q6 forecasting revenue, one month',
      weight: 1,
      sql: `SELECT sum(l_extendedprice * l_discount) AS revenue
  FROM lineitem
 WHERE l_shipdate >= date '1994-01-01' AND l_shipdate < date '1994-02-01'
   AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`,
    },
    {
      label: 'A7 Q10 returned items, two weeks',
      weight: 1,
      sql: `SELECT c_custkey, c_name, sum(l_extendedprice * (1 - l_discount)) AS revenue, c_acctbal, n_name, c_address, c_phone
  FROM customer, orders, lineitem, nation
 WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey
   AND o_orderdate >= date '1993-10-01' AND o_orderdate < date '1993-10-15'
   AND l_returnflag = 'R' AND c_nationkey = n_nationkey
 GROUP BY c_custkey, c_name, c_acctbal, c_phone, n_name, c_address
 ORDER BY revenue DESC
 LIMIT 20`,
    },
    {
      label: 'A8 Q11 important stock',
      weight: 1,
      sql: `SELECT ps_partkey, sum(ps_supplycost * ps_availqty) AS value
  FROM partsupp, supplier, nation
 WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = 'GERMANY'
 GROUP BY ps_partkey
HAVING sum(ps_supplycost * ps_availqty) > (SELECT sum(ps_supplycost * ps_availqty) * 0.001
                                             FROM partsupp, supplier, nation
                                            WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = 'GERMANY')
 ORDER BY value DESC`,
    },
    {
      label: 'A9 Q12 shipping modes, one month',
      weight: 1,
      sql: `SELECT l_shipmode,
       sum(CASE WHEN o_orderpriority IN ('1-URGENT', '2-HIGH') THEN 1 ELSE 0 END) AS high_line_count,
       sum(CASE WHEN o_orderpriority NOT IN ('1-URGENT', '2-HIGH') THEN 1 ELSE 0 END) AS low_line_count
  FROM orders, lineitem
 WHERE o_orderkey = l_orderkey AND l_shipmode IN ('MAIL', 'SHIP') AND l_commitdate < l_receiptdate
   AND l_shipdate < l_commitdate AND l_receiptdate >= date '1994-01-01' AND l_receiptdate < date '1994-02-01'
 GROUP BY l_shipmode
 ORDER BY l_shipmode`,
    },
    {
      label: 'A10 Q14 promotion effect, one week',
      weight: 1,
      sql: `SELECT 100.00 * sum(CASE WHEN p_type LIKE 'PROMO%' THEN l_extendedprice * (1 - l_discount) ELSE 0 END)
       / sum(l_extendedprice * (1 - l_discount)) AS promo_revenue
  FROM lineitem, part
 WHERE l_partkey = p_partkey AND l_shipdate >= date '1995-09-01' AND l_shipdate < date '1995-09-08'`,
    },
    {
      label: 'A11 Q17 small-quantity-order revenue',
      weight: 1,
      sql: `SELECT sum(l_extendedprice) / 7.0 AS avg_yearly
  FROM lineitem, part
 WHERE p_partkey = l_partkey AND p_brand = 'Brand#23' AND p_container = 'MED BOX'
   AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)`,
    },
    {
      label: 'A12 Q18 large orders',
      weight: 1,
      sql: `SELECT c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, sum(l_quantity)
  FROM customer, orders, lineitem
 WHERE o_totalprice > 450000 AND c_custkey = o_custkey AND o_orderkey = l_orderkey
 GROUP BY c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice
 ORDER BY o_totalprice DESC, o_orderdate
 LIMIT 100`,
    },
    {
      label: 'A13 Q19 discounted revenue',
      weight: 1,
      sql: `SELECT sum(l_extendedprice * (1 - l_discount)) AS revenue
  FROM lineitem, part
 WHERE p_partkey = l_partkey AND l_shipmode IN ('AIR', 'REG AIR') AND l_shipinstruct = 'DELIVER IN PERSON'
   AND ((p_brand = 'Brand#12' AND p_container IN ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG') AND l_quantity BETWEEN 1 AND 11 AND p_size BETWEEN 1 AND 5)
     OR (p_brand = 'Brand#23' AND p_container IN ('MED BAG', 'MED BOX', 'MED PKG', 'MED PACK') AND l_quantity BETWEEN 10 AND 20 AND p_size BETWEEN 1 AND 10)
     OR (p_brand = 'Brand#34' AND p_container IN ('LG CASE', 'LG BOX', 'LG PACK', 'LG PKG') AND l_quantity BETWEEN 20 AND 30 AND p_size BETWEEN 1 AND 15))`,
    },
    {
      label: 'A14 Q20 potential part promotion',
      weight: 1,
      sql: `SELECT s_name, s_address
  FROM supplier, nation
 WHERE s_suppkey IN (SELECT ps_suppkey FROM partsupp
                      WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'forest green%')
                        AND ps_availqty > (SELECT 0.5 * sum(l_quantity) FROM lineitem
                                            WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey
                                              AND l_shipdate >= date '1994-01-01' AND l_shipdate < date '1995-01-01'))
   AND s_nationkey = n_nationkey AND n_name = 'CANADA'
 ORDER BY s_name`,
    },
  ],
};

/** A customer who has orders (keys that are multiples of 3 have none, as in dbgen). */
const CUSTOMER = 4711;
const ORDER = 123_457;
const PART = 4242;

export const WORKLOAD_B: BenchWorkload = {
  name: 'B',
  description: 'weighted OLTP statements, parameterised',
  queries: [
    { label: 'B1 order by key', weight: 500, sql: 'SELECT * FROM orders WHERE o_orderkey = $1', params: [ORDER] },
    {
      label: 'B2 customer: last 10 orders',
      weight: 300,
      sql: 'SELECT o_orderkey, o_orderdate, o_totalprice, o_orderstatus FROM orders WHERE o_custkey = $1 ORDER BY o_orderdate DESC LIMIT 10',
      params: [CUSTOMER],
    },
    {
      label: 'B3 customer: orders in a year',
      weight: 200,
      sql: 'SELECT count(*), sum(o_totalprice) FROM orders WHERE o_custkey = $1 AND o_orderdate >= $2 AND o_orderdate < $3',
      params: [CUSTOMER, '1995-01-01', '1996-01-01'],
    },
    {
      label: 'B4 customer by phone',
      weight: 200,
      sql: 'SELECT c_custkey, c_name, c_acctbal FROM customer WHERE c_phone = $1',
      params: { sql: 'SELECT c_phone FROM customer WHERE c_custkey = 777' },
    },
    {
      label: 'B5 top customers of a nation and segment',
      weight: 120,
      sql: 'SELECT c_custkey, c_name, c_acctbal FROM customer WHERE c_nationkey = $1 AND c_mktsegment = $2 ORDER BY c_acctbal DESC LIMIT 20',
      params: [7, 'MACHINERY'],
    },
    {
      label: 'B6 lines of an order',
      weight: 400,
      sql: 'SELECT l_linenumber, l_partkey, l_quantity, l_extendedprice FROM lineitem WHERE l_orderkey = $1',
      params: [ORDER],
    },
    {
      label: 'B7 part: next shipments',
      weight: 100,
      sql: 'SELECT l_orderkey, l_shipdate, l_quantity FROM lineitem WHERE l_partkey = $1 AND l_shipdate >= $2 ORDER BY l_shipdate LIMIT 50',
      params: [PART, '1996-01-01'],
    },
    {
      label: 'B8 supplier: shipments in a quarter',
      weight: 80,
      sql: 'SELECT l_orderkey, l_quantity, l_extendedprice FROM lineitem WHERE l_suppkey = $1 AND l_shipdate BETWEEN $2 AND $3',
      params: [321, '1995-01-01', '1995-03-31'],
    },
    {
      label: "B9 pending orders since (status 'P')",
      weight: 60,
      sql: "SELECT o_orderkey, o_custkey, o_totalprice FROM orders WHERE o_orderstatus = 'P' AND o_orderdate >= $1 ORDER BY o_orderdate LIMIT 100",
      params: ['1995-05-01'],
    },
    { label: 'B10 count pending orders', weight: 30, sql: "SELECT count(*) FROM orders WHERE o_orderstatus = 'P'" },
    {
      label: 'B11 part-supplier by key',
      weight: 200,
      sql: 'SELECT ps_availqty, ps_supplycost FROM partsupp WHERE ps_partkey = $1 AND ps_suppkey = $2',
      params: { sql: `SELECT ps_partkey, ps_suppkey FROM partsupp WHERE ps_partkey = ${PART} ORDER BY ps_suppkey LIMIT 1` },
    },
    {
      label: 'B12 cheapest supplier of a part',
      weight: 100,
      sql: 'SELECT s.s_suppkey, s.s_name, ps.ps_supplycost FROM partsupp ps JOIN supplier s ON s.s_suppkey = ps.ps_suppkey WHERE ps.ps_partkey = $1 ORDER BY ps.ps_supplycost LIMIT 1',
      params: [PART],
    },
    {
      label: 'B13 parts by brand and size',
      weight: 100,
      sql: 'SELECT p_partkey, p_name, p_retailprice FROM part WHERE p_brand = $1 AND p_size = $2',
      params: ['Brand#34', 17],
    },
    {
      label: 'B14 parts by type and size range',
      weight: 60,
      sql: 'SELECT p_partkey, p_name FROM part WHERE p_type = $1 AND p_size BETWEEN $2 AND $3',
      params: ['PROMO BRUSHED STEEL', 10, 20],
    },
    {
      label: "B15 clerk's latest orders",
      weight: 150,
      sql: 'SELECT o_orderkey, o_orderdate, o_totalprice FROM orders WHERE o_clerk = $1 AND o_orderdate >= $2 ORDER BY o_orderdate DESC LIMIT 20',
      params: ['Clerk#000000042', '1997-01-01'],
    },
    {
      label: 'B16 lines shipped on a day by a mode',
      weight: 50,
      sql: 'SELECT l_orderkey, l_linenumber FROM lineitem WHERE l_shipdate = $1 AND l_shipmode = $2',
      params: ['1996-03-13', 'AIR'],
    },
    {
      label: "B17 returned lines received in a week (flag 'R')",
      weight: 80,
      sql: "SELECT l_orderkey, l_linenumber, l_shipdate FROM lineitem WHERE l_returnflag = 'R' AND l_receiptdate BETWEEN $1 AND $2",
      params: ['1994-03-01', '1994-03-07'],
    },
    { label: 'B18 update order priority', weight: 100, sql: 'UPDATE orders SET o_orderpriority = $2 WHERE o_orderkey = $1', params: [ORDER, '2-HIGH'] },
    {
      label: 'B19 customer by name',
      weight: 50,
      sql: 'SELECT c_custkey, c_address FROM customer WHERE c_name = $1',
      params: [`Customer#${String(CUSTOMER).padStart(9, '0')}`],
    },
    {
      label: 'B20 customer: revenue per order',
      weight: 100,
      sql: `SELECT o.o_orderkey, o.o_orderdate, sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue
  FROM orders o JOIN lineitem l ON l.l_orderkey = o.o_orderkey
 WHERE o.o_custkey = $1
 GROUP BY o.o_orderkey, o.o_orderdate
 ORDER BY o.o_orderdate DESC`,
      params: [CUSTOMER],
    },
    { label: 'B21 lines shipped on a day (literal)', weight: 40, sql: "SELECT count(*) FROM lineitem WHERE l_shipdate = date '1996-03-13'" },
    { label: 'B22 revenue of a part (literal)', weight: 40, sql: 'SELECT sum(l_extendedprice * (1 - l_discount)) FROM lineitem WHERE l_partkey = 1234' },
    {
      label: 'B23 richest customers',
      weight: 60,
      sql: 'SELECT c_custkey, c_name, c_acctbal FROM customer WHERE c_acctbal > $1 ORDER BY c_acctbal DESC LIMIT 10',
      params: [9990],
    },
    {
      label: "B24 urgent orders of a day ('1-URGENT')",
      weight: 50,
      sql: "SELECT o_orderkey, o_custkey FROM orders WHERE o_orderdate = $1 AND o_orderpriority = '1-URGENT'",
      params: ['1996-07-04'],
    },
    {
      label: 'B25 top suppliers of a nation',
      weight: 60,
      sql: 'SELECT s_suppkey, s_name, s_acctbal FROM supplier WHERE s_nationkey = $1 ORDER BY s_acctbal DESC LIMIT 5',
      params: [3],
    },
    { label: 'B26 delete an order line', weight: 30, sql: 'DELETE FROM lineitem WHERE l_orderkey = $1 AND l_linenumber = $2', params: [ORDER, 1] },
    {
      label: "B27 customer's open orders ('O')",
      weight: 100,
      sql: "SELECT o_orderkey, o_totalprice FROM orders WHERE o_custkey = $1 AND o_orderstatus = 'O'",
      params: [CUSTOMER],
    },
    {
      label: 'B28 late lines per supplier, one week',
      weight: 40,
      sql: 'SELECT l_suppkey, count(*) FROM lineitem WHERE l_receiptdate >= $1 AND l_receiptdate < $2 AND l_commitdate < l_receiptdate GROUP BY l_suppkey',
      params: ['1995-02-01', '1995-02-08'],
    },
    {
      label: "B29 rich customers per nation ('AUTOMOBILE', literal)",
      weight: 20,
      sql: "SELECT n_name, count(*) FROM customer JOIN nation ON n_nationkey = c_nationkey WHERE c_mktsegment = 'AUTOMOBILE' AND c_acctbal > 9900 GROUP BY n_name",
    },
    {
      label: 'B30 parts by container, brand, size',
      weight: 80,
      sql: 'SELECT p_partkey, p_retailprice FROM part WHERE p_container = $1 AND p_brand = $2 AND p_size < $3',
      params: ['JUMBO PKG', 'Brand#34', 10],
    },
  ],
};
