CREATE TABLE clients (id int PRIMARY KEY, name text);
CREATE TABLE accounts (id int PRIMARY KEY, full_name text, CONSTRAINT accounts_name_check CHECK (length(full_name) > 1));
CREATE INDEX accounts_id_idx ON accounts (id);
