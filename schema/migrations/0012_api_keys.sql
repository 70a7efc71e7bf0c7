-- Keys of Open311 partners, issued by admins. Only a SHA-256 of each key is kept; the key itself
-- is shown once, when it is created.
CREATE TABLE api_keys (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_hash     TEXT NOT NULL UNIQUE,
  -- The first characters of the key, so admins can tell keys apart.
  prefix       TEXT NOT NULL,
  created_by   INTEGER NOT NULL REFERENCES staff(id),
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
