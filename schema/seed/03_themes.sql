-- The general list of themes, offered for bodies that have not defined their own
-- (grouped as «Catégorie : Thème», like the guide's «Accueil : Espace d'accueil»). Idempotent.
WITH v(slug, category_fr, label_fr, category_en, label_en, position) AS (VALUES
  ('accueil-espace',        'Accueil',         'Espace d''accueil',                 'Reception',       'Reception area',                   10),
  ('accueil-comportement',  'Accueil',         'Comportement du personnel',         'Reception',       'Staff behaviour',                  20),
  ('accueil-attente',       'Accueil',         'Temps d''attente',                  'Reception',       'Waiting time',                     30),
  ('info-absence',          'Information',     'Absence de renseignements',         'Information',     'No information given',             40),
  ('info-orientation',      'Information',     'Orientation des usagers',           'Information',     'Guidance of users',                50),
  ('delais-traitement',     'Délais',          'Retard de traitement d''un dossier', 'Delays',          'Delay in handling a file',         60),
  ('delais-document',       'Délais',          'Délivrance d''un document',         'Delays',          'Issue of a document',              70),
  ('prestation-qualite',    'Prestations',     'Qualité du service rendu',          'Services',        'Quality of the service',           80),
  ('prestation-cout',       'Prestations',     'Coût ou frais demandés',            'Services',        'Cost or fees charged',             90),
  ('ethique-corruption',    'Éthique',         'Racket ou corruption',              'Ethics',          'Extortion or corruption',          100),
  ('locaux-etat',           'Infrastructures', 'État des locaux et équipements',    'Infrastructure',  'Condition of premises and equipment', 110),
  ('autre',                 'Autre',           'Autre préoccupation',               'Other',           'Other concern',                    120)
)
INSERT INTO themes (slug, body_id, category_fr, label_fr, category_en, label_en, position)
SELECT slug, NULL, category_fr, label_fr, category_en, label_en, position FROM v WHERE true
ON CONFLICT (coalesce(body_id, 0), slug) DO UPDATE SET
  category_fr = excluded.category_fr, label_fr = excluded.label_fr,
  category_en = excluded.category_en, label_en = excluded.label_en, position = excluded.position;
