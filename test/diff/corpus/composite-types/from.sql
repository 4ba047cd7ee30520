CREATE TYPE address AS (street text, city text);
CREATE TYPE legacy_pair AS (a int, b int);
CREATE TABLE shops (id int PRIMARY KEY);
