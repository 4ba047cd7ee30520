CREATE TYPE status AS ENUM ('published', 'draft');
CREATE TABLE posts (id int PRIMARY KEY, status status NOT NULL DEFAULT 'draft', history status[]);
CREATE INDEX posts_status_idx ON posts (status);
CREATE VIEW published_posts AS SELECT id FROM posts WHERE status = 'published';
