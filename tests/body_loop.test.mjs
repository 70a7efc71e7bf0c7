// Every request reaches its body (issue 14): forwarded observations in the focal point's hands and
// taken into account, staff told of new work through the outbox (once per recipient and event, or
// in a summary), the body's own mailbox when it has no focal point, the due date on the tracking page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, apiSubmit } from './support/forms.mjs';
import { signIn, act } from './support/agent.mjs';
import { lookup, jar, csrfOf, pagePost } from './support/tracking.mjs';

let w;
let analyst;
let fpEdu;
let admin;
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', SIGN_IN_LIMIT_PER_HOUR: '1000', TRACK_FAILURES_PER_HOUR: '1000' } });
  [analyst, fpEdu, admin] = [await w.signIn('analyst'), await w.signIn('focal'), await w.signIn('admin')];
});
after(async () => { await w?.stop(); });

const FP_EDU = 'point-focal.education@milie.local'; // body 5
const FP_DEF = 'point-focal.defense@milie.local'; // body 2
const ANALYST = 'analyste@milie.local';
const settle = (predicate, what = 'the mails awaited') => eventually(predicate, { what, worker: w });
/** Once the outbox has nothing left to send, nothing more arrives. */
const quiet = () => w.settled();
/** Staff alerts (not sign-in links, not summaries) to `to` about `code`. */
const alertsTo = (to, code) => w.inbox.state.mails.filter((m) => m.to[0] === to && m.subject.includes(code) && m.text.includes(`/agent/requetes/${code}`));
const submit = (fields = {}) => w.newRequest(fields);
const get = (path, cookie) => fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });

test('a forwarded observation reaches the focal point, who takes it into account; the citizen is told', async () => {
  const { code, email } = await submit({ nature: 'observation', message: 'Les horaires affichés au guichet ne sont plus à jour depuis la rentrée.' });
  assert.equal((await act(w, analyst, code, 'transmettre')).status, 303);
  // The body's focal point is told at once, with a link to the request.
  await settle(() => alertsTo(FP_EDU, code).length >= 1, 'the education focal point\'s alert');
  await quiet();
  const alerts = alertsTo(FP_EDU, code);
  assert.equal(alerts.length, 1);
  assert.match(alerts[0].subject, /Observation ou suggestion transmise à votre organisme/);
  assert.ok(!alerts[0].text.includes(email), 'no citizen contact in a focal point\'s mail');
  // «Transmises», newest first, with the message, on the focal point's queue.
  const section = await (await get('/agent?file=transmises', fpEdu)).text();
  assert.match(section, new RegExp(`href="/agent/requetes/${code}"`));
  assert.match(section, /Les horaires affichés au guichet/);
  // Found by code too.
  assert.match(await (await get(`/agent?q=${code}`, fpEdu)).text(), new RegExp(`href="/agent/requetes/${code}"`));
  // An analyst cannot take it into account; the focal point of another body cannot see it.
  assert.equal((await act(w, analyst, code, 'prendre-en-compte')).status, 409);
  const fpDef = await signIn(w, FP_DEF);
  assert.equal((await act(w, fpDef, code, 'prendre-en-compte')).status, 404);
  const taken = await act(w, fpEdu, code, 'prendre-en-compte', { message: 'Les horaires seront mis à jour cette semaine, merci.' });
  assert.equal(taken.status, 303);
  assert.match(taken.html, /Prise en compte par l&#39;organisme/);
  const [row] = await sql(w.dir, `SELECT stage, closed_at IS NOT NULL AS closed FROM requests WHERE code = '${code}'`);
  assert.deepEqual(row, { stage: 'taken_into_account', closed: 1 });
  // Final: a second time is refused.
  assert.equal((await act(w, fpEdu, code, 'prendre-en-compte')).status, 409);
  // The citizen's mail and tracking page.
  const mail = await w.mailTo(email, 'prise en compte');
  assert.match(mail.text, /Votre Observation n° \d{8} a été prise en compte par Ministère de l'Éducation nationale, de l'Alphabétisation et de l'Enseignement technique/);
  assert.match(mail.text, /« Les horaires seront mis à jour cette semaine, merci\. »/);
  const { cookie } = await lookup(w.url, code, email);
  const page = await (await get(`/suivi/${code}`, cookie)).text();
  assert.match(page, /id="stage">Prise en compte par Ministère de l&#39;Éducation nationale, de l&#39;Alphabétisation et de l&#39;Enseignement technique le \d+\/\d+\/\d{4}/);
  assert.match(page, /id="taken-message">Les horaires seront mis à jour cette semaine, merci\.</);
  const json = await (await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, email }) })).json();
  assert.equal(json.stage, 'taken_into_account');
  // Open311 counts it as closed.
  const [{ public_id: id }] = await sql(w.dir, `SELECT public_id FROM requests WHERE code = '${code}'`);
  assert.equal((await (await fetch(`${w.url}/open311/v2/requests/${id}.json`)).json())[0].status, 'closed');
});

