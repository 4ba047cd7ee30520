CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers ON DELETE SET NULL);
CREATE TABLE invoices (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders, customer_id int REFERENCES customers);
CREATE INDEX orders_customer_idx ON orders (customer_id);
