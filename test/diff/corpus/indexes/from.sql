CREATE TABLE logs (id bigint PRIMARY KEY, level text, message text, created_at timestamptz, host text);
CREATE INDEX logs_level_idx ON logs (level);
CREATE INDEX logs_created_idx ON logs (created_at);
CREATE INDEX logs_host_idx ON logs (host);
CREATE INDEX logs_old_name_idx ON logs (message);
INSERT INTO logs VALUES (1, 'info', 'm', now(), 'h');
