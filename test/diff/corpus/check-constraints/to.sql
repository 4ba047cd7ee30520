CREATE TABLE products (id int PRIMARY KEY, price numeric, stock int, name text,
  CONSTRAINT products_price_check CHECK (price > 0),
  CONSTRAINT products_stock_check CHECK (stock >= 0 AND stock < 1000000),
  CONSTRAINT products_name_check CHECK (length(name) > 0));
ALTER TABLE products ADD CONSTRAINT products_soft_check CHECK (price < 1000) NOT VALID;
