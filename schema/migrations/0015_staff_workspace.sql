-- The staff workspace: reply templates per body (admin-managed), files the body attaches to its
-- answer told apart from the citizen's, and what staff search and sort by.
ALTER TABLE attachments ADD COLUMN origin TEXT NOT NULL DEFAULT 'citizen' CHECK (origin IN ('citizen', 'staff'));

CREATE TABLE reply_templates (
  id INTEGER PRIMARY KEY,
  -- NULL: offered for every body.
  body_id INTEGER REFERENCES bodies (id),
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX reply_templates_body ON reply_templates (body_id, active);

-- Queues sort by last change and by deadline within a scope.
CREATE INDEX requests_body_updated ON requests (body_id, updated_at);
CREATE INDEX requests_stage_updated ON requests (stage, updated_at);
