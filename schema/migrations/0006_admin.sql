-- Deadlines per body (days): to triage a request, and for the body to answer a réclamation.
ALTER TABLE bodies ADD COLUMN triage_days INTEGER NOT NULL DEFAULT 15 CHECK (triage_days BETWEEN 1 AND 365);
ALTER TABLE bodies ADD COLUMN treatment_days INTEGER NOT NULL DEFAULT 60 CHECK (treatment_days BETWEEN 1 AND 365);

-- What admins did, for the record.
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  action   TEXT NOT NULL,
  target   TEXT NOT NULL,
  detail   TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
