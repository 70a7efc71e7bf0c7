-- Open311's updates (servicerequestupdates): the history events a citizen sees, read by the time
-- they happened, oldest first. The index holds only the rows a citizen sees (the query's own
-- condition), ordered by time then id (the rowid every index carries).
CREATE INDEX request_events_at ON request_events (at) WHERE visible_to_citizen = 1;

-- Every body a request has been with, kept by triggers whichever code (or console) moves it: the
-- updates of a jurisdiction are those of its requests, including one reassigned away since, so
-- the partner that sent it to that body keeps hearing of it. Requests moved before this
-- migration are known by their present body only.
CREATE TABLE request_bodies (
  request_id INTEGER NOT NULL REFERENCES requests(id),
  body_id    INTEGER NOT NULL REFERENCES bodies(id),
  PRIMARY KEY (request_id, body_id)
) WITHOUT ROWID;
INSERT INTO request_bodies (request_id, body_id) SELECT id, body_id FROM requests;
CREATE TRIGGER requests_bodies_insert AFTER INSERT ON requests BEGIN
  INSERT OR IGNORE INTO request_bodies (request_id, body_id) VALUES (NEW.id, NEW.body_id);
END;
CREATE TRIGGER requests_bodies_update AFTER UPDATE OF body_id ON requests BEGIN
  INSERT OR IGNORE INTO request_bodies (request_id, body_id) VALUES (NEW.id, NEW.body_id);
END;
