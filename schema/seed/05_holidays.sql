-- Public holidays of Côte d'Ivoire (law n° 97-10 as amended). Fixed and Christian feasts are
-- certain; the Muslim feasts (Lendemain de la Nuit du Destin, Aïd el-Fitr, Aïd el-Kébir, Maouloud)
-- follow the lunar calendar and are estimates until the government's yearly announcement:
-- admins correct them under Administration › Jours fériés.
INSERT OR IGNORE INTO holidays (day, label) VALUES
  ('2026-01-01', 'Jour de l''An'),
  ('2026-03-17', 'Lendemain de la Nuit du Destin'),
  ('2026-03-20', 'Aïd el-Fitr (fin du Ramadan)'),
  ('2026-04-06', 'Lundi de Pâques'),
  ('2026-05-01', 'Fête du Travail'),
  ('2026-05-14', 'Ascension'),
  ('2026-05-25', 'Lundi de Pentecôte'),
  ('2026-05-27', 'Aïd el-Kébir (Tabaski)'),
  ('2026-08-07', 'Fête nationale'),
  ('2026-08-15', 'Assomption'),
  ('2026-08-26', 'Maouloud'),
  ('2026-11-01', 'Toussaint'),
  ('2026-11-15', 'Journée nationale de la Paix'),
  ('2026-12-25', 'Noël'),
  ('2027-01-01', 'Jour de l''An'),
  ('2027-03-06', 'Lendemain de la Nuit du Destin'),
  ('2027-03-10', 'Aïd el-Fitr (fin du Ramadan)'),
  ('2027-03-29', 'Lundi de Pâques'),
  ('2027-05-01', 'Fête du Travail'),
  ('2027-05-06', 'Ascension'),
  ('2027-05-16', 'Aïd el-Kébir (Tabaski)'),
  ('2027-05-17', 'Lundi de Pentecôte'),
  ('2027-08-07', 'Fête nationale'),
  ('2027-08-15', 'Assomption'),
  ('2027-08-16', 'Maouloud'),
  ('2027-11-01', 'Toussaint'),
  ('2027-11-15', 'Journée nationale de la Paix'),
  ('2027-12-25', 'Noël');
