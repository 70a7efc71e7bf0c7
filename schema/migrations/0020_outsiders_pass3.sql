-- The third outsiders' pass. A history row the citizen sees may carry a message only staff
-- read: the analyst's «Motif» when returning a request to the body is an instruction to the
-- body (domain::staff_action, `message_to_citizen`), while the row itself shows the citizen
-- that the request is back in treatment.
ALTER TABLE request_events ADD COLUMN note_visible INTEGER NOT NULL DEFAULT 1 CHECK (note_visible IN (0, 1));

-- The guard of conditional batches gets a name, so a refusal is told from any other failure by
-- the constraint it names (`app::store::constraint`), not by the wording of a message.
DROP TABLE batch_guard;
CREATE TABLE batch_guard (ok INTEGER NOT NULL CONSTRAINT batch_guard_ok CHECK (ok = 1));
