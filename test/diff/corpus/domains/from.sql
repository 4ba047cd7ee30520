CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE DOMAIN quantity AS int DEFAULT 0 CONSTRAINT quantity_positive CHECK (VALUE >= 0);
CREATE DOMAIN code AS varchar(10);
CREATE DOMAIN obsolete AS int;
CREATE TABLE orders (id int PRIMARY KEY, contact email, qty quantity, code code);
INSERT INTO orders VALUES (1, 'a@b', 3, 'x');
