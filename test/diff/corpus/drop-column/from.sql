CREATE TABLE people (id int PRIMARY KEY, first_name text, last_name text, legacy_code char(4), legacy_id serial);
CREATE INDEX people_legacy_idx ON people (legacy_code);
ALTER TABLE people ADD CONSTRAINT people_legacy_check CHECK (legacy_code <> 'XXXX');
INSERT INTO people (id, first_name, last_name, legacy_code) VALUES (1, 'a', 'b', 'ZZ');
