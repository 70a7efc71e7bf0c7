-- Côte d'Ivoire's border as one ring of «lon lat» vertices (schema/seed/08_border.sql names its
-- public source): a position outside it is abroad, never matched to a border village.
CREATE TABLE border (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  source TEXT NOT NULL,
  ring TEXT NOT NULL
);
