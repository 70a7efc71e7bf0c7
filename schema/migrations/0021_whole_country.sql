-- The whole country (#28): départements and the 508 sous-préfectures keyed by their OCHA P-code,
-- with a point and what it is; their polygons; today's government in the directory; imports that
-- administrators preview and confirm, applied in one batch that moves the directory's version once.

PRAGMA defer_foreign_keys = on;

-- Places gain the département kind, the OCHA P-code (régions CI03…, the autonomous districts acting
-- as régions CI01/CI02, départements CI0101…, sous-préfectures CI010102…) and what their point is:
-- the seat (GeoNames) or the centroid of the polygon. SQLite cannot widen a CHECK in place: the
-- table is rebuilt with the same ids (requests keep their place), as in 0018.
CREATE TABLE places_before_0021 AS SELECT id, slug, kind, name, parent_id, active, lat, lon FROM places;
DROP TABLE places;
CREATE TABLE places (
  id        INTEGER PRIMARY KEY,
  slug      TEXT NOT NULL UNIQUE,
  kind      TEXT NOT NULL CHECK (kind IN ('district', 'region', 'departement', 'commune', 'sous_prefecture', 'localite')),
  name      TEXT NOT NULL,
  parent_id INTEGER REFERENCES places(id),
  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  lat       REAL,
  lon       REAL,
  point     TEXT CHECK (point IN ('seat', 'centroid')),
  pcode     TEXT UNIQUE CHECK (pcode GLOB 'CI[0-9][0-9]*' AND length(pcode) IN (4, 6, 8))
);
INSERT INTO places (id, slug, kind, name, parent_id, active, lat, lon)
SELECT id, slug, kind, name, parent_id, active, lat, lon FROM places_before_0021 ORDER BY id;
DROP TABLE places_before_0021;
CREATE INDEX places_parent ON places (parent_id);
CREATE INDEX places_kind ON places (kind, active);

-- The polygons a position is looked up in (schema/seed/10_areas.sql names their public source):
-- one per sous-préfecture, and two OCHA polygons that are areas of a département (the urban
-- communes of Abidjan, the Parc National de Bona). Rings of «lon lat» vertices, separated by «;».
-- Read once per isolate, like the border; never part of a worker's bundle.
CREATE TABLE place_areas (
  pcode    TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  place_id INTEGER NOT NULL REFERENCES places(id),
  ring     TEXT NOT NULL
);
CREATE INDEX place_areas_place ON place_areas (place_id);

-- Bodies as bodies.csv describes them: acronym, kind, holder, website, the page each comes from and
-- its date (as the page gives it: «2026-01-23», «2026-01», «c. 2024», or blank when undated), a quote
-- and how sure the title is; the government they belong to (ISO date, blank for other bodies); the
-- names they were known by («anciennement …», a JSON array, searched too); where their contacts come
-- from when not from `source` (the 2019 guide).
ALTER TABLE bodies ADD COLUMN acronym TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN source_date TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN confidence TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN government TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN former_names TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(former_names) AND json_type(former_names) = 'array');
ALTER TABLE bodies ADD COLUMN contacts_source TEXT NOT NULL DEFAULT '';

-- Where each body already there comes from: the guide's ten (before 12_bodies.sql says more), and
-- the others an administrator added, dated the day they were.
UPDATE bodies SET source = 'Guide de l''utilisateur Miliê, front-office (4 février 2019), « Contact des organismes publics »',
  source_date = '2019-02-04'
WHERE slug IN ('budget-portefeuille-etat', 'defense', 'affaires-etrangeres', 'enseignement-superieur-recherche',
  'education-nationale', 'justice-droits-homme', 'interieur-securite', 'eaux-forets',
  'integration-africaine-ivoiriens-exterieur', 'agriculture-developpement-rural');
UPDATE bodies SET source = 'Administration Miliê', source_date = strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')
WHERE source = '';

-- Seeds that are applied once per database (and again when their content changes), so that what
-- administrators change afterwards is never undone by a later `make db` or deploy.
CREATE TABLE seed_ledger (
  seed       TEXT PRIMARY KEY,
  digest     TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);

-- An import an administrator previewed, waiting for «Confirmer»: the file as sent and the
-- directory's version it was checked against (a confirmation against a moved directory is
-- previewed again). Kept an hour.
CREATE TABLE directory_imports (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('bodies', 'places')),
  staff_id   INTEGER NOT NULL REFERENCES staff(id),
  version    INTEGER NOT NULL,
  content    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- The version stamp moves once per change, and once per import: an import's batch holds the
-- triggers (`held`) while it writes its rows, then moves the stamp itself.
ALTER TABLE directory_version ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));
DROP TRIGGER bodies_version_insert;
DROP TRIGGER bodies_version_update;
DROP TRIGGER bodies_version_delete;
DROP TRIGGER themes_version_insert;
DROP TRIGGER themes_version_update;
DROP TRIGGER themes_version_delete;
DROP TRIGGER settings_version_insert;
DROP TRIGGER settings_version_update;
DROP TRIGGER holidays_version_insert;
DROP TRIGGER holidays_version_update;
DROP TRIGGER holidays_version_delete;
CREATE TRIGGER bodies_version_insert AFTER INSERT ON bodies WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER bodies_version_update AFTER UPDATE ON bodies WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER bodies_version_delete AFTER DELETE ON bodies WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER themes_version_insert AFTER INSERT ON themes WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER themes_version_update AFTER UPDATE ON themes WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER themes_version_delete AFTER DELETE ON themes WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_insert AFTER INSERT ON places WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_update AFTER UPDATE ON places WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_delete AFTER DELETE ON places WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER settings_version_insert AFTER INSERT ON settings WHEN NEW.key IN ('notify_email', 'notify_sms') AND (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER settings_version_update AFTER UPDATE ON settings WHEN NEW.key IN ('notify_email', 'notify_sms') AND (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER holidays_version_insert AFTER INSERT ON holidays WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER holidays_version_update AFTER UPDATE ON holidays WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER holidays_version_delete AFTER DELETE ON holidays WHEN (SELECT held FROM directory_version WHERE id = 1) = 0 BEGIN UPDATE directory_version SET version = version + 1; END;
UPDATE directory_version SET version = version + 1;

PRAGMA defer_foreign_keys = off;
