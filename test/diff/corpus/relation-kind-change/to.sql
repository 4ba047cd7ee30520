CREATE TABLE sales (id int PRIMARY KEY, region text, amount numeric);
CREATE VIEW totals AS SELECT region, sum(amount) AS amount FROM sales GROUP BY region;
CREATE MATERIALIZED VIEW recent AS SELECT id FROM sales;
CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
