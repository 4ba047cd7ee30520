CREATE TABLE notes (id int PRIMARY KEY, owner text, body text);
CREATE TABLE secrets (id int PRIMARY KEY, owner text);
ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
CREATE POLICY secrets_owner ON secrets USING (owner = current_user);
CREATE POLICY secrets_old ON secrets FOR DELETE USING (false);
