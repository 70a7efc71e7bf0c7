-- Every request reaches its body (issue 14).
--
-- How often each staff member wants to hear of new work: 'immediate', 'hourly', 'daily' or 'none';
-- NULL is their role's default (immediately for focal points, hourly for analysts).
ALTER TABLE staff ADD COLUMN notify_pref TEXT CHECK (notify_pref IN ('immediate', 'hourly', 'daily', 'none'));
-- When this person's last summary left (hourly and daily summaries).
ALTER TABLE staff ADD COLUMN last_summary_at INTEGER;

-- What a staff member on a summary cadence is still to be told: written in the same batch as the
-- change that caused it, gathered into one summary mail (the outbox row it went out with).
CREATE TABLE staff_notices (
  id         INTEGER PRIMARY KEY,
  staff_id   INTEGER NOT NULL REFERENCES staff(id),
  request_id INTEGER NOT NULL REFERENCES requests(id),
  alert      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  outbox_id  INTEGER REFERENCES outbox(id)
);
CREATE INDEX staff_notices_pending ON staff_notices (staff_id, outbox_id);
CREATE INDEX staff_notices_outbox ON staff_notices (outbox_id);
