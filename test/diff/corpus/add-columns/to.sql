CREATE EXTENSION pgcrypto;
CREATE TABLE accounts (
  id int PRIMARY KEY,
  name text,
  active boolean NOT NULL DEFAULT true,
  nickname varchar(30),
  token uuid DEFAULT gen_random_uuid(),
  serial_no bigint GENERATED ALWAYS AS IDENTITY,
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
  balance numeric(12,2) DEFAULT 0 NOT NULL
);
