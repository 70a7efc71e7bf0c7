-- Every citizen, with or without email (#16).

-- Where a place is (decimal degrees, WGS 84), when a public source gives it: the nearest place to
-- a position (Open311's lat/long, «Utiliser ma position») and what `GET /api/v1/localites` shows.
ALTER TABLE places ADD COLUMN lat REAL;
ALTER TABLE places ADD COLUMN lon REAL;

-- The position and address a partner sent (Open311 `lat`/`long`, `address_string`), kept for staff;
-- what Open311 shows publicly is the chosen place's own coordinates, never these.
ALTER TABLE requests ADD COLUMN lat REAL;
ALTER TABLE requests ADD COLUMN lon REAL;
ALTER TABLE requests ADD COLUMN address TEXT;

-- `phone` and `email` stay NOT NULL as created in 0002: «» means «not given» (either may be
-- missing, never both; `domain::contact`). Codes forgotten by a mobile are listed by phone.
CREATE INDEX requests_phone ON requests (phone) WHERE phone <> '';

-- One-time codes sent by SMS to open a request (code + mobile): a keyed digest only
-- (`domain::otp`), ten minutes, five tries, used once.
CREATE TABLE tracking_otps (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  reference  TEXT NOT NULL UNIQUE,
  digest     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  tries      INTEGER NOT NULL DEFAULT 0 CHECK (tries >= 0),
  used_at    INTEGER
);
CREATE INDEX tracking_otps_request ON tracking_otps (request_id, created_at);
