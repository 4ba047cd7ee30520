CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE FUNCTION greet(name text) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'hi ' || name; END $$;
CREATE FUNCTION old_thing() RETURNS void LANGUAGE sql AS '';
CREATE FUNCTION shape(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE PROCEDURE cleanup() LANGUAGE sql AS 'SELECT 1';
CREATE TABLE t (id int PRIMARY KEY, v int);
CREATE VIEW t_plus AS SELECT id, shape(v) AS v FROM t;
