CREATE TABLE users (id int PRIMARY KEY, name text, email text, active boolean);
CREATE VIEW active_users AS SELECT id, name FROM users WHERE active;
CREATE VIEW user_names AS SELECT id, name FROM users;
CREATE VIEW old_view AS SELECT id FROM users;
CREATE VIEW guarded AS SELECT id, name FROM users WHERE active;
