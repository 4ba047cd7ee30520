CREATE TABLE settings (id int PRIMARY KEY, name text DEFAULT 'x', enabled boolean, created_at timestamptz DEFAULT now(), ratio real DEFAULT 0.5);
