-- Issue 32: the daily jobs work in bounded slices from indexes on what is due, never a scan of
-- history, and resume where they stopped (`domain::job`, `app::jobs::runner`).

-- Where each daily job stands: the day it is working through, its cursor, who holds it (a lease,
-- so a queue message and the five-minute cron never run the same slice twice at once), and its
-- failures in a row with when to try again and the last day the admins were told.
CREATE TABLE job_runs (
  job         TEXT PRIMARY KEY,
  day         TEXT NOT NULL,
  run_at      INTEGER NOT NULL,
  cursor      TEXT NOT NULL DEFAULT '',
  done        INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
  slices      INTEGER NOT NULL DEFAULT 0,
  failures    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0,
  -- Which invocation holds the lease: the one whose claim's answer was lost may claim again.
  lease_token TEXT NOT NULL DEFAULT '',
  last_error  TEXT,
  alerted_day TEXT,
  updated_at  INTEGER NOT NULL DEFAULT 0
);

-- Retention: a request's last activity (its last step other than a note, or its closure), kept
-- by the triggers below so the job reads an index instead of every request's history.
ALTER TABLE requests ADD COLUMN last_active_at INTEGER;
UPDATE requests SET last_active_at = max(coalesce(closed_at, 0), created_at,
  coalesce((SELECT max(e.at) FROM request_events e WHERE e.request_id = requests.id AND e.event <> 'note'), 0));
CREATE INDEX requests_retention ON requests (coalesce(last_active_at, created_at)) WHERE erased_at IS NULL;
CREATE TRIGGER requests_active_step AFTER INSERT ON request_events WHEN new.event <> 'note'
BEGIN
  UPDATE requests SET last_active_at = max(coalesce(last_active_at, created_at), new.at) WHERE id = new.request_id;
END;
CREATE TRIGGER requests_active_closed AFTER UPDATE OF closed_at ON requests WHEN new.closed_at IS NOT NULL
BEGIN
  UPDATE requests SET last_active_at = max(coalesce(last_active_at, created_at), new.closed_at) WHERE id = new.id;
END;

-- Verdicts: when the reminder of the current answer went out. Each answer gets its own (a
-- request reopened and answered again is reminded again, and closed two weeks after that one).
ALTER TABLE requests ADD COLUMN verdict_reminded_at INTEGER;
UPDATE requests SET verdict_reminded_at =
  (SELECT min(o.created_at) FROM outbox o WHERE o.request_id = requests.id AND o.template = 'verdict_reminder')
  WHERE stage = 'treated';
CREATE INDEX requests_verdict_due ON requests (verdict_reminded_at, treated_at) WHERE stage = 'treated';
CREATE TRIGGER requests_answered_again AFTER UPDATE OF stage ON requests
  WHEN new.stage = 'treated' AND old.stage <> 'treated'
BEGIN
  UPDATE requests SET verdict_reminded_at = NULL WHERE id = new.id;
END;

-- Digests: escalations read from an index (every deadline is written with its escalation).
UPDATE requests SET escalate_at = due_at + (
    SELECT CASE requests.stage WHEN 'awaiting_triage' THEN b.triage_days ELSE b.treatment_days END * 86400000
    FROM bodies b WHERE b.id = requests.body_id)
  WHERE escalate_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX requests_escalation ON requests (stage, escalate_at);
-- A focal point's digest: its body's requests in treatment, by deadline.
CREATE INDEX requests_body_due ON requests (stage, body_id, due_at);

-- Statistics: each request's share of `stats_facts` (its rows there), so that a change re-counts
-- that request alone — its old rows taken off, its new ones added, in one batch.
CREATE TABLE request_facts (
  request_id INTEGER NOT NULL,
  dimension  TEXT NOT NULL,
  value      TEXT NOT NULL,
  day        TEXT NOT NULL,
  body_id    INTEGER NOT NULL,
  PRIMARY KEY (request_id, dimension, value)
) WITHOUT ROWID;
-- The requests to re-count: every change that can move a figure marks its request.
CREATE TABLE stats_dirty (request_id INTEGER PRIMARY KEY);
CREATE TRIGGER stats_dirty_new AFTER INSERT ON requests
BEGIN
  INSERT OR IGNORE INTO stats_dirty (request_id) VALUES (new.id);
END;
CREATE TRIGGER stats_dirty_changed AFTER UPDATE OF body_id, nature, stage, theme_id, place_id, abroad_country,
    verdict, treated_at, treatment_due_at, created_at ON requests
BEGIN
  INSERT OR IGNORE INTO stats_dirty (request_id) VALUES (new.id);
END;
CREATE TRIGGER stats_dirty_step AFTER INSERT ON request_events
  WHEN new.event IN ('validated', 'forwarded', 'reopened', 'taken_into_account')
BEGIN
  INSERT OR IGNORE INTO stats_dirty (request_id) VALUES (new.request_id);
END;
-- Every request is counted again from its own rows: the old figures go, the job rebuilds them
-- slice by slice (the statistics page says when they were last computed).
DELETE FROM stats_facts;
INSERT OR IGNORE INTO stats_dirty (request_id) SELECT id FROM requests;
CREATE INDEX stats_facts_empty ON stats_facts (count) WHERE count <= 0;

-- Housekeeping: what is old, found by index.
CREATE INDEX rate_limits_window ON rate_limits (window_start);
CREATE INDEX tracking_otps_expiry ON tracking_otps (expires_at);
CREATE INDEX outbox_unattached ON outbox (created_at) WHERE request_id IS NULL;
