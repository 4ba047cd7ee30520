CREATE TABLE customers (id serial PRIMARY KEY, name text);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers);
CREATE TABLE notes (id int PRIMARY KEY, order_id int REFERENCES orders, customer_id int REFERENCES customers);
CREATE TABLE audit (id int);
INSERT INTO customers (name) VALUES ('a'), ('b');
INSERT INTO orders (customer_id) VALUES (1), (2);
