-- A version stamp of what submissions are checked against (bodies, themes, places, the citizen
-- channels, public holidays): workers keep that directory in memory and read it again only when the stamp moved.
-- Triggers bump it on every change, whichever code (or console) makes it.
CREATE TABLE directory_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE TRIGGER bodies_version_insert AFTER INSERT ON bodies BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER bodies_version_update AFTER UPDATE ON bodies BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER bodies_version_delete AFTER DELETE ON bodies BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER themes_version_insert AFTER INSERT ON themes BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER themes_version_update AFTER UPDATE ON themes BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER themes_version_delete AFTER DELETE ON themes BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_insert AFTER INSERT ON places BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_update AFTER UPDATE ON places BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER places_version_delete AFTER DELETE ON places BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER settings_version_insert AFTER INSERT ON settings WHEN NEW.key IN ('notify_email', 'notify_sms') BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER settings_version_update AFTER UPDATE ON settings WHEN NEW.key IN ('notify_email', 'notify_sms') BEGIN UPDATE directory_version SET version = version + 1; END;
-- New requests take their first deadline from the directory kept in memory: holidays are part of it.
CREATE TRIGGER holidays_version_insert AFTER INSERT ON holidays BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER holidays_version_update AFTER UPDATE ON holidays BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER holidays_version_delete AFTER DELETE ON holidays BEGIN UPDATE directory_version SET version = version + 1; END;
