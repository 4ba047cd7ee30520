CREATE TABLE users (id int PRIMARY KEY, name text, email text, active boolean);
CREATE VIEW active_users AS SELECT id, name, email FROM users WHERE active;
CREATE VIEW user_names AS SELECT id, upper(name) AS upper_name FROM users;
CREATE VIEW guarded WITH (security_barrier = true) AS SELECT id, name FROM users WHERE active WITH CASCADED CHECK OPTION;
CREATE VIEW emails AS SELECT u.email, a.name FROM users u JOIN active_users a USING (id);
