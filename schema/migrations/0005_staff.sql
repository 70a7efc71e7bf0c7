-- Staff of the back office. Analysts see all bodies, or only those in staff_bodies when they have
-- rows there; a focal point belongs to exactly one body.
CREATE TABLE staff (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('analyst', 'focal_point', 'phone_operator', 'supervisor', 'admin')),
  body_id    INTEGER REFERENCES bodies(id),
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL DEFAULT (unixepoch() * 1000),
  CHECK (role != 'focal_point' OR body_id IS NOT NULL)
);
CREATE TABLE staff_bodies (
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  body_id  INTEGER NOT NULL REFERENCES bodies(id),
  PRIMARY KEY (staff_id, body_id)
);

-- One-time sign-in links, stored as SHA-256 hashes: valid 10 minutes, used once.
CREATE TABLE sign_in_tokens (
  token_hash TEXT PRIMARY KEY,
  staff_id   INTEGER NOT NULL REFERENCES staff(id),
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

-- Sessions, stored as SHA-256 hashes of a 128-bit random token.
CREATE TABLE staff_sessions (
  token_hash   TEXT PRIMARY KEY,
  staff_id     INTEGER NOT NULL REFERENCES staff(id),
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Which body currently handles a request (changes when an analyst reassigns it).
CREATE INDEX requests_stage_body ON requests (stage, body_id, created_at);
