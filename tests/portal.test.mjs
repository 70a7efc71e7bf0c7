// The portal skeleton and the bodies directory, over HTTP against the real local runtime.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const get = (path, init) => fetch(worker.url + path, { redirect: 'manual', ...init });

// The guide's ten bodies (2019) as the government of 23 January 2026 carries them: same slug and id,
// today's name, the old name kept when the ministry was renamed, the guide's contacts.
const GUIDE_BODIES = [
  ['budget-portefeuille-etat', 'Ministère des Finances et du Budget', 'Ministère du budget et du Portefeuille de l\'Etat', ['20211100', '20315000'], 'Plateau, non loin Bvd Angoulvand'],
  ['defense', 'Vice-Premier Ministre, Ministre de la Défense', 'Ministère d\'Etat, Ministère de la Défense', ['20212674'], 'Plateau, Etat Major'],
  ['affaires-etrangeres', 'Ministère d\'État, Ministère des Affaires étrangères et de la Coopération internationale', 'Ministère des affaires étrangères', ['20320888'], 'Plateau, bloc ministériel (face Mairie du Plateau)'],
  ['enseignement-superieur-recherche', 'Ministère de l\'Enseignement supérieur et de la Recherche scientifique', null, ['20335464', '20210679'], 'Plateau, Cité administrative, Tour C'],
  ['education-nationale', 'Ministère de l\'Éducation nationale, de l\'Alphabétisation et de l\'Enseignement technique', 'Ministère de l\'Education Nationale', ['20210534', '20210275'], 'Plateau, Cité administrative, Tour D, 28ème'],
  ['justice-droits-homme', 'Ministère de la Justice et des Droits de l\'Homme (Garde des Sceaux)', null, ['20320758'], 'Plateau, Immeuble symphonie, rue du commerce'],
  ['interieur-securite', 'Ministère de l\'Intérieur et de la Sécurité', null, ['20258787', '20217603'], 'Plateau, Préfecture de police'],
  ['eaux-forets', 'Ministère des Eaux et Forêts', null, ['20217267', '20219406'], 'Plateau, Cité administrative, Tour D, 19ème étage ; Immeuble Postel 2001, Abidjan-Plateau (cabinet)'],
  ['integration-africaine-ivoiriens-exterieur', 'Ministre délégué auprès du Ministre d\'État, chargé de l\'Intégration africaine et des Ivoiriens de l\'extérieur', 'Ministère de l\'Intégration Africaine et des Ivoiriens à l\'Extérieur', ['20331212', '20224156'], 'Plateau, Cité administrative, Tour B'],
  ['agriculture-developpement-rural', 'Ministère de l\'Agriculture, du Développement rural et des Productions vivrières', 'Ministère de l\'Agriculture et du Développement Rural', ['20214238', '20228135'], 'Plateau, Immeuble CAISTAB'],
];
const BODIES = 47;

function assertSecurityHeaders(res) {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'|default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.ok(res.headers.get('referrer-policy'), 'Referrer-Policy');
}

test('home page shows the guide menu and what the portal is for', async () => {
  const res = await get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html; charset=utf-8/);
  assertSecurityHeaders(res);
  const html = await res.text();
  assert.match(html, /<html lang="fr">/);
  for (const [href, label] of [['/', 'Accueil'], ['/a-propos', 'A propos'], ['/suivi', 'Suivre une requête'],
    ['/organismes', 'Organismes'], ['/statistiques', 'Statistiques'], ['/informations', 'Informations'], ['/guide', 'Le guide']]) {
    assert.ok(html.includes(`<a href="${href}"`) && html.includes(label), `menu entry ${label}`);
  }
  assert.match(html, /<summary[^>]*>Soumettre une requête<\/summary>/);
  for (const nature of ['reclamation', 'observation', 'suggestion']) {
    assert.ok(html.includes(`href="/requete/nouvelle?nature=${nature}"`), `submit entry ${nature}`);
  }
  assert.match(html, /réclamations, suggestions et observations/);
});

