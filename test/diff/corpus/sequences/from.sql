CREATE SEQUENCE invoice_numbers START 100;
CREATE SEQUENCE old_numbers;
CREATE SEQUENCE tickets_seq AS integer INCREMENT 1 CACHE 1;
CREATE TABLE invoices (id int PRIMARY KEY, number bigint DEFAULT nextval('invoice_numbers'));
CREATE TABLE tickets (id int PRIMARY KEY, number int DEFAULT nextval('tickets_seq'));
INSERT INTO invoices (id) VALUES (1);
