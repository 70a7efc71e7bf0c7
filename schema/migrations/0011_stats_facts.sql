-- Statistics rollups, one generic table: for each day of receipt and body, how many of the requests
-- received that day fall under each (dimension, value). Dimensions: received/all, nature, stage,
-- theme (theme id or 'none'), place (place id, 'abroad' or 'none'), verdict, triage_days and
-- treatment_days (whole days, for medians and percentiles), on_time (yes/no), reopened (yes).
-- Recomputed by the daily job one day at a time, so the statistics page never reads `requests`.
DROP TABLE stats_daily;
CREATE TABLE stats_facts (
  day       TEXT NOT NULL,
  body_id   INTEGER NOT NULL,
  dimension TEXT NOT NULL,
  value     TEXT NOT NULL,
  count     INTEGER NOT NULL,
  PRIMARY KEY (day, body_id, dimension, value)
) WITHOUT ROWID;
CREATE INDEX stats_facts_dimension ON stats_facts (dimension, day);