test('English is the same page in another language, remembered in a cookie', async () => {
  const res = await get('/organismes?lang=en&per_page=50');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('set-cookie') ?? '', /lang=en;.*Path=\//);
  const html = await res.text();
  assert.match(html, /<html lang="en">/);
  assert.match(html, /Public bodies/);
  assert.match(html, new RegExp(`Number of results: <strong>${BODIES}</strong>`));
  assert.match(html, /Government of 23 January 2026/);
  assert.match(html, /formerly Ministère des affaires étrangères/);
  // Remembered: the cookie alone keeps English; Accept-Language is only a first guess.
  const again = await (await get('/', { headers: { cookie: 'lang=en', 'accept-language': 'fr' } })).text();
  assert.match(again, /<html lang="en">/);
  const guessed = await (await get('/', { headers: { 'accept-language': 'en-US,en;q=0.9' } })).text();
  assert.match(guessed, /<html lang="en">/);
});

const escape = (s) => s.replaceAll("'", '&#39;');
const rows = (html) => [...html.matchAll(/<th scope="row">([^<]+)/g)].map((m) => m[1]);

test('the directory: the government of 23 January 2026 carrying the guide\'s ten bodies with their contacts, and the other bodies', async () => {
  const res = await get('/organismes?per_page=50');
  assert.equal(res.status, 200);
  assertSecurityHeaders(res);
  const html = await res.text();
  assert.match(html, new RegExp(`Nombre de résultats : <strong>${BODIES}</strong>`));
  for (const [, name, formerly, phones, location] of GUIDE_BODIES) {
    assert.ok(html.includes(escape(name)), `body ${name}`);
    if (formerly) assert.ok(html.includes(`anciennement ${escape(formerly)}`), `formerly ${formerly}`);
    assert.ok(html.includes(escape(location)), `location of ${name}`);
    for (const phone of phones) {
      assert.ok(html.includes(`href="tel:+22527${phone}"`), `tel link ${phone}`);
      // As dialled today (10 digits since 2021), with the guide's 8-digit form as a note.
      const pairs = (d) => d.match(/../g).join(' ');
      assert.ok(html.includes(`>${pairs(`27${phone}`)}</a>`), `number to dial ${phone}`);
      assert.ok(html.includes(`(numéro du guide de 2019 : ${pairs(phone)})`), `printed number ${phone}`);
    }
  }
  assert.equal((html.match(/Gouvernement du 23 janvier 2026/g) ?? []).length, 32, 'the Primature, 30 ministries, one ministre délégué with an administration');
  // Blank contacts stay blank; short numbers and their notes as the source gives them.
  assert.ok((html.match(/Contact non communiqué/g) ?? []).length >= 20);
  assert.ok(html.includes('href="tel:180"') && html.includes('href="tel:1340"') && html.includes('(centre d&#39;appel)'));
  assert.ok(html.includes('<a href="https://www.cnps.ci" rel="noopener">www.cnps.ci</a>'));
  assert.match(html, /<option value="50" selected>50<\/option>/);
});

test('directory paginates with page and per_page', async () => {
  const page1 = await (await get('/organismes?per_page=25')).text();
  const page2 = await (await get('/organismes?page=2&per_page=25')).text();
  assert.equal(rows(page1).length, 25);
  assert.equal(rows(page2).length, BODIES - 25);
  assert.equal(new Set([...rows(page1), ...rows(page2)]).size, BODIES, 'the two pages together list every body once');
  assert.match(page2, /2 \/ 2/);
  assert.match(page2, /href="\/organismes\?page=1&#38;per_page=25" rel="prev"/);
  assert.match(page1, /href="\/organismes\?page=2&#38;per_page=25" rel="next"/);
  // A page past the end shows the last page rather than nothing.
  assert.deepEqual(rows(await (await get('/organismes?page=9&per_page=25')).text()), rows(page2));
});

test('directory search ignores accents, case and word order, and finds a renamed ministry by its old name', async () => {
  const names = async (q) => rows(await (await get(`/organismes?per_page=50&q=${encodeURIComponent(q)}`)).text());
  assert.deepEqual(await names('eaux forets'), ['Ministère des Eaux et Forêts']);
  assert.deepEqual(await names('ministère de la défense'), ['Vice-Premier Ministre, Ministre de la Défense'], 'by its 2019 name');
  assert.deepEqual(await names('portefeuille'), ['Ministère des Finances et du Budget', 'Ministère du Portefeuille de l&#39;État et des Entreprises publiques']);
  assert.deepEqual(await names('INTÉGRATION africaine'), [escape('Ministre délégué auprès du Ministre d\'État, chargé de l\'Intégration africaine et des Ivoiriens de l\'extérieur')]);
  assert.deepEqual(await names('cnps'), ['Caisse Nationale de Prévoyance Sociale (IPS-CNPS)']);
  assert.deepEqual(await names('éducation nationale'), [escape('Ministère de l\'Éducation nationale, de l\'Alphabétisation et de l\'Enseignement technique')]);
  const none = await (await get('/organismes?q=zzz')).text();
  assert.match(none, /Nombre de résultats : <strong>0<\/strong>/);
  assert.match(none, /Aucun organisme ne correspond/);
});

