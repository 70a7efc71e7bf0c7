// The staff workspace over HTTP: queues by next action (counted, paged, sorted, filters kept in
// the URL), search within the scope (contacts never for focal points), bulk actions reporting per
// request, an answer drafted from a template with the official letter attached, previewed, then
// confirmed; and an administration that redirects after every save and asks before destroying.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, PDF, apiSubmit } from './support/forms.mjs';
import { signIn, act, adminForm, requestLink, useLink } from './support/agent.mjs';
import { jar, csrfOf, lookup, pagePost } from './support/tracking.mjs';

let w;
let analyst;
let focal;
let admin;
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  [analyst, focal, admin] = [await w.signIn('analyst'), await w.signIn('focal'), await w.signIn('admin')];
});
after(async () => { await w?.stop(); });

const get = async (path, cookie) => {
  const res = await fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), res };
};
const newRequest = async (fields = {}) => (await w.newRequest(fields)).code;
const rowsOf = (html) => [...html.matchAll(/<th scope="row"><a href="\/agent\/requetes\/(\d{8})">/g)].map((m) => m[1]);

test('queues: counted tabs, 25 rows a page with the filters kept, sort by deadline, staff words', async () => {
  const codes = [];
  for (let i = 0; i < 27; i++) codes.push(await newRequest({ nature: 'suggestion', message: `Suggestion numéro ${i} pour la page des examens du ministère.` }));
  const first = await get('/agent?nature=suggestion', analyst);
  assert.equal(first.status, 200);
  const count = Number(first.html.match(/À trier <span class="count">\((\d+)\)<\/span>/)[1]);
  assert.ok(count >= 27, `the tab counts every suggestion to triage (${count})`);
  assert.equal(rowsOf(first.html).length, 25, 'no silent cut: 25 on a page');
  assert.match(first.html, new RegExp(`Page 1 sur ${Math.ceil(count / 25)}`));
  const next = first.html.match(/href="([^"]+)" rel="next"/)[1].replaceAll('&#38;', '&');
  assert.match(next, /file=a-trier/);
  assert.match(next, /nature=suggestion/);
  const second = await get(next, analyst);
  assert.equal(rowsOf(second.html).length, count - 25);
  assert.ok(!rowsOf(second.html).some((c) => rowsOf(first.html).includes(c)), 'pages do not overlap');
  // Channels and stages in words, never raw values; the excerpt and place in the row.
  assert.match(first.html, /Application partenaire/);
  assert.doesNotMatch(first.html, /<td data-label="Canal">api<\/td>/);
  assert.match(first.html, /À examiner par l&#39;analyste/);
  // Late first when sorted by deadline; «en retard de N j».
  const late = codes[20];
  await sql(w.dir, `UPDATE requests SET due_at = ${Date.now() - 3 * 86400000 - 1000} WHERE code = '${late}'`);
  const byDue = await get('/agent?file=a-trier&tri=echeance&nature=suggestion', analyst);
  assert.equal(rowsOf(byDue.html)[0], late);
  assert.match(byDue.html, /en retard de 4 j/);
  const byAge = await get('/agent?file=a-trier&tri=anciennete&nature=suggestion', analyst);
  assert.notEqual(rowsOf(byAge.html)[0], late);
  // A focal point's tabs are theirs: to treat, reopened, passed on, handled.
  const fp = await get('/agent', focal);
  for (const tab of ['À traiter', 'Relancées', 'Transmises', 'Traitées']) assert.match(fp.html, new RegExp(`>${tab} <span class="count">`));
  assert.doesNotMatch(fp.html, />À trier </);
});

