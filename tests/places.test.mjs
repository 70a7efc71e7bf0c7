// The whole country (#28): 508 sous-préfectures with their P-codes, points and parents, the
// départements, régions and districts above them; «ma position» named by the sous-préfecture whose
// polygon holds it, then the nearest town or village inside it; abroad across the border; and the
// statistics by région and département. Real local worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';

let w;
before(async () => { w = await startWorker(); });
after(async () => { await w?.stop(); });

const api = async (path) => {
  const res = await fetch(w.url + path, { headers: { 'accept-language': 'fr' } });
  return { status: res.status, headers: res.headers, json: await res.json() };
};
const near = async (lat, lon) => (await api(`/api/v1/localites/proche?lat=${lat}&lon=${lon}`)).json;

test('GET /api/v1/localites?type=sous_prefecture lists the 508, each with its P-code, a point and its parents', async () => {
  const { status, json } = await api('/api/v1/localites?type=sous_prefecture');
  assert.equal(status, 200);
  assert.equal(json.count, 508);
  assert.match(json.source, /CNTIG, OCHA, ITOS.*CC BY 3\.0 IGO/);
  const codes = new Set();
  for (const sp of json.localites) {
    assert.equal(sp.type, 'sous_prefecture');
    assert.match(sp.pcode, /^CI\d{6}$/, sp.name);
    codes.add(sp.pcode);
    assert.ok(sp.departement && sp.region && sp.district, `${sp.name}: its parents`);
    assert.ok(typeof sp.lat === 'number' && typeof sp.lon === 'number', `${sp.name}: a point`);
    assert.ok(['seat', 'centroid'].includes(sp.point), sp.name);
    assert.deepEqual(sp.parents.map((p) => p.type), sp.region === sp.district ? ['departement', 'district'] : ['departement', 'region', 'district'], sp.name);
    assert.ok(sp.pcode.startsWith(sp.parents[0].pcode), `${sp.name}: under its département's P-code`);
  }
  assert.equal(codes.size, 508);
  assert.ok(!codes.has('CI010101') && !codes.has('CI080104'), 'the urban communes of Abidjan and a park are not sous-préfectures');
  assert.ok(json.localites.filter((sp) => sp.point === 'seat').length > 400);
  const anyama = json.localites.find((sp) => sp.pcode === 'CI010102');
  assert.deepEqual([anyama.name, anyama.departement, anyama.region, anyama.district, anyama.point, anyama.lat, anyama.lon],
    ['Anyama', 'Abidjan', 'District autonome d\'Abidjan', 'District autonome d\'Abidjan', 'seat', 5.49462, -4.05183]);
  // Names with their accents; homonyms in two départements kept apart by their P-code.
  assert.ok(json.localites.some((sp) => sp.name === 'Brofodoumé'));
  assert.equal(json.localites.filter((sp) => sp.name === 'Guézon').length, 2);
});

test('108 départements, 31 régions, 14 districts; the régions\' names are the project\'s, with their accents', async () => {
  const count = async (type) => (await api(`/api/v1/localites?type=${type}`)).json;
  const depts = await count('departement');
  assert.equal(depts.count, 108);
  for (const d of depts.localites) assert.match(d.pcode, /^CI\d{4}$/, d.name);
  assert.ok(depts.localites.some((d) => d.name === 'Odienné' && d.region === 'Kabadougou'));
  const regions = await count('region');
  assert.equal(regions.count, 31);
  assert.ok(regions.localites.some((r) => r.name === 'La Mé' && r.pcode === 'CI24'));
  assert.ok(regions.localites.some((r) => r.name === 'Gbêkê' && r.pcode === 'CI11'));
  const districts = await count('district');
  assert.equal(districts.count, 14);
  assert.deepEqual(districts.localites.filter((d) => d.pcode).map((d) => [d.name, d.pcode]).sort(),
    [['District autonome d\'Abidjan', 'CI01'], ['District autonome de Yamoussoukro', 'CI02']]);
  // By default, only the places a request can name.
  const all = (await api('/api/v1/localites')).json;
  assert.equal(all.count, 120 + 508 + 5015);
});

