// Administration over HTTP: admins only; staff, bodies, deadlines, themes, failed notifications
// (the directory's imports and exports: directory.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { signIn, requestLink, useLink, adminForm } from './support/agent.mjs';
import { jar, csrfOf } from './support/tracking.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, apiSubmit } from './support/forms.mjs';

let w;
let adminCookie;
before(async () => {
  w = await startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  adminCookie = await w.signIn('admin');
});
after(async () => { await w?.stop(); });

const get = (path, cookie = adminCookie) => fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });

/** Posts an admin form (fields, and a CSV file as `fichier` when given), following the redirect. */
const post = (path, fields = {}, csv = null, cookie = adminCookie) => adminForm(w, cookie, path, fields, { csv });

test('only admins reach the administration', async () => {
  assert.equal((await get('/agent/admin', '')).status, 303);
  const analyst = await w.signIn('analyst');
  assert.equal((await get('/agent/admin', analyst)).status, 403);
  assert.equal((await post('/agent/admin/agents', { nom: 'X', email: 'x@milie.local', role: 'admin' }, null, analyst)).status, 403);
  const page = await get('/agent/admin');
  assert.equal(page.status, 200);
  const html = await page.text();
  for (const page of ['Agents', 'Organismes', 'Lieux', 'Notifications en échec']) assert.ok(html.includes(`>${page}</a>`), page);
  // Without the CSRF token nothing happens.
  const forged = await fetch(`${w.url}/agent/admin/agents`, { method: 'POST', redirect: 'manual', headers: { cookie: adminCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'nom=X&email=x%40milie.local&role=admin' });
  assert.equal(forged.status, 403);
  assert.deepEqual(await sql(w.dir, "SELECT id FROM staff WHERE email = 'x@milie.local'"), []);
});

test('staff accounts: created with a role and body, refused twice, deactivated with their sessions', async () => {
  const mailsBefore = w.inbox.state.mails.length;
  const created = await post('/agent/admin/agents', { nom: 'Point focal Affaires étrangères', email: 'pf.ae@milie.local', role: 'focal_point', organisme: '3' });
  assert.equal(created.status, 303);
  assert.match(created.html, /pf\.ae@milie\.local/);
  // The invitation carries a sign-in link too: wait for it, so a late one is not taken below for
  // a link sent to the deactivated account.
  await eventually(() => w.inbox.state.mails.slice(mailsBefore).some((m) => m.to[0] === 'pf.ae@milie.local'), { what: 'the invitation' });
  assert.equal((await post('/agent/admin/agents', { nom: 'Encore', email: 'PF.AE@milie.local', role: 'analyst' })).status, 409);
  assert.equal((await post('/agent/admin/agents', { nom: 'Sans organisme', email: 'pf2@milie.local', role: 'focal_point' })).status, 422, 'a focal point needs a body');
  const session = await signIn(w, 'pf.ae@milie.local');
  assert.equal((await get('/agent', session)).status, 200);
  const [{ id }] = await sql(w.dir, "SELECT id FROM staff WHERE email = 'pf.ae@milie.local'");
  assert.equal((await post(`/agent/admin/agents/${id}/desactiver`)).status, 303);
  assert.equal((await get('/agent', session)).status, 303, 'their session ended');
  const { link } = await requestLink(w, 'pf.ae@milie.local');
  assert.equal(link, null, 'no link for an inactive account');
  // What the admin did to the account (its own sign-in is in the trail too, as its own action).
  assert.deepEqual((await sql(w.dir, "SELECT action FROM audit_log WHERE target IN ('pf.ae@milie.local', '" + id + "') AND action LIKE 'staff.%' ORDER BY id")).map((r) => r.action), ['staff.create', 'staff.deactivate']);
});

test('bodies: added, edited with their deadlines, deactivated; themes of their own', async () => {
  assert.equal((await post('/agent/admin/organismes', { nom: 'Agence de la Salubrité Urbaine', telephones: '20 21 08 71', localisation: 'Plateau, Tour C' })).status, 303);
  const [body] = await sql(w.dir, "SELECT id, phones, source, source_date FROM bodies WHERE slug = 'agence-de-la-salubrite-urbaine'");
  assert.deepEqual(JSON.parse(body.phones), [{ display: '20 21 08 71', e164: '+2252720210871' }]);
  assert.equal(body.source, 'Administration Miliê', 'an administrator is its source');
  assert.match(body.source_date, /^\d{4}-\d{2}-\d{2}$/);
  const api = await (await fetch(`${w.url}/api/v1/organismes?q=salubrite urbaine`)).json();
  assert.equal(api.count, 1);

  const edit = await post(`/agent/admin/organismes/${body.id}`, { nom: 'Agence de la Salubrité', telephones: '2720210871', localisation: 'Plateau', email: 'contact@sante.ci', delai_examen: '10', delai_traitement: '30', actif: '1' });
  assert.equal(edit.status, 303);
  assert.deepEqual(await sql(w.dir, `SELECT name, triage_days, treatment_days, email FROM bodies WHERE id = ${body.id}`), [{ name: 'Agence de la Salubrité', triage_days: 10, treatment_days: 30, email: 'contact@sante.ci' }]);
  assert.equal((await post(`/agent/admin/organismes/${body.id}`, { nom: 'X', delai_examen: '0', delai_traitement: '30' })).status, 422);
  assert.equal((await post(`/agent/admin/organismes/${body.id}`, { nom: 'X', delai_examen: '10', delai_traitement: '30', jours: 'weekly' })).status, 422);
  const business = await post(`/agent/admin/organismes/${body.id}`, { nom: 'Agence de la Salubrité', telephones: '2720210871', localisation: 'Plateau', email: 'contact@sante.ci', delai_examen: '10', delai_traitement: '30', jours: 'business', actif: '1' });
  assert.equal(business.status, 303);
  assert.match(business.html, /id="jours-ouvres" name="jours" value="business" checked/);
  assert.equal((await sql(w.dir, `SELECT deadline_unit FROM bodies WHERE id = ${body.id}`))[0].deadline_unit, 'business');

  assert.equal((await post(`/agent/admin/organismes/${body.id}/themes`, { categorie: 'Soins', theme: 'Accueil aux urgences' })).status, 303);
  const form = await (await fetch(`${w.url}/requete/nouvelle?nature=reclamation&organisme=${body.id}`, { headers: { 'accept-language': 'fr' } })).text();
  assert.match(form, /Soins : Accueil aux urgences/);
  assert.doesNotMatch(form, /Espace d&#39;accueil/, 'its own list replaces the general one');
  const [{ id: theme }] = await sql(w.dir, `SELECT id FROM themes WHERE body_id = ${body.id}`);
  await post(`/agent/admin/organismes/${body.id}/themes/${theme}/desactiver`);
  assert.match(await (await fetch(`${w.url}/requete/nouvelle?nature=reclamation&organisme=${body.id}`)).text(), /Espace d&#39;accueil/);

  await post(`/agent/admin/organismes/${body.id}`, { nom: 'Agence de la Salubrité', telephones: '', localisation: '', delai_examen: '10', delai_traitement: '30' });
  assert.equal((await (await fetch(`${w.url}/api/v1/organismes?q=agence salubrite`)).json()).count, 0, 'deactivated bodies leave the directory');
});

test('a change of the directory between a submission\'s checks and its registration: still-valid submissions go through, the others are refused by field', async () => {
  // Two bodies the citizens' worker knows (its copy of the directory is read on first use).
  for (const nom of ['Agence de test un', 'Agence de test deux']) assert.equal((await post('/agent/admin/organismes', { nom, telephones: '', localisation: '' })).status, 303);
  const ids = Object.fromEntries((await sql(w.dir, "SELECT slug, id FROM bodies WHERE slug LIKE 'agence-de-test-%'")).map((r) => [r.slug, r.id]));
  const submit = (organisme) => apiSubmit(w.url, { ...VALID, organisme: String(organisme), email: `repertoire${organisme}@example.ci` });
  for (const id of Object.values(ids)) assert.equal((await submit(id)).status, 201);
  const count = async () => (await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n;

  // The back office deactivates the first: the citizens' worker's copy is now behind. A submission
  // to a body still open is registered all the same.
  const deactivate = (id, nom) => post(`/agent/admin/organismes/${id}`, { nom, delai_examen: '10', delai_traitement: '30' });
  await deactivate(ids['agence-de-test-un'], 'Agence de test un');
  assert.equal((await submit(1)).status, 201);

  // The second closes too; its submission, checked against the copy that still lists it, is
  // refused at registration, by field, and nothing is stored.
  await deactivate(ids['agence-de-test-deux'], 'Agence de test deux');
  const before = await count();
  const refused = await submit(ids['agence-de-test-deux']);
  assert.equal(refused.status, 422);
  assert.ok(refused.json.errors.organisme, JSON.stringify(refused.json));
  assert.equal(await count(), before);
});

test('public holidays: listed from today, added, renamed, removed; impossible dates refused', async () => {
  const home = await (await get('/agent/admin/jours-feries')).text();
  assert.match(home, /<h1>Jours fériés<\/h1>/);
  const next = (await sql(w.dir, "SELECT day, label FROM holidays WHERE day >= date('now') ORDER BY day LIMIT 1"))[0];
  if (next) assert.ok(home.includes(`<time datetime="${next.day}">`), 'upcoming holidays are listed');
  assert.ok(!home.includes('datetime="2026-01-01"'), 'past ones are not');

  assert.equal((await post('/agent/admin/jours-feries', { date: '2031-08-07', fete: 'Fête nationale' })).status, 303);
  assert.equal((await post('/agent/admin/jours-feries', { date: '2031-08-07', fete: 'Fête de l\'Indépendance' })).status, 303);
  assert.deepEqual(await sql(w.dir, "SELECT label FROM holidays WHERE day = '2031-08-07'"), [{ label: 'Fête de l\'Indépendance' }]);
  for (const bad of [{ date: '2031-02-30', fete: 'X' }, { date: '07/08/2031', fete: 'X' }, { date: '2031-08-08', fete: '  ' }]) {
    const res = await post('/agent/admin/jours-feries', bad);
    assert.equal(res.status, 422, JSON.stringify(bad));
    assert.match(res.html, /Indiquez une date réelle/);
  }
  assert.equal((await sql(w.dir, "SELECT count(*) AS n FROM holidays WHERE day IN ('2031-02-30', '2031-08-08')"))[0].n, 0);
  assert.equal((await post('/agent/admin/jours-feries/2031-08-07/retirer')).status, 303);
  assert.deepEqual(await sql(w.dir, "SELECT day FROM holidays WHERE day = '2031-08-07'"), []);
  assert.deepEqual((await sql(w.dir, "SELECT action FROM audit_log WHERE target = '2031-08-07' ORDER BY id")).map((r) => r.action), ['holiday.set', 'holiday.set', 'holiday.remove']);
});

test('failed notifications are listed, masked, and sent again on «Renvoyer»', async () => {
  await sql(w.dir, `INSERT INTO outbox (idempotency_key, channel, recipient, template, lang, payload, status, attempts, last_error, created_at)
    VALUES ('failed:1', 'email', 'koffi.yao@example.ci', 'forgotten_codes', 'fr', '{"items":["12345678 — Réclamation — Ministère — 1/1/2026"]}', 'failed', 11, 'HTTP 500: boom', ${Date.now()})`);
  const html = await (await get('/agent/admin/notifications')).text();
  assert.match(html, /k•••@example\.ci/);
  assert.doesNotMatch(html, /koffi\.yao@example\.ci/);
  assert.match(html, /HTTP 500: boom/);
  const [{ id }] = await sql(w.dir, "SELECT id FROM outbox WHERE idempotency_key = 'failed:1'");
  assert.equal((await post(`/agent/admin/notifications/${id}/renvoyer`)).status, 303);
  assert.equal((await w.mailTo('koffi.yao@example.ci')).subject, 'Miliê — Vos codes de requête');
  await w.settled(`id = ${id}`);
  assert.equal((await sql(w.dir, `SELECT status FROM outbox WHERE id = ${id}`))[0].status, 'sent');
  assert.ok(useLink);
});

test('notification settings: with SMS turned off, citizens get mail only', async () => {
  const html = await (await get('/agent/admin/parametres')).text();
  assert.match(html, /id="notify-sms" name="sms" value="1" checked/);
  assert.equal((await post('/agent/admin/parametres', { mail: '1' })).status, 303);
  try {
    const res = await fetch(`${w.url}/api/v1/requetes`, { method: 'POST', body: (() => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ organisme: '1', nature: 'suggestion', message: 'Une suggestion pour le site du ministère.', pays: 'CI', telephone: '0707070707', email: 'sans.sms@example.ci', conditions: 'on' })) f.set(k, v);
      return f;
    })() });
    const { code } = await res.json();
    assert.deepEqual((await sql(w.dir, `SELECT channel FROM outbox WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`)).map((r) => r.channel), ['email']);
    assert.doesNotMatch(await (await get('/agent/admin/parametres')).text(), /id="notify-sms" name="sms" value="1" checked/);
  } finally {
    await post('/agent/admin/parametres', { mail: '1', sms: '1' });
  }
});
