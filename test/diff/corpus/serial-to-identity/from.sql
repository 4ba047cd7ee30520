CREATE TABLE tickets (id serial PRIMARY KEY, title text);
INSERT INTO tickets (title) VALUES ('a'), ('b');
