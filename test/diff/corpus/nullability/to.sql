CREATE TABLE members (id int NOT NULL, email text NOT NULL, phone text, nick text);
CREATE TABLE parts (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE parts_eu PARTITION OF parts FOR VALUES IN ('eu');
