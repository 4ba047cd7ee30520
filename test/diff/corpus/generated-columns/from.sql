CREATE TABLE items (
  id int PRIMARY KEY,
  price numeric,
  qty int,
  total numeric GENERATED ALWAYS AS (price * qty) STORED,
  label text GENERATED ALWAYS AS ('item ' || id) STORED,
  slug text
);
CREATE INDEX items_total_idx ON items (total);
INSERT INTO items (id, price, qty, slug) VALUES (1, 2, 3, 'one');
