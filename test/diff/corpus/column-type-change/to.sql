CREATE TABLE events (
  id bigint PRIMARY KEY,
  code varchar(50) NOT NULL,
  amount numeric(12,2),
  happened_at timestamptz,
  payload jsonb,
  note text,
  counter bigint DEFAULT 1
);
CREATE INDEX events_code_idx ON events (code);
