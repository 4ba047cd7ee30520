CREATE TABLE members (id int, email text, phone text NOT NULL, nick text);
CREATE TABLE parts (id int, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE parts_eu PARTITION OF parts FOR VALUES IN ('eu');
INSERT INTO members VALUES (1, 'a@b', '1', null);
