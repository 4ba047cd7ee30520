CREATE TABLE totals (region text PRIMARY KEY, amount numeric);
CREATE TABLE sales (id int PRIMARY KEY, region text, amount numeric);
CREATE VIEW recent AS SELECT id FROM sales;
CREATE TABLE events (id int, at date);
