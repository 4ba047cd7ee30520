CREATE TABLE items (
  id int PRIMARY KEY,
  price numeric,
  qty int,
  total numeric GENERATED ALWAYS AS (price * qty * 1.2) STORED,
  label text,
  slug text GENERATED ALWAYS AS ('item-' || id) STORED
);
CREATE INDEX items_total_idx ON items (total);
