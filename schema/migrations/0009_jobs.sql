-- Retention: when a request's personal data was erased (law n° 2013-450).
ALTER TABLE requests ADD COLUMN erased_at INTEGER;
CREATE INDEX requests_closed ON requests (stage, closed_at);

-- Daily rollups (UTC day = Abidjan day), so statistics never scan every request.
CREATE TABLE stats_daily (
  day             TEXT NOT NULL,
  body_id         INTEGER NOT NULL,
  nature          TEXT NOT NULL,
  received        INTEGER NOT NULL DEFAULT 0,
  validated       INTEGER NOT NULL DEFAULT 0,
  forwarded       INTEGER NOT NULL DEFAULT 0,
  treated         INTEGER NOT NULL DEFAULT 0,
  treated_on_time INTEGER NOT NULL DEFAULT 0,
  satisfied       INTEGER NOT NULL DEFAULT 0,
  partly          INTEGER NOT NULL DEFAULT 0,
  not_satisfied   INTEGER NOT NULL DEFAULT 0,
  without_verdict INTEGER NOT NULL DEFAULT 0,
  reopened        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, body_id, nature)
);
CREATE INDEX requests_created ON requests (created_at);
