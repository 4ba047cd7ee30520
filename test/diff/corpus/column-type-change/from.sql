CREATE TABLE events (
  id int PRIMARY KEY,
  code varchar(20) NOT NULL,
  amount numeric(8,2),
  happened_at timestamp,
  payload json,
  note text COLLATE "C",
  counter int DEFAULT 0
);
CREATE INDEX events_code_idx ON events (code);
INSERT INTO events VALUES (1, 'a', 1.5, '2024-01-01', '{"a":1}', 'x', 3), (2, 'b', null, null, null, null, 0);