test('search: words of the message within the scope; contact details for analysts only', async () => {
  const code = await newRequest({ message: 'Le pont de Yopougon Kouté est effondré depuis la crue de juin.', email: 'recherche.kone@example.ci', nom: 'Koné', telephone: '0701020304' });
  await act(w, analyst, code, 'valider');
  const byWords = await get(`/agent?q=${encodeURIComponent('pont Kouté')}`, analyst);
  assert.deepEqual(rowsOf(byWords.html), [code]);
  assert.match(byWords.html, /À traiter par l&#39;organisme/);
  assert.deepEqual(rowsOf((await get('/agent?q=recherche.kone%40example.ci', analyst)).html), [code], 'analysts find by email');
  assert.deepEqual(rowsOf((await get('/agent?q=07+01+02+03+04', analyst)).html), [code], 'and by phone, however typed');
  // The focal point finds it by its words or code, never by the citizen's contact details.
  assert.deepEqual(rowsOf((await get('/agent?q=effondr%C3%A9', focal)).html), [code]);
  assert.deepEqual(rowsOf((await get(`/agent?q=${code}`, focal)).html), [code]);
  assert.deepEqual(rowsOf((await get('/agent?q=recherche.kone%40example.ci', focal)).html), []);
  const page = (await get(`/agent/requetes/${code}`, focal)).html;
  for (const secret of ['recherche.kone@example.ci', '0701020304', 'Koné']) assert.ok(!page.includes(secret), secret);
  // Another body's focal point does not find it at all.
  const other = await w.signIn('focal-defense');
  assert.deepEqual(rowsOf((await get('/agent?q=pont+Kout%C3%A9', other)).html), []);
  // A request made from abroad names the place in words on the staff pages.
  const abroad = await newRequest({ localite: 'etranger', etranger_pays: 'FR', etranger_ville: 'Lyon', message: 'Le consulat de Lyon ne répond plus au téléphone depuis un mois.' });
  assert.match((await get(`/agent/requetes/${abroad}`, analyst)).html, /id="lieu">À l&#39;étranger — Lyon, France</);
  assert.match((await get('/agent?q=consulat+Lyon', analyst)).html, /À l&#39;étranger — Lyon, France/);
  const bad = await get('/agent?q=a', analyst);
  assert.match(bad.html, /Saisissez un code de 8 chiffres ou au moins un mot/);
});

test('bulk: each ticked request gets its own transition, history and notifications; refusals are named', async () => {
  const suggestions = [await newRequest({ nature: 'suggestion' }), await newRequest({ nature: 'observation' }), await newRequest({ nature: 'suggestion' })];
  const complaint = await newRequest();
  // Newest change first, so the four just submitted are on the first page.
  const page = await get('/agent?file=a-trier&tri=maj', analyst);
  const version = (code) => page.html.match(new RegExp(`value="${code}\\.(\\d+)"`))?.[1];
  const picked = [...suggestions, complaint].map((c) => `${c}.${version(c)}`);
  const body = new URLSearchParams({ csrf: csrfOf(page.html), file: 'a-trier', action: 'transmettre' });
  for (const p of picked) body.append('requetes', p);
  const res = await fetch(`${w.url}/agent/lot`, { method: 'POST', redirect: 'manual', body, headers: { cookie: jar(analyst, page.res), origin: w.url, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(res.status, 303);
  const report = (await get(res.headers.get('location'), analyst)).html;
  for (const code of suggestions) assert.match(report, new RegExp(`${code}</a> : transmise à l&#39;organisme`));
  assert.match(report, new RegExp(`${complaint}</a> : cette action ne s&#39;applique pas à cette requête`));
  for (const code of suggestions) {
    const [row] = await sql(w.dir, `SELECT r.stage, (SELECT count(*) FROM request_events e WHERE e.request_id = r.id AND e.event = 'forwarded') AS events,
      (SELECT count(*) FROM outbox o WHERE o.request_id = r.id AND o.template = 'forwarded') AS mails FROM requests r WHERE code = '${code}'`);
    assert.deepEqual(row, { stage: 'forwarded', events: 1, mails: 2 });
  }
  assert.equal((await sql(w.dir, `SELECT stage FROM requests WHERE code = '${complaint}'`))[0].stage, 'awaiting_triage');
  // The same selection again: each is refused as changed since (nothing happens twice).
  const again = await fetch(`${w.url}/agent/lot`, { method: 'POST', redirect: 'manual', body, headers: { cookie: jar(analyst, page.res), origin: w.url, 'content-type': 'application/x-www-form-urlencoded' } });
  const second = (await get(again.headers.get('location'), analyst)).html;
  for (const code of suggestions) assert.match(second, new RegExp(`${code}</a> : modifiée entre-temps`));
});

test('an answer from a template, with the official letter, previewed then confirmed; the verdict shows in «Traitées»', async () => {
  const saved = await adminForm(w, admin, '/agent/admin/modeles', { titre: 'Dossier disponible', organisme: '5', texte: 'Bonjour, votre dossier est disponible au guichet {numéro}.' });
  assert.equal(saved.status, 303);
  assert.match(saved.html, /Modèle ajouté : Dossier disponible\./);
  const [{ id }] = await sql(w.dir, "SELECT id FROM reply_templates WHERE title = 'Dossier disponible'");
  const code = await newRequest({ email: 'reponse.officielle@example.ci' });
  await act(w, analyst, code, 'valider');
  const page = await get(`/agent/requetes/${code}?modele=${id}`, focal);
  assert.match(page.html, /<textarea id="traiter-message"[^>]*>Bonjour, votre dossier est disponible au guichet \{numéro\}\.<\/textarea>/);
  // The preview: the mail as the citizen will read it; nothing applied yet.
  const form = new FormData();
  form.set('csrf', csrfOf(page.html));
  form.set('version', page.html.match(/name="version" value="(\d+)"/)[1]);
  form.set('message', 'Bonjour, votre dossier est disponible au guichet 4.');
  form.set('pieces', new Blob([PDF], { type: 'application/pdf' }), 'courrier-officiel.pdf');
  const cookie = jar(focal, page.res);
  const preview = await fetch(`${w.url}/agent/requetes/${code}/traiter`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, origin: w.url, 'accept-language': 'fr' } });
  const html = await preview.text();
  assert.equal(preview.status, 200);
  assert.match(html, new RegExp(`Réponse à votre réclamation n° ${code}`));
  assert.match(html, /guichet 4/);
  assert.match(html, /courrier-officiel\.pdf/);
  assert.equal((await sql(w.dir, `SELECT stage FROM requests WHERE code = '${code}'`))[0].stage, 'in_treatment', 'not applied before confirming');
  const confirm = new URLSearchParams({ csrf: csrfOf(html), version: html.match(/name="version" value="(\d+)"/)[1], message: html.match(/name="message" value="([^"]*)"/)[1], pieces_cle: html.match(/name="pieces_cle" value="([\w-]+)"/)[1], confirmer: '1' });
  const done = await fetch(`${w.url}/agent/requetes/${code}/traiter`, { method: 'POST', body: confirm, redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get('location'), `/agent/requetes/${code}?fait=traiter`);
  assert.deepEqual(await sql(w.dir, `SELECT a.origin, a.file_name FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.code = '${code}'`), [{ origin: 'staff', file_name: 'courrier-officiel.pdf' }]);
  const after = (await get(`/agent/requetes/${code}?fait=traiter`, focal)).html;
  assert.match(after, /Réponse envoyée au citoyen\./);
  assert.match(after, /courrier-officiel\.pdf<\/a> \([^)]+\) — jointe par l&#39;organisme/);
  await w.mailTo('reponse.officielle@example.ci', 'Réponse');
  assert.ok(w.inbox.state.mails.some((m) => m.to[0] === 'reponse.officielle@example.ci' && /guichet 4/.test(m.text)));
  // A reload of the confirmation posts nothing: the second post is refused (version moved on).
  const twice = await fetch(`${w.url}/agent/requetes/${code}/traiter`, { method: 'POST', body: confirm, redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(twice.status, 409);
  // The citizen's verdict arrives in «Traitées».
  const { cookie: citizen } = await lookup(w.url, code, 'reponse.officielle@example.ci');
  assert.equal((await pagePost(w.url, `/suivi/${code}/avis`, citizen, { avis: 'partly_satisfied', commentaire: 'Le guichet 4 était fermé.' })).status, 200);
  const answered = (await get('/agent?file=traitees', focal)).html;
  assert.match(answered, new RegExp(`${code}</a>[\\s\\S]*?Partiellement satisfait`));
  // Reopened by its citizen after another answer: in «Relancées», marked, with the reason.
  const again = await newRequest({ email: 'relance.atelier@example.ci' });
  await act(w, analyst, again, 'valider');
  await act(w, focal, again, 'traiter', { message: 'Votre attestation est prête.' });
  const { cookie: owner } = await lookup(w.url, again, 'relance.atelier@example.ci');
  assert.equal((await pagePost(w.url, `/suivi/${again}/relancer`, owner, { motif: 'Le guichet était fermé à mon passage.' })).status, 200);
  const reopened = (await get('/agent?file=relancees', focal)).html;
  assert.match(reopened, new RegExp(`${again}</a><br><span class="hint">[^<]*</span> <strong class="flag">Relancée</strong>`));
  assert.match(reopened, /Motif de la relance : Le guichet était fermé à mon passage\./);
  assert.ok(!rowsOf((await get('/agent?file=a-traiter&tri=maj', focal)).html).includes(again), 'not among the first-time ones (newest change first)');
});

test('administration: every save redirects, its message names what changed, once; destructive actions ask first', async () => {
  // A holiday: 303 to the page, the message once; reloading the page re-posts nothing.
  const saved = await adminForm(w, admin, '/agent/admin/jours-feries', { date: '2032-04-21', fete: 'Lundi de Pâques' });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, '/agent/admin/jours-feries');
  assert.match(saved.html, /Jour férié enregistré : 2032-04-21 — Lundi de Pâques\./);
  const reload = await get(saved.location, saved.cookie);
  assert.doesNotMatch(reload.html, /Jour férié enregistré/, 'shown once');
  assert.equal((await sql(w.dir, "SELECT count(*) AS n FROM audit_log WHERE action = 'holiday.set' AND target = '2032-04-21'"))[0].n, 1);
  // Removing asks first: the link leads to a question; only its button removes.
  assert.match(reload.html, /href="\/agent\/admin\/jours-feries\/2032-04-21\/retirer"/);
  const ask = await get('/agent/admin/jours-feries/2032-04-21/retirer', admin);
  assert.equal(ask.status, 200);
  assert.match(ask.html, /Retirer le jour férié du 2032-04-21 \(Lundi de Pâques\) \?/);
  assert.equal((await sql(w.dir, "SELECT count(*) AS n FROM holidays WHERE day = '2032-04-21'"))[0].n, 1, 'asking removes nothing');
  const removed = await adminForm(w, admin, '/agent/admin/jours-feries/2032-04-21/retirer', {}, { from: '/agent/admin/jours-feries/2032-04-21/retirer' });
  assert.equal(removed.status, 303);
  assert.match(removed.html, /Jour férié retiré : 2032-04-21\./);

  // An API key: shown once after the redirect, never again.
  const key = await adminForm(w, admin, '/agent/admin/cles-api', { nom: 'Application de la mairie' });
  const secret = key.html.match(/(milie_[A-Za-z0-9_-]{43})/)?.[1];
  assert.ok(secret, 'the key is shown after the redirect');
  assert.ok(!(await get('/agent/admin/cles-api', key.cookie)).html.includes(secret));
  assert.equal((await sql(w.dir, "SELECT count(*) AS n FROM api_keys WHERE name = 'Application de la mairie'"))[0].n, 1);

  // A new staff member: status in words, an invitation mail whose link signs them in.
  const before = w.inbox.state.mails.length;
  const created = await adminForm(w, admin, '/agent/admin/agents', { nom: 'Awa Traoré', email: 'awa.traore@milie.local', role: 'analyst', organisme: '' });
  assert.equal(created.status, 303);
  assert.match(created.html, /Agent ajouté : Awa Traoré \(awa\.traore@milie\.local\), Analyste\. Une invitation/);
  const invitation = await eventually(() => w.inbox.state.mails.slice(before).find((m) => m.to[0] === 'awa.traore@milie.local'),
    { what: 'the invitation to awa.traore@milie.local', worker: w });
  assert.match(invitation.subject, /Votre accès à l'espace agents/);
  const link = invitation.text.match(/http:\/\/localhost:8787(\/agent\/connexion\/[\w-]{43})/)[1];
  assert.equal((await useLink(w, link)).status, 303, 'the invitation signs in');
  const [{ id }] = await sql(w.dir, "SELECT id FROM staff WHERE email = 'awa.traore@milie.local'");
  const list = (await get('/agent/admin/agents', admin)).html;
  assert.match(list, /Awa Traoré<\/th>[\s\S]*?<td data-label="Statut">Actif<\/td>/);
  // Deactivating asks first; one's own account offers no such button and is refused.
  assert.match((await get(`/agent/admin/agents/${id}/desactiver`, admin)).html, /Désactiver le compte de Awa Traoré \?/);
  const [{ id: me }] = await sql(w.dir, "SELECT id FROM staff WHERE email = 'admin@milie.local'");
  assert.doesNotMatch(list, new RegExp(`/agent/admin/agents/${me}/desactiver`));
  assert.equal((await get(`/agent/admin/agents/${me}/desactiver`, admin)).status, 409);
  const off = await adminForm(w, admin, `/agent/admin/agents/${id}/desactiver`, {});
  assert.match(off.html, /Compte de Awa Traoré désactivé\./);
  assert.match(off.html, /Awa Traoré<\/th>[\s\S]*?<strong>Désactivé<\/strong>/);
  // An import is previewed first: what it adds, and what a full list leaving bodies out closes.
  const one = await adminForm(w, admin, '/agent/admin/organismes/import', {}, { csv: 'nom;telephones;localisation\nOffice du Tourisme de test;20 25 16 00;Plateau\n' });
  assert.equal(one.status, 303);
  assert.match(one.html, /1 à ajouter, 0 à modifier, \d+ à fermer, 0 inchangés\./);
  assert.match(one.html, /Confirmer l&#39;import/);
  assert.ok(requestLink);
});
