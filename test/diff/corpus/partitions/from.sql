CREATE TABLE measurements (id bigint NOT NULL, taken_on date NOT NULL, value numeric, PRIMARY KEY (id, taken_on)) PARTITION BY RANGE (taken_on);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_old PARTITION OF measurements FOR VALUES FROM ('2000-01-01') TO ('2025-01-01');
ALTER TABLE measurements ADD CONSTRAINT measurements_value_check CHECK (value >= 0);
