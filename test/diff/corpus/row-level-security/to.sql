CREATE TABLE notes (id int PRIMARY KEY, owner text, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT USING (true);
CREATE POLICY notes_write ON notes AS RESTRICTIVE FOR INSERT TO PUBLIC WITH CHECK (owner = current_user);
CREATE TABLE secrets (id int PRIMARY KEY, owner text);
CREATE POLICY secrets_owner ON secrets FOR ALL USING (owner = session_user);
