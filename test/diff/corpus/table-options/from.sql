CREATE TABLE hot (id int PRIMARY KEY, v text) WITH (fillfactor = 90, autovacuum_enabled = false);
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);
CREATE TABLE journal (id int PRIMARY KEY);