test('GET /api/v1/organismes: every body with its source and date, the guide\'s ten with their contacts', async () => {
  const res = await get('/api/v1/organismes');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /application\/json/);
  assertSecurityHeaders(res);
  const body = await res.json();
  assert.ok(body.count >= 45 && body.count === BODIES, String(body.count));
  assert.equal(body.organismes.length, BODIES);
  for (const o of body.organismes) {
    assert.ok(o.source, `${o.name}: a source`);
    assert.ok('source_date' in o, o.name);
  }
  // Undated only where the page itself is (bodies.csv leaves their date blank).
  assert.ok(body.organismes.filter((o) => o.source_date === null).length <= 8);
  for (const [slug, name, formerly, phones, location] of GUIDE_BODIES) {
    const found = body.organismes.find((o) => o.slug === slug);
    assert.ok(found, slug);
    assert.equal(found.name, name);
    assert.deepEqual(found.formerly, formerly ? [formerly] : []);
    assert.deepEqual(found.phones, phones);
    assert.deepEqual(found.phones_e164, phones.map((p) => `+22527${p}`));
    assert.equal(found.location, location);
    assert.match(found.contacts_source, /Guide de l'utilisateur Miliê/);
    assert.equal(found.government, '2026-01-23');
  }
  const ids = await sql(worker.dir, "SELECT id, slug FROM bodies WHERE slug IN ('budget-portefeuille-etat', 'defense') ORDER BY id");
  assert.deepEqual(ids.map((b) => b.id), [1, 2], 'the guide\'s bodies keep their ids');
  const habg = body.organismes.find((o) => o.acronym === 'HABG');
  assert.deepEqual([habg.phones, habg.phones_e164, habg.source_date], [['800 800 11'], ['80080011'], '2023-05-25']);
  const paged = await (await get('/api/v1/organismes?page=2&per_page=5')).json();
  assert.equal(paged.organismes.length, 5);
  assert.equal(paged.page, 2);
  assert.equal(paged.count, BODIES);
  const searched = await (await get('/api/v1/organismes?q=justice')).json();
  assert.deepEqual(searched.organismes.map((o) => o.slug), ['justice-droits-homme']);
});

test('every contact the directory shows comes from the guide or from bodies.csv (the seeds that carry them)', async () => {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { ROOT } = await import('./support/worker.mjs');
  const guide = await readFile(join(ROOT, 'schema/seed/01_bodies.sql'), 'utf8');
  const today = await readFile(join(ROOT, 'schema/seed/12_bodies.sql'), 'utf8');
  const { organismes } = await (await get('/api/v1/organismes')).json();
  for (const o of organismes) {
    for (const phone of o.phones) {
      const fromGuide = guide.includes(`"display":"${phone}"`);
      assert.ok(fromGuide || today.includes(`"display":"${phone}"`), `${o.name}: ${phone}`);
      if (fromGuide) assert.match(o.contacts_source, /Guide/, o.name);
    }
    for (const value of [o.email, o.website].filter(Boolean)) assert.ok(today.includes(`'${value}'`), `${o.name}: ${value}`);
  }
});

test('unknown pages get a 404 page, wrong methods a 405, both with headers', async () => {
  const res = await get('/nulle-part');
  assert.equal(res.status, 404);
  assertSecurityHeaders(res);
  assert.match(await res.text(), /Page introuvable/);
  const api = await get('/api/v1/nope');
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /application\/json/);
  const post = await get('/organismes', { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('allow'), 'GET, HEAD');
});

