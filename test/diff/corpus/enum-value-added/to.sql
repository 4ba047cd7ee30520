CREATE TYPE mood AS ENUM ('awful', 'sad', 'meh', 'ok', 'happy', 'ecstatic');
CREATE TABLE people (id int PRIMARY KEY, mood mood DEFAULT 'ok');
