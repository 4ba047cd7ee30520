CREATE TABLE orders (id int PRIMARY KEY, customer_id int);
INSERT INTO orders VALUES (1, null);
