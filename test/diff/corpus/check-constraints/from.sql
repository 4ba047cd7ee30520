CREATE TABLE products (id int PRIMARY KEY, price numeric, stock int, name text,
  CONSTRAINT products_stock_check CHECK (stock >= 0),
  CONSTRAINT products_old_check CHECK (name <> 'old'));
ALTER TABLE products ADD CONSTRAINT products_name_check CHECK (length(name) > 0) NOT VALID;
INSERT INTO products VALUES (1, 10, 5, 'a');
