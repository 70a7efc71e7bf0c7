-- Localities (towns and villages, from GeoNames: schema/seed/07_localities.sql) become places of
-- their own kind, listed under their region or district. SQLite cannot widen a CHECK in place, so
-- the table is rebuilt with the same ids (requests keep their place); foreign keys are checked at
-- the end of the migration's transaction, once every row is back (D1: PRAGMA defer_foreign_keys).
PRAGMA defer_foreign_keys = on;

CREATE TABLE places_before_0018 AS SELECT id, slug, kind, name, parent_id, active, lat, lon FROM places;
DROP TABLE places;
CREATE TABLE places (
  id        INTEGER PRIMARY KEY,
  slug      TEXT NOT NULL UNIQUE,
  kind      TEXT NOT NULL CHECK (kind IN ('district', 'region', 'commune', 'sous_prefecture', 'localite')),
  name      TEXT NOT NULL,
  parent_id INTEGER REFERENCES places(id),
  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  lat       REAL,
  lon       REAL
);
INSERT INTO places (id, slug, kind, name, parent_id, active, lat, lon)
SELECT id, slug, kind, name, parent_id, active, lat, lon FROM places_before_0018 ORDER BY id;
DROP TABLE places_before_0018;
CREATE INDEX places_parent ON places (parent_id);
-- The form's list and the API read places by kind.
CREATE INDEX places_kind ON places (kind, active);
CREATE TRIGGER places_version_insert AFTER INSERT ON places BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_update AFTER UPDATE ON places BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_delete AFTER DELETE ON places BEGIN UPDATE directory_version SET version = version + 1; END;
UPDATE directory_version SET version = version + 1;

PRAGMA defer_foreign_keys = off;
