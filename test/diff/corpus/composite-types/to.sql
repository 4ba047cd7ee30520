CREATE TYPE address AS (street text, city text, zip varchar(10));
CREATE TYPE money_amount AS (value numeric(12,2), currency char(3));
CREATE TABLE shops (id int PRIMARY KEY, address address, budget money_amount);
