-- The security review (issue 15).
--
-- Open311 names a request by a public id of its own: random, never derived from the tracking code
-- (the code is half of the citizen's tracking secret and must never be listed). Existing rows get
-- one now; new rows get one from the worker at insert.
ALTER TABLE requests ADD COLUMN public_id TEXT;
UPDATE requests SET public_id = lower(hex(randomblob(8))) WHERE public_id IS NULL;
CREATE UNIQUE INDEX requests_public_id ON requests (public_id);

-- An idempotency key is scoped to its caller (stored as a hash, never as sent) and bound to the
-- payload it first came with: the same key with another payload is refused, never replayed.
ALTER TABLE requests ADD COLUMN idempotency_payload TEXT;
