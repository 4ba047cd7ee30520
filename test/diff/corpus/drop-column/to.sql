CREATE TABLE people (id int PRIMARY KEY, first_name text, last_name text);