test('focal points are told once per event: validated, reopened, returned after a verdict, reassigned to them', async () => {
  const { code, email } = await submit();
  await act(w, analyst, code, 'valider');
  await settle(() => alertsTo(FP_EDU, code).length >= 1, 'the education focal point\'s alert');
  assert.match(alertsTo(FP_EDU, code)[0].subject, /Réclamation recevable, à traiter par votre organisme/);
  await act(w, fpEdu, code, 'traiter', { message: 'Le guichet rouvre lundi avec des horaires élargis.' });
  // The citizen reopens: the focal point hears of it.
  const { cookie } = await lookup(w.url, code, email);
  assert.equal((await pagePost(w.url, `/suivi/${code}/relancer`, cookie, { motif: 'Le guichet était encore fermé ce lundi matin.' })).status, 200);
  await settle(() => alertsTo(FP_EDU, code).length >= 2, 'a second alert to the education focal point');
  assert.match(alertsTo(FP_EDU, code)[1].subject, /relancée par le citoyen/);
  // Treated again, judged «non satisfait», returned to the body by the analyst.
  await act(w, fpEdu, code, 'traiter', { message: 'Les horaires sont désormais affichés et respectés.' });
  assert.equal((await pagePost(w.url, `/suivi/${code}/avis`, cookie, { avis: 'not_satisfied', commentaire: 'Toujours pas.' })).status, 200);
  assert.equal((await act(w, analyst, code, 'renvoyer-organisme')).status, 303);
  await settle(() => alertsTo(FP_EDU, code).length >= 3, 'a third alert to the education focal point');
  assert.match(alertsTo(FP_EDU, code)[2].subject, /renvoyée à votre organisme/);
  // Reassigned to Défense: its focal point is told, Éducation's is not told again.
  const reassigned = await act(w, analyst, code, 'reaffecter', { organisme: '2' });
  assert.ok([200, 303].includes(reassigned.status));
  await settle(() => alertsTo(FP_DEF, code).length >= 1, 'the defence focal point\'s alert');
  await quiet();
  assert.equal(alertsTo(FP_DEF, code).length, 1);
  assert.match(alertsTo(FP_DEF, code)[0].subject, /réaffectée à votre organisme/);
  assert.equal(alertsTo(FP_EDU, code).length, 3, 'exactly one mail per event');
  // Through the outbox, with its delivery log.
  const rows = await sql(w.dir, `SELECT o.status, (SELECT count(*) FROM delivery_attempts d WHERE d.outbox_id = o.id) AS attempts FROM outbox o
    WHERE o.template = 'staff_alert' AND o.request_id = (SELECT id FROM requests WHERE code = '${code}')`);
  assert.equal(rows.length, 4);
  assert.ok(rows.every((r) => r.status === 'sent' && r.attempts >= 1));
});

test('analysts get one hourly summary, not one mail per request; «aucun message» gets nothing', async () => {
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await submit({ organisme: '3' })).code);
  await quiet();
  assert.equal(w.inbox.state.mails.filter((m) => m.to[0] === ANALYST && codes.some((c) => m.subject.includes(c))).length, 0, 'no mail per request');
  const summaries = () => w.inbox.state.mails.filter((m) => m.to[0] === ANALYST && /Résumé des requêtes/.test(m.subject));
  const before = summaries().length;
  await w.cron('*/5 * * * *');
  await settle(() => summaries().length > before, 'the analyst\'s hourly summary');
  const summary = summaries().at(-1);
  for (const code of codes) assert.match(summary.text, new RegExp(`${code} — Nouvelle requête à examiner — Réclamation`));
  assert.match(summary.text, /\/agent/);
  // Within the hour, more work waits for the next summary.
  await submit({ organisme: '3' });
  await w.cron('*/5 * * * *');
  await quiet();
  assert.equal(summaries().length, before + 1, 'at most one summary an hour');
  // An analyst who chose «aucun message» is not told at all.
  const page = await get('/agent', analyst);
  const cookie = jar(analyst, page);
  const saved = await fetch(`${w.url}/agent/notifications`, {
    method: 'POST', redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrfOf(await page.text()), cadence: 'none' }),
  });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.get('location'), '/agent?enregistre=notifications#notifications');
  const after = await (await get(saved.headers.get('location'), cookie)).text();
  assert.match(after, /Vos préférences de notification sont enregistrées/);
  assert.match(after, /id="cadence-none" name="cadence" value="none" checked/);
  const pending = async () => (await sql(w.dir, "SELECT count(*) AS n FROM staff_notices WHERE staff_id = (SELECT id FROM staff WHERE email = 'analyste@milie.local') AND outbox_id IS NULL"))[0].n;
  const waiting = await pending();
  await submit({ organisme: '3' });
  assert.equal(await pending(), waiting, 'no notice written for «aucun message»');
  // Back to the default for the other tests.
  const p2 = await get('/agent', analyst);
  await fetch(`${w.url}/agent/notifications`, { method: 'POST', headers: { cookie: jar(analyst, p2), origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(await p2.text()), cadence: 'hourly' }) });
});

