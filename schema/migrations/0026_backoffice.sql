-- The back office at the level of the field's reference systems (issue 31).

-- Who holds a request within its body: changed only by the staff actions «Je m'en charge»,
-- «Attribuer à» and «Rendre à la file» (domain::staff_action), each with its history row.
ALTER TABLE requests ADD COLUMN assignee_id INTEGER REFERENCES staff(id);
CREATE INDEX requests_assignee ON requests (assignee_id, stage) WHERE assignee_id IS NOT NULL;
-- A staff member away until this instant (ms): nothing is assigned to them meanwhile.
ALTER TABLE staff ADD COLUMN away_until INTEGER;

-- Duplicates: a merged request follows its main one (stage 'merged'); unmerging restores the
-- stage it had. The main one lists its followers through the index.
ALTER TABLE requests ADD COLUMN merged_into INTEGER REFERENCES requests(id);
ALTER TABLE requests ADD COLUMN stage_before_merge TEXT;
CREATE INDEX requests_merged_into ON requests (merged_into) WHERE merged_into IS NOT NULL;
-- Candidates of the same body and place are read at triage.
CREATE INDEX requests_body_theme_place ON requests (body_id, theme_id, place_id);
CREATE INDEX requests_body_position ON requests (body_id, lat) WHERE lat IS NOT NULL;

-- A history row's other party: the colleague a request was given to, the request a duplicate
-- was merged into (or, on the main one, the duplicate attached).
ALTER TABLE request_events ADD COLUMN subject_id INTEGER;

-- The audit trail: from where (the client's address as Cloudflare gives it) and which request.
ALTER TABLE audit_log ADD COLUMN ip TEXT;
ALTER TABLE audit_log ADD COLUMN request_id INTEGER REFERENCES requests(id);
CREATE INDEX audit_log_staff ON audit_log (staff_id, at);
CREATE INDEX audit_log_request ON audit_log (request_id, at) WHERE request_id IS NOT NULL;
CREATE INDEX audit_log_action ON audit_log (action, at);

-- Append-only: no statement may change a record, and none may delete one younger than the
-- retention setting (at least 365 days, 1 095 by default), measured by the database's own clock
-- so that no worker, whatever its clock, can shorten it. The daily purge deletes what is older.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log_append_only');
END;
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log
WHEN OLD.at >= unixepoch() * 1000 - 86400000 * max(365,
  coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'audit_retention_days'), 1095))
BEGIN
  SELECT RAISE(ABORT, 'audit_log_append_only');
END;
-- The retention itself cannot be set below a year, whoever writes it.
CREATE TRIGGER audit_retention_floor_insert BEFORE INSERT ON settings
WHEN NEW.key = 'audit_retention_days' AND (CAST(NEW.value AS INTEGER) < 365 OR CAST(NEW.value AS INTEGER) > 3650)
BEGIN
  SELECT RAISE(ABORT, 'audit_retention_out_of_bounds');
END;
CREATE TRIGGER audit_retention_floor_update BEFORE UPDATE ON settings
WHEN NEW.key = 'audit_retention_days' AND (CAST(NEW.value AS INTEGER) < 365 OR CAST(NEW.value AS INTEGER) > 3650)
BEGIN
  SELECT RAISE(ABORT, 'audit_retention_out_of_bounds');
END;
