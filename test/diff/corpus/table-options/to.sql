CREATE TABLE hot (id int PRIMARY KEY, v text) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01);
CREATE TABLE cache (k text PRIMARY KEY, v text);
CREATE UNLOGGED TABLE journal (id int PRIMARY KEY);
