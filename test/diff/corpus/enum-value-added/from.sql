CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE people (id int PRIMARY KEY, mood mood DEFAULT 'ok');
INSERT INTO people VALUES (1, 'sad');
