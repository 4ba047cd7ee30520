CREATE TABLE sales (id int PRIMARY KEY, region text, amount numeric);
CREATE MATERIALIZED VIEW sales_by_region AS SELECT region, sum(amount) AS total, count(*) AS n FROM sales GROUP BY region;
CREATE UNIQUE INDEX sales_by_region_idx ON sales_by_region (region);
CREATE MATERIALIZED VIEW region_list AS SELECT DISTINCT region FROM sales;
CREATE INDEX region_list_idx ON region_list (region);
CREATE MATERIALIZED VIEW top_sales AS SELECT * FROM sales WHERE amount > 100 WITH NO DATA;
