-- Public bodies («organismes publics») that receive requests.
-- phones: JSON array of {"display": as printed, "e164": dialable number}; a body has few numbers
-- and they are always read together, so a child table would only add a join.
CREATE TABLE bodies (
  id         INTEGER PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  phones     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(phones) AND json_type(phones) = 'array'),
  location   TEXT NOT NULL DEFAULT '',
  email      TEXT,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at INTEGER NOT NULL DEFAULT (unixepoch() * 1000),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch() * 1000)
);
CREATE INDEX bodies_active_name ON bodies (active, name);
