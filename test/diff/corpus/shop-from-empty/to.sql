-- An e-commerce schema with the design flaws real ones tend to have.
-- Try: npx pgarchitect review examples/shop.sql
-- Each flaw is marked "flaw:" so you can compare with what the review finds.

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Customers ------------------------------------------------------------------------------------

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id       uuid NOT NULL DEFAULT uuid_generate_v4() UNIQUE,   -- flaw: uuid-ossp where gen_random_uuid() serves
    email           varchar(255) NOT NULL UNIQUE,
    password        varchar(255) NOT NULL,                             -- flaw: a password in plain text
    first_name      varchar(100),
    last_name       varchar(100),
    phone1          varchar(20),                                       -- flaw: a repeating group of columns
    phone2          varchar(20),
    phone3          varchar(20),
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamp NOT NULL DEFAULT now(),                  -- flaw: timestamp without time zone
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_users_email ON users (email);                         -- flaw: the UNIQUE constraint has this index already
CREATE INDEX idx_users_is_active ON users (is_active);                 -- flaw: an index on a boolean

CREATE TABLE addresses (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE, -- flaw: no index for the foreign key
    line1       text NOT NULL,
    line2       text,
    city        text NOT NULL,
    "postalCode" text,                                                 -- flaw: a mixed-case name that must be quoted forever
    country     char(2) NOT NULL                                       -- flaw: char(n)
);

-- Catalogue ------------------------------------------------------------------------------------

CREATE TABLE categories (
    id          serial PRIMARY KEY,                                    -- flaw: serial instead of an identity column
    parent_id   integer,                                               -- flaw: refers to categories with no foreign key
    name        text NOT NULL,
    slug        text NOT NULL UNIQUE
);

CREATE TABLE products (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku             varchar(32) NOT NULL,
    name            text NOT NULL,
    description     text,
    category_id     integer NOT NULL REFERENCES categories (id),
    price           double precision NOT NULL CHECK (price >= 0),      -- flaw: floating point money
    attributes      json,                                              -- flaw: json instead of jsonb
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT products_sku_key UNIQUE (sku)
);

CREATE INDEX idx_products_category ON products (category_id);
CREATE INDEX idx_products_name_trgm ON products USING gin (name gin_trgm_ops);
CREATE INDEX idx_products_sku_name ON products (sku, name);
CREATE INDEX idx_products_category_active ON products (category_id, is_active);
CREATE INDEX idx_products_category_dup ON products (category_id);      -- flaw: the same index twice

-- flaw: entity-attribute-value instead of columns or jsonb
CREATE TABLE product_properties (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_id       bigint NOT NULL REFERENCES products (id),
    attribute_name  text NOT NULL,
    value           text
);

-- Orders, partitioned by month -----------------------------------------------------------------

CREATE TABLE orders (
    id                  bigint GENERATED ALWAYS AS IDENTITY,
    order_number        varchar(20) NOT NULL,
    user_id             integer NOT NULL,                              -- flaw: int4 column referencing an int8 key
    status              varchar(20) NOT NULL DEFAULT 'pending',
    subtotal            numeric(12, 2) NOT NULL,
    tax_amount          numeric(12, 2) NOT NULL DEFAULT 0,
    shipping_amount     numeric(12, 2) NOT NULL DEFAULT 0,
    total_amount        numeric(12, 2) NOT NULL,                       -- flaw: derivable, and nothing keeps it consistent
    currency            char(3) NOT NULL DEFAULT 'USD',
    created_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, created_at),
    CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT orders_status_check CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'))
) PARTITION BY RANGE (created_at);

-- flaw: the last partition ends in 2025: inserts of today's orders fail
CREATE TABLE orders_2025_10 PARTITION OF orders FOR VALUES FROM ('2025-10-01') TO ('2025-11-01');
CREATE TABLE orders_2025_11 PARTITION OF orders FOR VALUES FROM ('2025-11-01') TO ('2025-12-01');
CREATE TABLE orders_2025_12 PARTITION OF orders FOR VALUES FROM ('2025-12-01') TO ('2026-01-01');

CREATE INDEX idx_orders_user ON orders (user_id);
CREATE INDEX idx_orders_created ON orders (created_at DESC);
CREATE INDEX idx_orders_status ON orders (status);

CREATE TABLE order_items (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id            bigint NOT NULL,
    order_created_at    timestamptz NOT NULL,
    product_id          bigint NOT NULL REFERENCES products (id),      -- flaw: no index for the foreign key
    quantity            integer NOT NULL CHECK (quantity > 0),
    unit_price          numeric(12, 2) NOT NULL,
    FOREIGN KEY (order_id, order_created_at) REFERENCES orders (id, created_at) ON DELETE CASCADE
);

CREATE INDEX idx_order_items_order ON order_items (order_id, order_created_at);

-- Inventory ------------------------------------------------------------------------------------

CREATE TABLE inventory (
    product_id      bigint NOT NULL REFERENCES products (id),
    warehouse_code  varchar(10) NOT NULL,
    quantity        integer NOT NULL,
    PRIMARY KEY (product_id, warehouse_code)
);

-- flaw: added NOT VALID and never validated: old rows were never checked
ALTER TABLE inventory ADD CONSTRAINT inventory_quantity_check CHECK (quantity >= 0) NOT VALID;

-- Audit log ------------------------------------------------------------------------------------

-- flaw: no primary key; entity_type + entity_id cannot have a foreign key
CREATE TABLE audit_log (
    entity_type     text NOT NULL,
    entity_id       bigint NOT NULL,
    action          text NOT NULL,
    "user"          text,                                              -- flaw: a reserved word as a column name
    old_values      jsonb,
    new_values      jsonb,
    changed_at      timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;                       -- flaw: RLS on, but no policy

CREATE TABLE api_tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    token       text NOT NULL,                                         -- flaw: a secret in plain text
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_api_tokens_user ON api_tokens (user_id);

-- Functions and triggers -----------------------------------------------------------------------

CREATE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER products_set_updated_at BEFORE UPDATE ON products
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- flaw: SECURITY DEFINER without a fixed search_path
CREATE FUNCTION deactivate_user(p_user_id bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER AS $$
    UPDATE users SET is_active = false WHERE id = p_user_id;
$$;

CREATE FUNCTION audit_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (entity_type, entity_id, action, old_values, new_values)
    VALUES (TG_TABLE_NAME, COALESCE(NEW.id, OLD.id), TG_OP, to_jsonb(OLD), to_jsonb(NEW));
    RETURN NULL;
END;
$$;

CREATE TRIGGER products_audit AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION audit_changes();

-- Reporting ------------------------------------------------------------------------------------

CREATE MATERIALIZED VIEW daily_sales AS
SELECT date_trunc('day', o.created_at) AS day,
       o.status,
       count(*) AS orders,
       sum(o.total_amount) AS revenue
FROM orders o
GROUP BY 1, 2;

CREATE UNIQUE INDEX idx_daily_sales_day_status ON daily_sales (day, status);

-- flaw: everyone may read every product row, including cost data added later
GRANT SELECT ON products TO PUBLIC;
