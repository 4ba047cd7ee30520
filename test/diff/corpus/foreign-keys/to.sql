CREATE TABLE authors (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors ON DELETE RESTRICT, author_code text REFERENCES authors (code), editor_id int REFERENCES authors DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE reviews (id int PRIMARY KEY, book_id int);