test('the ten communes of Abidjan have coordinates, under the département of Abidjan', async () => {
  const { json } = await api('/api/v1/localites?type=commune');
  const abidjan = json.localites.filter((c) => c.departement === 'Abidjan');
  for (const name of ['Abobo', 'Adjamé', 'Attécoubé', 'Cocody', 'Koumassi', 'Marcory', 'Plateau', 'Port-Bouët', 'Treichville', 'Yopougon']) {
    const c = abidjan.find((x) => x.name === name);
    assert.ok(c && typeof c.lat === 'number' && typeof c.lon === 'number', name);
  }
  assert.deepEqual([abidjan.find((c) => c.name === 'Cocody').lat, abidjan.find((c) => c.name === 'Cocody').lon], [5.33507, -4.0039]);
});

test('every sous-préfecture\'s own point comes back with that sous-préfecture, and a town or village inside it', async () => {
  const { json } = await api('/api/v1/localites?type=sous_prefecture');
  const wrong = [];
  for (const sp of json.localites) {
    const found = await near(sp.lat, sp.lon);
    if (found.sous_prefecture?.pcode !== sp.pcode || found.etranger) wrong.push(`${sp.pcode} ${sp.name} → ${found.sous_prefecture?.pcode}`);
    else if (found.localite.type !== 'sous_prefecture' && found.localite.sous_prefecture !== sp.name && found.localite.type !== 'commune') wrong.push(`${sp.name}: ${found.localite.name} is not inside`);
  }
  assert.deepEqual(wrong, []);
});

test('«ma position»: the polygon decides, then the nearest town or village inside it; abroad across the border', async () => {
  // Korhogo's town centre (GeoNames), in the sous-préfecture of Korhogo.
  const korhogo = await near(9.45803, -5.62961);
  assert.deepEqual([korhogo.sous_prefecture.name, korhogo.sous_prefecture.pcode, korhogo.localite.name, korhogo.etranger], ['Korhogo', korhogo.sous_prefecture.pcode, 'Korhogo', false]);
  assert.match(korhogo.sous_prefecture.pcode, /^CI28\d{4}$/);
  // A position in Cocody: the urban communes' area (no sous-préfecture), the commune named.
  const cocody = await near(5.3450, -3.9900);
  assert.deepEqual([cocody.sous_prefecture, cocody.zone.pcode, cocody.localite.type], [null, 'CI010101', 'commune']);
  // Positions just across the border are abroad: Elubo (Ghana), Harper (Liberia), Niangoloko (Burkina Faso), Bole (Ghana).
  for (const [lat, lon] of [[5.2833, -2.7667], [4.375, -7.717], [10.2794, -4.922], [9.0312, -2.4855]]) {
    assert.deepEqual(await near(lat, lon), { localite: null, etranger: true }, `${lat}, ${lon}`);
  }
  // Each town or village answered is the nearest inside the polygon, never a nearer one across the line.
  const { json: villages } = await api('/api/v1/localites?type=localite&q=zyogouine');
  const z = villages.localites[0];
  const at = await near(z.lat, z.lon);
  assert.deepEqual([at.localite.name, at.sous_prefecture.name], ['Zyogouiné', z.sous_prefecture]);
});

test('a position that is not one is refused: 422 (not a number, outside the world), 400 (missing); never cached', async () => {
  for (const q of ['lat=abc&lon=-4', 'lat=5.3&lon=x', 'lat=91&lon=0', 'lat=0&lon=181', 'lat=NaN&lon=1', 'lat=Infinity&lon=1', 'lat=5,3&lon=-4', 'lat=5.3&lon=']) {
    const res = await api(`/api/v1/localites/proche?${q}`);
    assert.equal(res.status, 422, q);
    assert.ok(res.json.error, q);
  }
  assert.equal((await api('/api/v1/localites/proche')).status, 400);
  const ok = await api('/api/v1/localites/proche?lat=7.69385&lon=-5.03031');
  assert.match(ok.headers.get('cache-control'), /no-store/);
});

