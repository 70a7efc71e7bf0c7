-- Issue 30, voice notes: a recording is an attachment like a photo (R2, the same limits, the same
-- lifecycle), of one of the audio kinds `domain::audio` reads, with its length. SQLite cannot
-- change a CHECK in place: the table is copied into its new shape (nothing refers to it).
CREATE TABLE attachments_new (
  id          INTEGER PRIMARY KEY,
  r2_key      TEXT NOT NULL UNIQUE,
  form_key    TEXT NOT NULL,
  request_id  INTEGER REFERENCES requests(id),
  file_name   TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png', 'webp',
                'ogg', 'weba', 'm4a', 'aac', 'amr', 'mp3', 'wav')),
  size        INTEGER NOT NULL CHECK (size > 0),
  created_at  INTEGER NOT NULL,
  origin      TEXT NOT NULL DEFAULT 'citizen' CHECK (origin IN ('citizen', 'staff')),
  -- A recording's length in milliseconds (≤ 3 minutes); NULL for documents and images.
  duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms BETWEEN 0 AND 180000)
);
INSERT INTO attachments_new (id, r2_key, form_key, request_id, file_name, kind, size, created_at, origin)
  SELECT id, r2_key, form_key, request_id, file_name, kind, size, created_at, origin FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_request ON attachments (request_id);
CREATE INDEX attachments_form ON attachments (form_key);