test('an unexpected failure renders a friendly page with a reference, logged with detail', async () => {
  // Break the store under the running worker: the directory query now fails.
  await sql(worker.dir, 'ALTER TABLE bodies RENAME TO bodies_moved');
  try {
    // A search never asked before, so the edge cache has no copy to serve.
    const res = await get('/organismes?q=erreur-inattendue');
    assert.equal(res.status, 500);
    assertSecurityHeaders(res);
    const html = await res.text();
    assert.match(html, /Une erreur est survenue/);
    const ref = html.match(/Référence de l&#39;erreur : <code>([0-9a-f]{16})<\/code>/)?.[1];
    assert.ok(ref, 'reference shown');
    assert.doesNotMatch(html, /bodies|SQL|D1_ERROR/i, 'no internals leak to the visitor');
    // One JSON object per log line, the reference as its `request`.
    await eventually(() => worker.output.includes(`"request":"${ref}"`), { what: `the log line of error ${ref}`, worker });
    const line = worker.output.split('\n').find((l) => l.includes(`"request":"${ref}"`));
    // (wrangler colours the line: the object is what lies between the braces.)
    const logged = JSON.parse(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1));
    assert.deepEqual([logged.level, logged.event, logged.request], ['error', 'unexpected', ref]);
    assert.match(logged.message, /^GET \/organismes: .*bodies/);
    // Behind Cloudflare the reference is the request's cf-ray id.
    const rayed = await get('/organismes?q=erreur-rayon', { headers: { 'cf-ray': '8d2f3b1c2a3e4f5a-ABJ' } });
    assert.match(await rayed.text(), /<code>8d2f3b1c2a3e4f5a-ABJ<\/code>/);
  } finally {
    await sql(worker.dir, 'ALTER TABLE bodies_moved RENAME TO bodies');
  }
});

test('static assets are served with nosniff and caching', async () => {
  const css = await get('/css/milie.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /text\/css/);
  assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
  assert.match(css.headers.get('cache-control') ?? '', /max-age=\d+/);
});

test('/favicon.ico is the portal\'s icon, read from Static Assets through the ASSETS binding', async () => {
  const res = await get('/favicon.ico');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await res.text(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});

test('the OpenAPI description parses, and each route answers only statuses it documents', async () => {
  const res = await get('/api/v1/openapi.yaml');
  assert.equal(res.status, 200);
  const doc = parseYaml(await res.text());
  assert.equal(doc.openapi, '3.1.0');
  const documented = (path, method, status) => Object.keys(doc.paths[path][method].responses).includes(String(status));
  // Every /api/v1 route of the worker is described.
  for (const [path, method] of [['/api/v1/organismes', 'get'], ['/api/v1/themes', 'get'], ['/api/v1/localites', 'get'], ['/api/v1/requetes', 'post'], ['/api/v1/suivi', 'post'], ['/statistiques/donnees.json', 'get']]) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
  }
  const calls = [
    ['/api/v1/organismes', 'get', {}],
    ['/api/v1/organismes?q=justice', 'get', {}],
    ['/api/v1/themes?organisme=1', 'get', {}],
    ['/api/v1/themes?organisme=999999', 'get', {}],
    ['/api/v1/localites', 'get', {}],
    ['/api/v1/requetes', 'post', { headers: { 'content-type': 'text/plain' }, body: 'x' }],
    ['/api/v1/requetes', 'post', { body: new FormData() }],
    ['/api/v1/suivi', 'post', { headers: { 'content-type': 'application/json' }, body: '{"code":"12345678","email":"a@example.ci"}' }],
    ['/api/v1/suivi', 'post', { headers: { 'content-type': 'application/json' }, body: '{"code":"12345678","email":"pas une adresse"}' }],
    ['/api/v1/suivi', 'post', { headers: { 'content-type': 'text/plain' }, body: '{}' }],
    ['/statistiques/donnees.json', 'get', {}],
    ['/statistiques/donnees.json?du=hier', 'get', {}],
  ];
  for (const [url, method, init] of calls) {
    const r = await get(url, { method: method.toUpperCase(), ...init });
    await r.arrayBuffer();
    assert.ok(documented(url.split('?')[0], method, r.status), `${method} ${url} answered ${r.status}, not in the description`);
  }
  // Methods the description does not list answer 405 with Allow.
  for (const path of Object.keys(doc.paths)) {
    const r = await get(path, { method: 'QUERY' });
    assert.equal(r.status, 405, path);
    assert.deepEqual(r.headers.get('allow').split(', ').filter((m) => m !== 'HEAD').map((m) => m.toLowerCase()).sort(), Object.keys(doc.paths[path]).sort(), path);
  }
});
