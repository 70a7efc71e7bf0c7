// The directory kept current without a developer (#28): Administration › Organismes and › Lieux
// export the lists, import them back (preview, then confirm: one batch, the directory's version
// moved once), close what a full list leaves out (a body's requests stay, the analysts are told),
// and refuse a bad file with each bad line named and nothing written. Real local worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { signIn, exportCsv, importCsv, confirmImport, adminForm } from './support/agent.mjs';
import { VALID, apiSubmit } from './support/forms.mjs';

let w;
let admin;
before(async () => {
  w = await startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '1000', SUBMIT_LIMIT_PER_HOUR: '100000' } });
  admin = await signIn(w, 'admin@milie.local');
});
after(async () => { await w?.stop(); });

const version = async () => (await sql(w.dir, 'SELECT version FROM directory_version'))[0].version;
const staged = async () => (await sql(w.dir, 'SELECT count(*) AS n FROM directory_imports'))[0].n;
const text = (bytes) => bytes.toString('utf8');
/** The CSV lines of an export, without its BOM. */
const lines = (csv) => text(csv).replace(/^\ufeff/, '').split(/\r?\n/).filter(Boolean);

test('exports in the import\'s shape; an export imported back changes nothing', async () => {
  for (const list of ['organismes', 'lieux']) {
    const { status, headers, csv } = await exportCsv(w, admin, list);
    assert.equal(status, 200);
    assert.match(headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(headers.get('content-disposition'), new RegExp(`attachment; filename="milie-${list}-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    assert.match(headers.get('cache-control'), /no-store/);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for spreadsheets');
    const before = await version();
    const imported = await importCsv(w, admin, list, csv);
    assert.equal(imported.status, 303, imported.html.slice(0, 500));
    assert.match(imported.html, /Rien à changer : le fichier décrit l&#39;annuaire tel qu&#39;il est\./);
    assert.doesNotMatch(imported.html, /Confirmer l&#39;import/, 'nothing to confirm');
    assert.equal(await version(), before, 'nothing written');
  }
  const bodies = lines((await exportCsv(w, admin, 'organismes')).csv);
  assert.equal(bodies[0], 'name,acronym,kind,holder,website,phone,email,address,source,source_date,evidence,confidence,id,anciennement,gouvernement,source_contacts');
  assert.equal(bodies.length, 1 + 47);
  assert.ok(bodies.some((l) => l.startsWith('Haute Autorité pour la Bonne Gouvernance,HABG,') && l.includes(',800 800 11 (numéro vert),')));
  assert.ok(bodies.some((l) => l.includes(",\"'+225 27 20 22 55 00\",") || l.includes(",'+225 27 20 22 55 00,")), 'a cell a spreadsheet would compute is quoted as text');
  const places = lines((await exportCsv(w, admin, 'lieux')).csv);
  assert.equal(places[0], 'type,pcode,nom,slug,rattachement,latitude,longitude,point');
  assert.equal(places.length, 1 + 14 + 31 + 108 + 120 + 508 + 5015);
  assert.ok(places.includes('sous_prefecture,CI010102,Anyama,sous-prefecture-anyama,CI0101,5.49462,-4.05183,seat'));
  assert.ok(places.includes('departement,CI1103,Bouaké,departement-bouake,CI11,,,'));
});

test('a body changed, one added, one left out: previewed, then confirmed in one batch that moves the version once; the closed body keeps its requests and the analysts are told', async () => {
  // A request still in hand with the body about to be closed (the CIE).
  const [{ id: cie }] = await sql(w.dir, "SELECT id FROM bodies WHERE acronym = 'CIE'");
  const created = await apiSubmit(w.url, { ...VALID, organisme: String(cie), email: 'client.cie@example.ci' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const code = created.json.code;

  const rows = lines((await exportCsv(w, admin, 'organismes')).csv);
  const header = rows[0];
  const edited = rows.slice(1)
    .filter((l) => !l.startsWith('Compagnie Ivoirienne d\'Électricité,'))
    .map((l) => (l.startsWith('Caisse Nationale de Prévoyance Sociale,') ? l.replace(',www.cnps.ci,,info@cnps.ci,', ',www.cnps.ci,+225 27 20 25 21 00,info@cnps.ci,') : l));
  edited.push('Autorité de Régulation des Marchés Publics,ARMP,autorité administrative indépendante,,www.armp.ci,,,,https://www.armp.ci,2026-02-01,,confirmed,,,,');
  const before = await version();
  const imported = await importCsv(w, admin, 'organismes', [header, ...edited].join('\n') + '\n');
  assert.equal(imported.status, 303, imported.html.slice(0, 500));
  assert.match(imported.location, /^\/agent\/admin\/organismes\/import\/\d+$/);
  assert.match(imported.html, /1 à ajouter, 1 à modifier, 1 à fermer, 45 inchangés\./);
  assert.match(imported.html, /<th scope="row">Autorité de Régulation des Marchés Publics<\/th>/);
  assert.match(imported.html, /<th scope="row">Caisse Nationale de Prévoyance Sociale<\/th><td data-label="Ce qui change">téléphones<\/td>/);
  assert.match(imported.html, /<th scope="row">Compagnie Ivoirienne d&#39;Électricité<\/th>/);
  assert.match(imported.html, /Un organisme fermé ne reçoit plus de requêtes/);
  assert.equal(await version(), before, 'a preview writes nothing');

  const confirmed = await confirmImport(w, admin, imported.location);
  assert.equal(confirmed.status, 303, confirmed.html.slice(0, 500));
  assert.match(confirmed.html, /Import enregistré : 1 ajoutés, 1 modifiés, 1 fermés\./);
  assert.equal(await version(), before + 1, 'the version moves once');
  assert.deepEqual(await sql(w.dir, `SELECT id FROM directory_imports WHERE id = ${imported.location.split('/').pop()}`), [], 'the kept file is forgotten');
  const [cnps] = await sql(w.dir, "SELECT phones FROM bodies WHERE acronym = 'IPS-CNPS'");
  assert.deepEqual(JSON.parse(cnps.phones), [{ display: '+225 27 20 25 21 00', e164: '+2252720252100' }]);
  assert.deepEqual(await sql(w.dir, `SELECT active FROM bodies WHERE id = ${cie}`), [{ active: 0 }], 'closed, never deleted');
  assert.deepEqual(await sql(w.dir, `SELECT body_id FROM requests WHERE code = '${code}'`), [{ body_id: cie }], 'its requests stay');
  const { organismes } = await (await fetch(`${w.url}/api/v1/organismes`)).json();
  assert.ok(!organismes.some((o) => o.id === cie), 'no longer in the directory');
  const armp = organismes.find((o) => o.acronym === 'ARMP');
  assert.deepEqual([armp.source, armp.source_date, armp.website], ['https://www.armp.ci', '2026-02-01', 'www.armp.ci']);
  // The analysts (hourly by default) have a notice for the request to reassign.
  assert.deepEqual(await sql(w.dir, `SELECT s.email, n.alert FROM staff_notices n JOIN staff s ON s.id = n.staff_id WHERE n.request_id = (SELECT id FROM requests WHERE code = '${code}') AND n.alert = 'body_closed'`),
    [{ email: 'analyste@milie.local', alert: 'body_closed' }]);
  const [audit] = await sql(w.dir, "SELECT action, target, detail FROM audit_log WHERE action = 'body.import' ORDER BY id DESC LIMIT 1");
  assert.equal(audit.target, 'bodies');
  assert.match(audit.detail, /^1 added, 1 changed, 1 closed: Compagnie Ivoirienne d'Électricité$/);
  // A new submission to the closed body is refused; the export no longer has it, and imports back as is.
  assert.equal((await apiSubmit(w.url, { ...VALID, organisme: String(cie) })).status, 422);
  const again = await importCsv(w, admin, 'organismes', (await exportCsv(w, admin, 'organismes')).csv);
  assert.match(again.html, /Rien à changer/);
  // Named again in a file, it is reopened.
  const reopen = await importCsv(w, admin, 'organismes', `${header}\n${edited.join('\n')}\nCompagnie Ivoirienne d'Électricité,CIE,concessionnaire (électricité),,,,,,https://anoumabo.ci/fr/x,2025-06,,,${cie},,,\n`);
  assert.match(reopen.html, /0 à ajouter, 1 à modifier, 0 à fermer/);
  assert.match(reopen.html, /rouvert/);
});

test('a bad bodies\' file names each bad line and writes nothing', async () => {
  const before = [await version(), (await sql(w.dir, 'SELECT count(*) AS n FROM bodies'))[0].n, await staged()];
  const header = 'name,acronym,kind,holder,website,phone,email,address,source,source_date,evidence,confidence';
  const bad = await importCsv(w, admin, 'organismes', [
    header,
    'Ministère des Eaux et Forêts,,,,,20217267,,,https://a.ci,2026-01-28,,',
    'Ministère des eaux et forêts,,,,,,,,https://a.ci,,,',
    'Office A,,,,,pas un numéro,,,https://a.ci,,,',
    'Office B,,,,,,courriel@,,https://a.ci,,,',
    'Office C,,,,,,,,https://a.ci,janvier,,',
    'Office D,,,,,',
    'Office E,,,,pas un site,,,,https://a.ci,,,',
  ].join('\n') + '\n');
  assert.equal(bad.status, 422);
  for (const message of [
    /Ligne 3 : nom en double : « Ministère des eaux et forêts » \(déjà ligne 2\)/,
    /Ligne 4 : numéro de téléphone illisible : « pas un numéro »/,
    /Ligne 5 : adresse électronique invalide : « courriel@ »/,
    /Ligne 6 : date illisible : « janvier »/,
    /Ligne 7 : 6 colonnes au lieu de 12/,
    /Ligne 8 : site web illisible : « pas un site »/,
  ]) assert.match(bad.html, message);
  assert.match(bad.html, /Le fichier n&#39;a pas été importé et rien n&#39;a changé/);
  const missing = await importCsv(w, admin, 'organismes', 'acronym,phone\nX,180\n');
  assert.equal(missing.status, 422);
  assert.match(missing.html, /Ligne 1 : colonne manquante : nom/);
  // Saved by a spreadsheet in Windows-1252, not UTF-8: the lines with accents named.
  const latin1 = Buffer.from(`${header}\nOffice F,,,,,,,,https://a.ci,,,\nMinist\xe8re G,,,,,,,,https://a.ci,,,\n`, 'latin1');
  const notUtf8 = await importCsv(w, admin, 'organismes', latin1);
  assert.equal(notUtf8.status, 422);
  assert.match(notUtf8.html, /Ligne 3 : pas en UTF-8/);
  assert.doesNotMatch(notUtf8.html, /Ligne 2 :/);
  assert.deepEqual([await version(), (await sql(w.dir, 'SELECT count(*) AS n FROM bodies'))[0].n, await staged()], before, 'nothing written');
});

test('places: a village added under a sous-préfecture by its P-code, one moved, one left out; bad lines named', async () => {
  const rows = lines((await exportCsv(w, admin, 'lieux')).csv);
  const [header] = rows;
  const village = rows.find((l) => l.startsWith('localite,,Zyogouiné,'));
  const gone = rows.find((l) => l.startsWith('localite,,Abata,'));
  assert.ok(village && gone);
  const edited = rows.slice(1).filter((l) => l !== gone).map((l) => (l === village ? l.replace(/,7\.19246,-7\.64056,$/, ',7.1930,-7.6410,') : l));
  edited.push('localite,,Kouadiokro-Nouveau,,CI110301,7.71,-5.01,');
  const before = await version();
  const imported = await importCsv(w, admin, 'lieux', [header, ...edited].join('\n') + '\n');
  assert.equal(imported.status, 303, imported.html.slice(0, 500));
  assert.match(imported.html, /1 à ajouter, 1 à modifier, 1 à fermer/);
  const confirmed = await confirmImport(w, admin, imported.location);
  assert.equal(confirmed.status, 303, confirmed.html.slice(0, 500));
  assert.equal(await version(), before + 1);
  const { localites } = await (await fetch(`${w.url}/api/v1/localites?type=localite&q=kouadiokro-nouveau`)).json();
  assert.deepEqual(localites.map((p) => [p.name, p.sous_prefecture, p.parents[0].pcode]), [['Kouadiokro-Nouveau', 'Bouaké', 'CI110301']]);
  assert.ok(!(await (await fetch(`${w.url}/api/v1/localites?type=localite&q=abata`)).json()).localites.some((p) => p.name === 'Abata'), 'closed');
  assert.deepEqual(await sql(w.dir, "SELECT lat, lon FROM places WHERE name = 'Zyogouiné'"), [{ lat: 7.193, lon: -7.641 }]);

  const bad = await importCsv(w, admin, 'lieux', [
    header,
    'district,,Vallée du Bandama,district-vallee-du-bandama,,,,',
    'region,CI11,Gbêkê,region-gbeke,district-vallee-du-bandama,,,',
    'departement,CI1103,Bouaké,departement-bouake,CI11,,,',
    'sous_prefecture,CI110399,Nulle Part,,CI1199,,,',
    'sous_prefecture,CI110301,Bouaké,sous-prefecture-bouake,CI1103,7.69385,-5.03031,seat',
    'commune,,Bouaké,,CI1103,,,',
    'commune,,Bouaké,,CI1103,,,',
    'commune,CI1103,Sakassou,,CI1103,,,',
    'localite,,Sans rattachement,,,,,',
  ].join('\n') + '\n');
  assert.equal(bad.status, 422);
  assert.match(bad.html, /Ligne 9 : les communes et les localités n&#39;ont pas de P-code OCHA : CI1103/);
  assert.match(bad.html, /Ligne 10 : rattachement manquant/);
  const unknown = await importCsv(w, admin, 'lieux', [header, 'district,,Vallée du Bandama,,,,,', 'region,CI11,Gbêkê,,Vallée du Bandama,,,', 'sous_prefecture,CI119901,Nulle Part,,CI1199,,,'].join('\n') + '\n');
  assert.match(unknown.html, /Ligne 4 : P-code inconnu : CI1199/);
  const twice = await importCsv(w, admin, 'lieux', [header, 'district,,Vallée du Bandama,,,,,', 'region,CI11,Gbêkê,,Vallée du Bandama,,,', 'departement,CI1103,Bouaké,,CI11,,,', 'commune,,Bouaké,,CI1103,,,', 'commune,,Bouaké,,CI1103,,,'].join('\n') + '\n');
  assert.match(twice.html, /Ligne 6 : le même que la ligne 5/);
  const noType = await importCsv(w, admin, 'lieux', 'nom,rattachement\nX,CI11\n');
  assert.match(noType.html, /Ligne 1 : colonne manquante : type/);
  assert.equal(await version(), before + 1, 'nothing written by the bad files');
});

test('a preview confirmed after the directory moved is shown again, up to date, and nothing is written', async () => {
  const rows = lines((await exportCsv(w, admin, 'organismes')).csv);
  const edited = rows.map((l) => (l.startsWith('Office National de la Protection Civile,') ? l.replace('180; +225 27 22 47 87 00', '180') : l));
  const imported = await importCsv(w, admin, 'organismes', edited.join('\n') + '\n');
  assert.match(imported.html, /0 à ajouter, 1 à modifier, 0 à fermer/);
  const shown = Number(imported.html.match(/name="version" value="(\d+)"/)[1]);
  // Meanwhile another admin edits a body.
  const [{ id }] = await sql(w.dir, "SELECT id FROM bodies WHERE slug = 'eaux-forets'");
  const edit = await adminForm(w, admin, `/agent/admin/organismes/${id}`, { nom: 'Ministère des Eaux et Forêts', telephones: '20217267', localisation: 'Plateau', delai_examen: '15', delai_traitement: '60', actif: '1' }, { from: `/agent/admin/organismes/${id}` });
  assert.equal(edit.status, 303);
  const late = await confirmImport(w, admin, imported.location, { version: shown });
  assert.equal(late.status, 409);
  assert.match(late.html, /L&#39;annuaire a changé depuis cet aperçu/);
  assert.deepEqual(JSON.parse((await sql(w.dir, "SELECT phones FROM bodies WHERE acronym = 'ONPC'"))[0].phones).length, 2, 'nothing written');
  // Confirmed against the preview shown again, it goes through.
  const ok = await confirmImport(w, admin, imported.location);
  assert.equal(ok.status, 303);
  assert.deepEqual(JSON.parse((await sql(w.dir, "SELECT phones FROM bodies WHERE acronym = 'ONPC'"))[0].phones), [{ display: '180', e164: '180' }]);
  // A preview gone (an hour later, or confirmed already) says so.
  const gone = await fetch(w.url + imported.location, { headers: { cookie: admin, 'accept-language': 'fr' } });
  assert.equal(gone.status, 404);
  assert.match(await gone.text(), /Cet aperçu n&#39;existe plus/);
});

test('only admins import and export', async () => {
  const analyst = await signIn(w, 'analyste@milie.local');
  assert.equal((await exportCsv(w, analyst, 'organismes')).status, 403);
  assert.equal((await exportCsv(w, '', 'lieux')).status, 303);
});
