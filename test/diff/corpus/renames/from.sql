CREATE TABLE customers (id int PRIMARY KEY, name text);
CREATE TABLE accounts (id int PRIMARY KEY, fullname text, CONSTRAINT accounts_name_check CHECK (length(fullname) > 1));
CREATE INDEX accounts_fullname ON accounts (id);
INSERT INTO customers VALUES (1, 'a');
