-- When the request's current step is due: triage (stage 1) or the body's answer (stage 2),
-- computed at each transition from the body's deadlines; NULL while the citizen has the hand.
ALTER TABLE requests ADD COLUMN due_at INTEGER;
CREATE INDEX requests_due ON requests (stage, due_at);
