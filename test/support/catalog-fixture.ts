/**
 * The schema every catalog snapshot test loads, and the part of a snapshot that must come out the same
 * on every engine and supported version (sizes, statistics, owners and view text left out).
 */
import type { CatalogSnapshot } from '../../src/catalog/types.js';

/** One of every kind of object the snapshot reads. */
export const CATALOG_DDL = `
CREATE SCHEMA shop;
CREATE TABLE shop.users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255) NOT NULL UNIQUE,
  name text COLLATE "C",
  price numeric(10,2) DEFAULT 0 CHECK (price >= 0),
  tags text[],
  created_at timestamptz NOT NULL DEFAULT now(),
  full_name text GENERATED ALWAYS AS (name || '!') STORED
);
CREATE TABLE shop.orders (
  id bigint NOT NULL,
  user_id bigint NOT NULL,
  created_at date NOT NULL,
  PRIMARY KEY (id, created_at),
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES shop.users (id) ON DELETE CASCADE
) PARTITION BY RANGE (created_at);
CREATE TABLE shop.orders_2026_01 PARTITION OF shop.orders FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE shop.orders_default PARTITION OF shop.orders DEFAULT;
CREATE INDEX orders_user_idx ON shop.orders (user_id DESC NULLS LAST) INCLUDE (created_at);
CREATE INDEX users_lower_email ON shop.users (lower(email)) WHERE created_at > '2020-01-01';
CREATE SEQUENCE shop.counter AS integer;
CREATE TABLE shop.legacy (id serial PRIMARY KEY, note char(10));
ALTER TABLE shop.legacy ADD CONSTRAINT legacy_note_check CHECK (note <> '') NOT VALID;
CREATE VIEW shop.active_users AS SELECT id, email FROM shop.users;
CREATE MATERIALIZED VIEW shop.user_counts AS SELECT count(*) AS n FROM shop.users;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON shop.users FOR EACH ROW EXECUTE FUNCTION shop.touch();
ALTER TABLE shop.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON shop.users USING (email = current_user);
GRANT SELECT ON shop.active_users TO PUBLIC;
CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN shop.positive AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_check CHECK (VALUE > 0);
CREATE TYPE shop.amount AS (value numeric(12,2), currency char(3));
CREATE TABLE shop.payments (id bigint PRIMARY KEY, status shop.status NOT NULL DEFAULT 'new', quantity shop.positive, total shop.amount);
CREATE VIEW shop.paid AS SELECT id, status FROM shop.payments WHERE status = 'paid'::shop.status WITH LOCAL CHECK OPTION;
COMMENT ON TABLE shop.payments IS 'one row per payment';
COMMENT ON VIEW shop.paid IS 'payments done';
COMMENT ON INDEX shop.orders_user_idx IS 'orders of a user';
COMMENT ON CONSTRAINT legacy_note_check ON shop.legacy IS 'not blank';
COMMENT ON SEQUENCE shop.counter IS 'a counter';
COMMENT ON FUNCTION shop.touch() IS 'does nothing';
COMMENT ON TRIGGER users_touch ON shop.users IS 'touches';
COMMENT ON TYPE shop.status IS 'payment state';
`;

/** The schema part of a snapshot: what must be identical on every engine and version. */
export function schemaPart(s: CatalogSnapshot) {
  return {
    schemas: s.schemas.map(({ name }) => name),
    tables: s.tables.map(({ totalBytes, tableBytes, rowEstimate, stats, owner, ...t }) => t),
    columns: s.columns.map(({ stats, ...c }) => c),
    constraints: s.constraints,
    indexes: s.indexes.map(({ bytes, stats, ...i }) => i),
    sequences: s.sequences.map(({ lastValue, ...q }) => q),
    // View text is Postgres's own deparse, which changed in 16 (no `users.` column prefixes).
    views: s.views.map(({ bytes, owner, definition, ...v }) => v),
    functions: s.functions.map(({ owner, ...f }) => f),
    triggers: s.triggers,
    policies: s.policies,
    types: s.types,
    privileges: s.privileges.filter((p) => p.grantee === 'PUBLIC' && p.objectType === 'table'),
  };
}
