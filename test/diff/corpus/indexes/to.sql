CREATE TABLE logs (id bigint PRIMARY KEY, level text, message text, created_at timestamptz, host text);
CREATE INDEX logs_level_idx ON logs (level) WHERE level <> 'debug';
CREATE INDEX logs_created_idx ON logs (created_at);
CREATE INDEX logs_lower_message_idx ON logs (lower(message) text_pattern_ops);
CREATE INDEX logs_new_name_idx ON logs (message);
CREATE INDEX logs_host_created_idx ON logs USING btree (host, created_at DESC NULLS LAST) INCLUDE (level);
CREATE INDEX logs_message_hash_idx ON logs USING hash (message);
