-- Places of Côte d'Ivoire: districts > regions > communes / sous-préfectures.
CREATE TABLE places (
  id        INTEGER PRIMARY KEY,
  slug      TEXT NOT NULL UNIQUE,
  kind      TEXT NOT NULL CHECK (kind IN ('district', 'region', 'commune', 'sous_prefecture')),
  name      TEXT NOT NULL,
  parent_id INTEGER REFERENCES places(id),
  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX places_parent ON places (parent_id);

-- Themes per body («Accueil : Espace d'accueil»); body_id NULL = the general list, used by bodies without their own.
CREATE TABLE themes (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL,
  body_id     INTEGER REFERENCES bodies(id),
  category_fr TEXT NOT NULL,
  label_fr    TEXT NOT NULL,
  category_en TEXT NOT NULL,
  label_en    TEXT NOT NULL,
  position    INTEGER NOT NULL DEFAULT 0,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
-- One slug per body, and one per general list (NULL body ids are distinct in UNIQUE, hence the expression).
CREATE UNIQUE INDEX themes_body_slug ON themes (coalesce(body_id, 0), slug);

-- A citizen's request. The code is random (CSPRNG) and unique; idempotency_key makes a replayed
-- submission return the same request instead of a second one.
CREATE TABLE requests (
  id              INTEGER PRIMARY KEY,
  code            TEXT NOT NULL UNIQUE CHECK (length(code) = 8),
  body_id         INTEGER NOT NULL REFERENCES bodies(id),
  nature          TEXT NOT NULL CHECK (nature IN ('reclamation', 'observation', 'suggestion')),
  theme_id        INTEGER REFERENCES themes(id),
  place_id        INTEGER REFERENCES places(id),
  abroad_country  TEXT,
  abroad_city     TEXT,
  message         TEXT NOT NULL,
  last_name       TEXT,
  first_names     TEXT,
  country         TEXT NOT NULL,
  phone           TEXT NOT NULL,
  email           TEXT NOT NULL,
  lang            TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
  channel         TEXT NOT NULL CHECK (channel IN ('web', 'api', 'phone', 'open311')),
  stage           TEXT NOT NULL DEFAULT 'awaiting_triage',
  idempotency_key TEXT UNIQUE,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  CHECK (place_id IS NULL OR abroad_country IS NULL)
);
CREATE INDEX requests_email ON requests (email);
CREATE INDEX requests_stage_created ON requests (stage, created_at);
CREATE INDEX requests_body_stage ON requests (body_id, stage);

-- Files in R2. A file uploaded with a form that is not submitted yet (review page, or a form sent
-- back with errors) is «staged»: request_id NULL, tied to the form by form_key, swept after a day.
CREATE TABLE attachments (
  id         INTEGER PRIMARY KEY,
  r2_key     TEXT NOT NULL UNIQUE,
  form_key   TEXT NOT NULL,
  request_id INTEGER REFERENCES requests(id),
  file_name  TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png', 'webp')),
  size       INTEGER NOT NULL CHECK (size > 0),
  created_at INTEGER NOT NULL
);
CREATE INDEX attachments_request ON attachments (request_id);
CREATE INDEX attachments_form ON attachments (form_key);

-- Everything that happened to a request, in order: the history shown to staff and citizens.
CREATE TABLE request_events (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  at         INTEGER NOT NULL,
  event      TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  actor_id   INTEGER,
  from_stage TEXT,
  to_stage   TEXT,
  note       TEXT
);
CREATE INDEX request_events_request ON request_events (request_id, at);

-- Transactional outbox: notifications written in the same batch as the change that causes them.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_id      INTEGER REFERENCES requests(id),
  channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient       TEXT NOT NULL,
  template        TEXT NOT NULL,
  lang            TEXT NOT NULL CHECK (lang IN ('fr', 'en')),
  payload         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(payload)),
  status          TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending', 'enqueued', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  enqueued_at     INTEGER,
  sent_at         INTEGER,
  last_error      TEXT
);
CREATE INDEX outbox_status_created ON outbox (status, created_at);

-- Fixed-window counters for rate limits (submissions per IP, lookups per email…).
CREATE TABLE rate_limits (
  bucket       TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, window_start)
);
