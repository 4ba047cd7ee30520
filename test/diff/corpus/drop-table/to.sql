CREATE TABLE customers (id serial PRIMARY KEY, name text);
CREATE TABLE notes (id int PRIMARY KEY, customer_id int REFERENCES customers);