test('the towns and villages are under the sous-préfecture whose polygon holds them', async () => {
  const { json } = await api('/api/v1/localites?type=localite');
  assert.equal(json.count, 5015);
  const underSp = json.localites.filter((p) => p.parents[0]?.type === 'sous_prefecture');
  assert.ok(underSp.length >= 5000, `${underSp.length}`);
  // Inside the urban communes of Abidjan: under the département of Abidjan.
  assert.ok(json.localites.filter((p) => p.parents[0]?.type === 'departement').every((p) => ['Abidjan', 'Bouna'].includes(p.departement)));
});

test('statistics by région and département: counts, share on time, median days, with names and P-codes; small counts suppressed', async () => {
  const DAY = 86_400_000;
  const now = Date.now();
  const today = now - (now % DAY);
  // Six réclamations in Korhogo (commune) and two in a village of Bouaké's sous-préfecture.
  const [{ id: korhogo }] = await sql(w.dir, "SELECT id FROM places WHERE slug = 'commune-korhogo'");
  const [{ id: village }] = await sql(w.dir, "SELECT p.id FROM places p JOIN places s ON s.id = p.parent_id WHERE p.kind = 'localite' AND s.pcode = 'CI110301' LIMIT 1");
  const rows = [];
  for (let i = 0; i < 8; i++) {
    const created = today - (10 - i) * DAY + 3_600_000;
    const treated = created + (i % 3) * DAY + 1000;
    rows.push(`('${80000000 + i}', 1, 'reclamation', ${i < 6 ? korhogo : village}, 'Message de statistiques.', 'CI', '', 'zones@example.ci', 'web', 'treated', ${created}, ${created}, ${treated}, ${created + 5 * DAY})`);
  }
  await sql(w.dir, `INSERT INTO requests (code, body_id, nature, place_id, message, country, phone, email, channel, stage, created_at, updated_at, treated_at, treatment_due_at) VALUES ${rows.join(', ')}`);
  await w.daily(now);
  const from = new Date(today - 30 * DAY).toISOString().slice(0, 10);
  const to = new Date(today).toISOString().slice(0, 10);
  const data = await (await fetch(`${w.url}/statistiques/donnees.json?du=${from}&au=${to}`)).json();
  const all = data.organismes.find((o) => o.organisme === 'tous').chiffres;
  const figure = (dimension, valeur) => all.find((c) => c.dimension === dimension && c.valeur === valeur);
  assert.deepEqual(figure('region', 'CI28'), { dimension: 'region', valeur: 'CI28', libelle: 'Poro', effectif: 6 });
  assert.deepEqual(figure('departement', 'CI2802'), { dimension: 'departement', valeur: 'CI2802', libelle: 'Korhogo', effectif: 6 });
  assert.equal(figure('region_traitees_dans_le_delai_pct', 'CI28').effectif, 100);
  assert.equal(figure('region_delai_traitement_median_jours', 'CI28').effectif, 1);
  // Two in Gbêkê: published as «fewer than 5», with no share nor median.
  assert.deepEqual([figure('region', 'CI11').effectif, figure('region_traitees_dans_le_delai_pct', 'CI11').effectif], [null, null]);
  const csv = await (await fetch(`${w.url}/statistiques/donnees.csv?du=${from}&au=${to}`)).text();
  assert.match(csv, /\ntous,,region,CI28,Poro,6\r?\n/);
  const page = await (await fetch(`${w.url}/statistiques?du=${from}&au=${to}`, { headers: { 'accept-language': 'fr' } })).text();
  assert.match(page, /<h2 id="regions-titre">Par région<\/h2>/);
  assert.match(page, /<th scope="row">Poro<\/th><td>CI28<\/td><td>6<\/td><td>100 %<\/td><td>1 jour\(s\)<\/td>/);
  assert.match(page, /<th scope="row">Gbêkê<\/th><td>CI11<\/td><td>moins de 5<\/td>/);
  assert.match(page, /<h2 id="departements-titre">Par département<\/h2>/);
  const en = await (await fetch(`${w.url}/statistiques?du=${from}&au=${to}&lang=en`)).text();
  assert.match(en, /By region/);
});
