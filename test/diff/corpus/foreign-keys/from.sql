CREATE TABLE authors (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors ON DELETE CASCADE, author_code text, editor_id int);
CREATE TABLE reviews (id int PRIMARY KEY, book_id int CONSTRAINT reviews_book_fk REFERENCES books);
INSERT INTO authors VALUES (1, 'x');
INSERT INTO books VALUES (1, 1, 'x', 1);
