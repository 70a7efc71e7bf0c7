-- Citizens without mobile data (#30): requests submitted from a handset's USSD menu, and acted on
-- by SMS replies. The request records its way in: `channel` gains 'ussd' and 'sms'. SQLite cannot
-- widen a CHECK in place; instead of rebuilding `requests` (its columns grow with other changes),
-- the column is renamed, a new one with the wider check added and filled, and the old one dropped
-- (a column's own CHECK does not prevent dropping it; nothing indexes or triggers on it).
ALTER TABLE requests RENAME COLUMN channel TO channel_before_0030;
ALTER TABLE requests ADD COLUMN channel TEXT NOT NULL DEFAULT 'web'
  CONSTRAINT requests_channel CHECK (channel IN ('web', 'api', 'phone', 'open311', 'ussd', 'sms'));
UPDATE requests SET channel = channel_before_0030;
ALTER TABLE requests DROP COLUMN channel_before_0030;

-- One USSD session per number (the key: the number hashed, never the number): the step and the
-- draft so far (JSON, `domain::ussd::Session`), the gateway's session (hashed), the text it last
-- sent and the answer it got (a retried callback gets the same answer). A session idle for 3
-- minutes is over; one left unfinished is offered again for 10 minutes, then deleted by the
-- 5-minute cron (it holds the message being typed).
CREATE TABLE ussd_sessions (
  number_key  TEXT PRIMARY KEY,
  session_key TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (json_valid(state)),
  seen        TEXT NOT NULL,
  answer      TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX ussd_sessions_updated ON ussd_sessions (updated_at);

-- The language a number chose on the USSD menu's first screen, for its next sessions and the SMS
-- answers it gets (the key: the number hashed).
CREATE TABLE channel_numbers (
  number_key TEXT PRIMARY KEY,
  lang       TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
  updated_at INTEGER NOT NULL
);
