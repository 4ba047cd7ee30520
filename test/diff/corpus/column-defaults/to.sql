CREATE TABLE settings (id int PRIMARY KEY, name text DEFAULT 'unnamed', enabled boolean DEFAULT false, created_at timestamptz, ratio real DEFAULT 0.5);
