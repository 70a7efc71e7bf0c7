-- Seed data: the ten public bodies printed in the guide (shared/guide-milie-frontoffice.txt,
-- «C – INFORMATIONS / CONTACT DES ORGANISMES PUBLICS» and the «CHOIX DE L'ORGANISME PUBLIC» grid).
-- First fill: a body already there (by slug) is left as it is, so `make db` and every deploy can run
-- it again without undoing what 12_bodies.sql (the government of 2026, which carries these ten) or an
-- administrator changed since. Contacts for the guide's other 33 bodies are not printed there and
-- are not invented here.
--
-- Where the guide's two screens disagree:
--  * Enseignement Supérieur: the grid prints 20395464, the directory table 20335464.
--    The directory table is the reference for contacts, so 20335464 is kept.
--  * The table's screenshot cuts some text at the column edge («…(face Mairie du Plateau»,
--    «…Tour D, 28èm») and drops spaces after commas («Ministère d'Etat,Ministère…»,
--    «Plateau,Cité administrative…»); the grid prints the same text whole, which is kept.
--  * Budget: the table prints «Bvd Angoulvand», the grid «Blvd Angoulvand»; the table's is kept.
--
-- "display" is the number exactly as printed (2019, 8 digits). "e164" is the number to dial today:
-- since 31 January 2021 Ivorian numbers have 10 digits, and the historical operator's fixed
-- lines (20 xx xx xx, the ministries' Plateau lines) take the prefix 27.
INSERT INTO bodies (slug, name, phones, location) VALUES
  ('budget-portefeuille-etat',
   'Ministère du budget et du Portefeuille de l''Etat',
   '[{"display":"20211100","e164":"+2252720211100"},{"display":"20315000","e164":"+2252720315000"}]',
   'Plateau, non loin Bvd Angoulvand'),
  ('defense',
   'Ministère d''Etat, Ministère de la Défense',
   '[{"display":"20212674","e164":"+2252720212674"}]',
   'Plateau, Etat Major'),
  ('affaires-etrangeres',
   'Ministère des affaires étrangères',
   '[{"display":"20320888","e164":"+2252720320888"}]',
   'Plateau, bloc ministériel (face Mairie du Plateau)'),
  ('enseignement-superieur-recherche',
   'Ministère de l''Enseignement Supérieur et de la Recherche Scientifique',
   '[{"display":"20335464","e164":"+2252720335464"},{"display":"20210679","e164":"+2252720210679"}]',
   'Plateau, Cité administrative, Tour C'),
  ('education-nationale',
   'Ministère de l''Education Nationale',
   '[{"display":"20210534","e164":"+2252720210534"},{"display":"20210275","e164":"+2252720210275"}]',
   'Plateau, Cité administrative, Tour D, 28ème'),
  ('justice-droits-homme',
   'Garde des Sceaux, Ministère de la Justice et des Droits de l''Homme',
   '[{"display":"20320758","e164":"+2252720320758"}]',
   'Plateau, Immeuble symphonie, rue du commerce'),
  ('interieur-securite',
   'Ministère de l''Intérieur et de la Sécurité',
   '[{"display":"20258787","e164":"+2252720258787"},{"display":"20217603","e164":"+2252720217603"}]',
   'Plateau, Préfecture de police'),
  ('eaux-forets',
   'Ministère des Eaux et Forêts',
   '[{"display":"20217267","e164":"+2252720217267"},{"display":"20219406","e164":"+2252720219406"}]',
   'Plateau, Cité administrative, Tour D, 19ème étage'),
  ('integration-africaine-ivoiriens-exterieur',
   'Ministère de l''Intégration Africaine et des Ivoiriens à l''Extérieur',
   '[{"display":"20331212","e164":"+2252720331212"},{"display":"20224156","e164":"+2252720224156"}]',
   'Plateau, Cité administrative, Tour B'),
  ('agriculture-developpement-rural',
   'Ministère de l''Agriculture et du Développement Rural',
   '[{"display":"20214238","e164":"+2252720214238"},{"display":"20228135","e164":"+2252720228135"}]',
   'Plateau, Immeuble CAISTAB')
ON CONFLICT (slug) DO NOTHING;
