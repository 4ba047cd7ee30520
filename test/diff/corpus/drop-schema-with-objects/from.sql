CREATE SCHEMA old;
CREATE TYPE old.color AS ENUM ('red');
CREATE SEQUENCE old.ids;
CREATE TABLE old.items (id int PRIMARY KEY DEFAULT nextval('old.ids'), color old.color);
CREATE VIEW old.red_items AS SELECT id FROM old.items WHERE color = 'red';
CREATE FUNCTION old.item_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM old.items';
CREATE TABLE public.keep (id int PRIMARY KEY, item_id int REFERENCES old.items);
