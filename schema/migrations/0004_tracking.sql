-- What the tracking page shows beyond the submission.
ALTER TABLE requests ADD COLUMN verdict TEXT CHECK (verdict IN ('satisfied', 'partly_satisfied', 'not_satisfied'));
ALTER TABLE requests ADD COLUMN verdict_comment TEXT;
ALTER TABLE requests ADD COLUMN treated_at INTEGER;
ALTER TABLE requests ADD COLUMN closed_at INTEGER;

-- Staff notes never shown to the citizen are events with visible_to_citizen = 0.
ALTER TABLE request_events ADD COLUMN visible_to_citizen INTEGER NOT NULL DEFAULT 1 CHECK (visible_to_citizen IN (0, 1));

-- Earlier wordings of a request's message, kept when the citizen edits it.
CREATE TABLE request_versions (
  id          INTEGER PRIMARY KEY,
  request_id  INTEGER NOT NULL REFERENCES requests(id),
  message     TEXT NOT NULL,
  replaced_at INTEGER NOT NULL
);
CREATE INDEX request_versions_request ON request_versions (request_id);

-- Optimistic concurrency: every change bumps the version; a change made against an older
-- version is refused (see batch_guard).
ALTER TABLE requests ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Inside a D1 batch, `INSERT INTO batch_guard VALUES (changes())` right after a guarded UPDATE
-- aborts the whole batch when that UPDATE matched nothing; the batch empties the table at its end.
CREATE TABLE batch_guard (ok INTEGER NOT NULL CHECK (ok = 1));
