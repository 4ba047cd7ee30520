CREATE TABLE accounts (id int NOT NULL, email text, region text, handle text);
CREATE TABLE regions (code text NOT NULL, country text NOT NULL, CONSTRAINT regions_key UNIQUE (code));
CREATE TABLE offices (id int PRIMARY KEY, region_code text REFERENCES regions (code));
CREATE UNIQUE INDEX accounts_handle_idx ON accounts (handle);
INSERT INTO accounts VALUES (1, 'a', 'eu', 'h1');
INSERT INTO regions VALUES ('eu', 'x');
