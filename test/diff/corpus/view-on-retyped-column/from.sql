CREATE TABLE orders (id int PRIMARY KEY, total numeric(8,2), status text);
CREATE VIEW order_totals AS SELECT id, total FROM orders;
CREATE VIEW big_orders AS SELECT id FROM order_totals WHERE total > 100;
CREATE VIEW order_statuses AS SELECT id, status FROM orders;
CREATE MATERIALIZED VIEW order_sums AS SELECT sum(total) AS total FROM orders;
INSERT INTO orders VALUES (1, 150, 'new');