test('a body without a focal point: its own address is told (no citizen contact), admins see it flagged', async () => {
  // Set the body's address the way an admin does.
  const page = await get('/agent/admin/organismes/3', admin);
  const html = await page.text();
  const res = await fetch(`${w.url}/agent/admin/organismes/3`, {
    method: 'POST', redirect: 'manual', headers: { cookie: jar(admin, page), origin: w.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrfOf(html), nom: 'Ministère d\'État, Ministère des Affaires étrangères et de la Coopération internationale', telephones: '20320888', localisation: 'Plateau, bloc ministériel (face Mairie du Plateau)', email: 'courrier@diplomatie.example.ci', delai_examen: '15', delai_traitement: '60', jours: 'calendar', actif: '1' }),
  });
  assert.ok([200, 303].includes(res.status), `saved (${res.status})`);
  const { code, email } = await submit({ organisme: '3', nature: 'suggestion', nom: 'Diallo', telephone: '07 08 77 66 55' });
  await act(w, analyst, code, 'transmettre');
  const toBody = () => w.inbox.state.mails.filter((m) => m.to[0] === 'courrier@diplomatie.example.ci' && m.subject.includes(code));
  await settle(() => toBody().length >= 1, 'the mail to the body\'s own address');
  await quiet();
  assert.equal(toBody().length, 1);
  const [mail] = toBody();
  assert.match(mail.text, /n'a pas de point focal actif/);
  assert.match(mail.text, /Le guichet de l'état civil/);
  for (const secret of [email, 'Diallo', '0708776655', '+2250708776655']) assert.ok(!mail.text.includes(secret) && !mail.html.includes(secret), secret);
  const adminPage = await (await get('/agent/admin/organismes', admin)).text();
  assert.match(adminPage, /Ministère d&#39;État, Ministère des Affaires étrangères et de la Coopération internationale<\/a> <strong class="flag">sans point focal<\/strong>/);
  assert.match(adminPage, /Ministère des Finances et du Budget<\/a> <strong class="flag">sans point focal, sans adresse électronique<\/strong>/);
});

test('the tracking page says when an answer is due, and «Hors délai» once it is past', async () => {
  const { code, email } = await submit();
  const { cookie } = await lookup(w.url, code, email);
  const [{ due_at: due }] = await sql(w.dir, `SELECT due_at FROM requests WHERE code = '${code}'`);
  const date = new Date(due);
  const shown = `${date.getUTCDate()}/${date.getUTCMonth() + 1}/${date.getUTCFullYear()}`;
  let page = await (await get(`/suivi/${code}`, cookie)).text();
  assert.match(page, new RegExp(`id="due">Réponse attendue au plus tard le ${shown}<`));
  assert.doesNotMatch(page, /Hors délai/);
  assert.match(page, /Nombre de résultats : 1/);
  assert.match(page, /<a href="\/suivi">‹ Retour<\/a>/);
  // The clock past the deadline.
  await sql(w.dir, `UPDATE requests SET due_at = ${Date.now() - 86_400_000} WHERE code = '${code}'`);
  page = await (await get(`/suivi/${code}`, cookie)).text();
  assert.match(page, /id="late">Hors délai</);
  const json = await (await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, email }) })).json();
  assert.equal(json.hors_delai, true);
  assert.match(json.reponse_attendue_le, /^\d{4}-\d\d-\d\dT/);
  // English too.
  const en = await (await fetch(`${w.url}/suivi/${code}?lang=en`, { headers: { cookie } })).text();
  assert.match(en, /Answer expected by \d+\/\d+\/\d{4} at the latest/);
  assert.match(en, /Overdue/);
});

test('the guide\'s words: undertakings beside the checkbox, «Retour», the ministry in charge', async () => {
  const form = await (await fetch(`${w.url}/requete/nouvelle?nature=reclamation&organisme=2`, { headers: { 'accept-language': 'fr' } })).text();
  assert.match(form, /pièces justificatives de votre requête soient mises à la disposition de l&#39;administration/);
  assert.match(form, /ne soit pas pendant devant une autorité compétente/);
  assert.match(form, /aucune décision judiciaire n&#39;ait été rendue/);
  assert.match(form, /<a class="button secondary" href="\/requete\/nouvelle\?nature=reclamation">Retour<\/a>\s*<button type="submit" class="primary">Soumettre votre requête<\/button>/);
  for (const path of ['/', '/a-propos']) {
    assert.match(await (await fetch(w.url + path, { headers: { 'accept-language': 'fr' } })).text(), /Ministère de la Modernisation et de l&#39;Innovation du Service Public/, path);
  }
});
