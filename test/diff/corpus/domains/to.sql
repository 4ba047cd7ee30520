CREATE DOMAIN email AS text NOT NULL CHECK (VALUE LIKE '%@%');
CREATE DOMAIN quantity AS int DEFAULT 1 CONSTRAINT quantity_positive CHECK (VALUE > 0) CONSTRAINT quantity_max CHECK (VALUE < 1000);
CREATE DOMAIN code AS varchar(20);
CREATE DOMAIN percent AS numeric(5,2) CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE orders (id int PRIMARY KEY, contact email, qty quantity, code code, discount percent);
