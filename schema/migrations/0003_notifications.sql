-- Every attempt to hand a notification to a provider, with the provider's id or error.
CREATE TABLE delivery_attempts (
  id          INTEGER PRIMARY KEY,
  outbox_id   INTEGER NOT NULL REFERENCES outbox(id),
  attempt     INTEGER NOT NULL,
  provider    TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('sending', 'delivered', 'temporary_failure', 'permanent_failure')),
  provider_id TEXT,
  error       TEXT,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id, attempt);

-- A consumer holds a row while it talks to the provider; an expired claim can be taken over.
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN provider_id TEXT;
CREATE INDEX outbox_request ON outbox (request_id);

-- OAuth access tokens of providers (Orange SMS), shared by all isolates until they expire.
CREATE TABLE provider_tokens (
  provider   TEXT PRIMARY KEY,
  token      TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
