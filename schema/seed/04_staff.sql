-- Development staff accounts (local only): sign in at /agent with one of these addresses and read
-- the sign-in link in the dev inbox. Production accounts are created by an admin.
INSERT INTO staff (email, name, role, body_id) VALUES
  ('admin@milie.local', 'Administrateur Miliê', 'admin', NULL),
  ('analyste@milie.local', 'Analyste Miliê', 'analyst', NULL),
  ('point-focal.education@milie.local', 'Point focal Éducation nationale', 'focal_point',
     (SELECT id FROM bodies WHERE slug = 'education-nationale')),
  ('point-focal.defense@milie.local', 'Point focal Défense', 'focal_point',
     (SELECT id FROM bodies WHERE slug = 'defense'))
ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role, body_id = excluded.body_id;

INSERT INTO staff (email, name, role, body_id) VALUES
  ('telephone@milie.local', 'Opérateur téléphonique', 'phone_operator', NULL)
ON CONFLICT (email) DO UPDATE SET name = excluded.name, role = excluded.role, body_id = excluded.body_id;
