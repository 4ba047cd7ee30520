CREATE TABLE accounts (id int NOT NULL PRIMARY KEY, email text, region text, handle text,
  CONSTRAINT accounts_email_key UNIQUE NULLS NOT DISTINCT (email),
  CONSTRAINT accounts_region_email_key UNIQUE (region, email) INCLUDE (handle));
CREATE TABLE regions (code text NOT NULL, country text NOT NULL, CONSTRAINT regions_key UNIQUE (code, country));
CREATE UNIQUE INDEX regions_code_idx ON regions (code);
CREATE TABLE offices (id int PRIMARY KEY, region_code text REFERENCES regions (code));
