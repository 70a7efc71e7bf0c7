-- What a partner sent comes back to that partner (issue 35, item 13): the key that submitted a
-- request (its description, its media links and its position are read back by that key only),
-- and every media link it gave, kept as the request's links (files are attachments).
ALTER TABLE requests ADD COLUMN api_key_id INTEGER REFERENCES api_keys(id);
CREATE TABLE request_links (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  position   INTEGER NOT NULL,
  url        TEXT NOT NULL CHECK (length(url) BETWEEN 8 AND 500),
  UNIQUE (request_id, position)
);
