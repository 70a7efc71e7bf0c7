// The back office over HTTP: sign-in links, sessions, scope and role on every route, transitions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { VALID, PDF, apiSubmit, postForm } from './support/forms.mjs';
import { requestLink, useLink, signIn, act } from './support/agent.mjs';
import { jar, csrfOf } from './support/tracking.mjs';

let w;
before(async () => { w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', SIGN_IN_LIMIT_PER_HOUR: '1000' } }); });
after(async () => { await w?.stop(); });

const ADMIN = 'admin@milie.local';
const ANALYST = 'analyste@milie.local';
const FP_EDU = 'point-focal.education@milie.local'; // body 5
const FP_DEF = 'point-focal.defense@milie.local'; // body 2
const get = (path, cookie = '') => fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
const newRequest = async (fields = {}) => (await w.newRequest(fields)).code;
const stageOf = async (code) => (await sql(w.dir, `SELECT stage FROM requests WHERE code = '${code}'`))[0].stage;

test('a sign-in link works once, within ten minutes, and only as it was sent', async () => {
  const { link, html } = await requestLink(w, ANALYST);
  assert.match(html, /Si cette adresse correspond à un compte agent/);
  assert.ok(link);
  // Opening the link (as a mail scanner would) signs nobody in.
  const opened = await get(link);
  assert.equal(opened.status, 200);
  assert.equal(opened.headers.getSetCookie().filter((c) => c.startsWith('__Host-agent')).length, 0);
  const first = await useLink(w, link);
  assert.equal(first.status, 303);
  assert.equal(first.location, '/agent');
  assert.match(first.cookie, /__Host-agent=[\w-]{22}/);
  assert.equal((await useLink(w, link)).status, 403, 'used twice');
  const tampered = link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A');
  assert.equal((await useLink(w, tampered)).status, 403, 'tampered');
  const late = await requestLink(w, ANALYST);
  await sql(w.dir, `UPDATE sign_in_tokens SET expires_at = ${Date.now() - 1} WHERE used_at IS NULL`);
  assert.equal((await useLink(w, late.link)).status, 403, 'expired');
  // Unknown addresses get the same page and no mail.
  const before = w.inbox.state.mails.length;
  const unknown = await requestLink(w, 'personne@milie.local');
  assert.equal(unknown.link, null);
  assert.equal(unknown.html.replace(/name="csrf" value="[^"]*"/, ''), html.replace(/name="csrf" value="[^"]*"/, ''));
  assert.equal(w.inbox.state.mails.length, before);
  // Tokens are stored hashed.
  assert.ok((await sql(w.dir, 'SELECT token_hash FROM sign_in_tokens')).every((r) => /^[0-9a-f]{64}$/.test(r.token_hash)));
});

test('sessions expire when idle and end at sign-out, everywhere if asked', async () => {
  const a = await signIn(w, ANALYST);
  const b = await signIn(w, ANALYST);
  assert.equal((await get('/agent', a)).status, 200);
  await sql(w.dir, `UPDATE staff_sessions SET last_seen_at = last_seen_at - 31 * 60 * 1000 WHERE revoked_at IS NULL`);
  assert.equal((await get('/agent', a)).status, 303, 'idle timeout');
  const c = await signIn(w, ANALYST);
  const page = await get('/agent', c);
  const html = await page.text();
  const cookie = jar(c, page);
  const out = await fetch(`${w.url}/agent/deconnexion`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(html), partout: '1' }) });
  assert.equal(out.status, 303);
  assert.equal((await get('/agent', c)).status, 303, 'signed out');
  assert.equal((await get('/agent', b)).status, 303, 'signed out everywhere');
});

test('authorization matrix: every route × every role, scope included', async () => {
  const code = (await apiSubmit(w.url, { ...VALID, organisme: '5' }, [['piece.pdf', PDF]])).json.code; // body 5 (Education)
  const cookies = {
    anonymous: '',
    admin: await signIn(w, ADMIN),
    analyst: await signIn(w, ANALYST),
    focalSameBody: await signIn(w, FP_EDU),
    focalOtherBody: await signIn(w, FP_DEF),
  };
  const file = (await sql(w.dir, `SELECT id FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`))[0].id;
  const expect = {
    '/agent': { anonymous: 303, admin: 200, analyst: 200, focalSameBody: 200, focalOtherBody: 200 },
    [`/agent/requetes/${code}`]: { anonymous: 303, admin: 200, analyst: 200, focalSameBody: 200, focalOtherBody: 404 },
    [`/agent/requetes/${code}/pieces/${file}`]: { anonymous: 303, admin: 200, analyst: 200, focalSameBody: 200, focalOtherBody: 404 },
  };
  for (const [path, byRole] of Object.entries(expect)) {
    for (const [role, status] of Object.entries(byRole)) {
      const res = await get(path, cookies[role]);
      assert.equal(res.status, status, `${role} GET ${path}`);
      if (status === 303) assert.equal(res.headers.get('location'), '/agent/connexion');
    }
  }
  // Actions: who may do what on a stage-1 réclamation of body 5.
  for (const [role, action, status] of [
    ['anonymous', 'valider', 303], ['focalOtherBody', 'valider', 404], ['focalSameBody', 'valider', 409],
    ['focalSameBody', 'traiter', 409], ['analyst', 'traiter', 409], ['analyst', 'inconnu', 404],
  ]) {
    assert.equal((await act(w, cookies[role], code, action, { message: 'Un message assez long.' })).status, status, `${role} ${action}`);
  }
  assert.equal(await stageOf(code), 'awaiting_triage', 'nothing moved');
  // CSRF: a post without the token, or from another site, is refused.
  const noToken = await fetch(`${w.url}/agent/requetes/${code}/valider`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies.analyst, 'content-type': 'application/x-www-form-urlencoded' }, body: 'version=0' });
  assert.equal(noToken.status, 403);
  const page = await get(`/agent/requetes/${code}`, cookies.analyst);
  const withCsrf = jar(cookies.analyst, page);
  const html = await page.text();
  const crossSite = await fetch(`${w.url}/agent/requetes/${code}/valider`, { method: 'POST', redirect: 'manual', headers: { cookie: withCsrf, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(html), version: '0' }) });
  assert.equal(crossSite.status, 403);
  assert.equal(await stageOf(code), 'awaiting_triage');
  // A focal point does not see the citizen's contact details; an analyst does.
  assert.doesNotMatch(await (await get(`/agent/requetes/${code}`, cookies.focalSameBody)).text(), /aya\.kouassi@example\.ci/);
  assert.match(await (await get(`/agent/requetes/${code}`, cookies.analyst)).text(), /aya\.kouassi@example\.ci/);
});

test('illegal transitions are refused without corrupting state, and a race has one winner', async () => {
  const analyst = await signIn(w, ANALYST);
  const analyst2 = await signIn(w, ADMIN);
  const code = await newRequest();
  const obs = await newRequest({ nature: 'observation' });
  assert.equal((await act(w, analyst, obs, 'valider')).status, 409, 'an observation is not validated');
  assert.equal((await act(w, analyst, code, 'transmettre')).status, 409, 'a réclamation is not just forwarded');
  assert.equal((await act(w, analyst, code, 'rejeter', { message: '' })).status, 422, 'a message is needed');
  // Two analysts validate from the same page version: one wins, the other is refused.
  const page = await get(`/agent/requetes/${code}`, analyst);
  const v = (await page.text()).match(/name="version" value="(\d+)"/)[1];
  const post = async (cookie) => {
    const p = await get(`/agent/requetes/${code}`, cookie);
    const c = jar(cookie, p);
    const csrf = csrfOf(await p.text());
    const res = await fetch(`${w.url}/agent/requetes/${code}/valider`, { method: 'POST', redirect: 'manual', headers: { cookie: c, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, version: v }) });
    return res.status;
  };
  const results = (await Promise.all([post(analyst), post(analyst2)])).sort();
  assert.deepEqual(results, [303, 409]);
  assert.equal(await stageOf(code), 'in_treatment');
  const validated = await sql(w.dir, `SELECT count(*) AS n FROM request_events WHERE event = 'validated' AND request_id = (SELECT id FROM requests WHERE code = '${code}')`);
  assert.equal(validated[0].n, 1, 'one history row');
});

test('the lifecycle over HTTP, with a notification at each step for the citizen', async () => {
  const analyst = await signIn(w, ANALYST);
  const focal = await signIn(w, FP_EDU);
  const code = await newRequest({ email: 'cycle@example.ci' });
  const mailsFor = () => w.inbox.state.mails.filter((m) => m.to[0] === 'cycle@example.ci').map((m) => m.subject);
  assert.equal((await act(w, analyst, code, 'rejeter', { message: 'Précisez la date de votre visite.' })).status, 303);
  assert.equal(await stageOf(code), 'returned');
  await sql(w.dir, `UPDATE requests SET stage = 'awaiting_triage', version = version + 1 WHERE code = '${code}'`); // the citizen's edit (tested with tracking)
  assert.equal((await act(w, analyst, code, 'note', { message: 'Vu avec le service, dossier réel.' })).status, 303);
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  assert.equal(await stageOf(code), 'in_treatment');
  const queue = await (await get('/agent', focal)).text();
  assert.ok(queue.includes(`/agent/requetes/${code}`), 'in the focal point\'s queue');
  assert.equal((await act(w, focal, code, 'traiter', { message: 'Votre dossier est prêt au guichet 4.' })).status, 303);
  assert.equal(await stageOf(code), 'treated');
  await sql(w.dir, `UPDATE requests SET stage = 'closed', verdict = 'not_satisfied', version = version + 1 WHERE code = '${code}'`);
  const after = await (await get('/agent?file=avis', analyst)).text();
  assert.ok(after.includes(`/agent/requetes/${code}`), 'back to the analyst after «non satisfait»');
  assert.equal((await act(w, analyst, code, 'clarifier', { message: 'Le guichet 4 ouvre à 8 h.' })).status, 303);
  // Once the outbox has nothing left to send, every mail of the walk has arrived.
  await w.settled();
  // One mail per step; a queue does not promise their order.
  assert.deepEqual([...mailsFor()].sort(), [
    `Miliê — Votre réclamation n° ${code} est enregistrée`,
    `Miliê — Votre requête n° ${code} est à reformuler`,
    `Miliê — Votre réclamation n° ${code} est transmise`,
    `Miliê — Réponse à votre réclamation n° ${code}`,
    `Miliê — Message de l'analyste sur votre requête n° ${code}`,
  ].sort());
  // The internal note never reaches the citizen's view.
  const view = await (await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, email: 'cycle@example.ci' }) })).json();
  assert.ok(!JSON.stringify(view).includes('dossier réel'));
  assert.ok(JSON.stringify(view).includes('guichet 4 ouvre'));
});

test('a phone operator enters a caller\'s request: same rules, channel «phone», consent recorded, code to read', async () => {
  const operator = await w.signIn('operator');
  const analyst = await signIn(w, ANALYST);
  assert.equal((await get('/agent/telephone', analyst)).status, 403, 'analysts do not take calls');
  assert.equal((await get('/agent/telephone')).status, 303, 'anonymous');
  const start = await get('/agent/telephone', operator);
  assert.equal(start.status, 200);
  assert.match(await start.text(), /Requête reçue par téléphone/);
  const page = await get('/agent/telephone?nature=reclamation&organisme=3', operator);
  const html = await page.text();
  assert.match(html, /L&#39;appelant accepte les conditions d&#39;utilisation/);
  assert.match(html, /action="\/agent\/telephone"/);
  const form = {
    cookie: jar(operator, page),
    csrf: csrfOf(html),
    formKey: html.match(/name="form_key" value="([^"]*)"/)[1],
    organisme: '3',
  };
  const invalid = await postForm(w.url, form, { ...VALID, telephone: '07 12 34 56', email: 'appelant@example.ci', action: 'soumettre' }, [], {}, '/agent/telephone');
  assert.equal(invalid.status, 422, 'the same validation as the web form');
  assert.match(invalid.html, /Depuis 2021, les numéros ivoiriens ont 10 chiffres/);
  const res = await postForm(w.url, form, { ...VALID, email: 'appelant@example.ci', action: 'soumettre' }, [], {}, '/agent/telephone');
  assert.equal(res.status, 303);
  assert.match(res.location, /^\/agent\/telephone\/enregistree\?f=[\w-]{22}$/);
  const done = await (await get(res.location, operator)).text();
  const code = done.match(/id="request-code">(\d{8})</)[1];
  assert.match(done, /Lisez ce numéro à l&#39;appelant/);
  assert.equal((await get(res.location)).status, 303, 'the confirmation is for the operator only');
  const [row] = await sql(w.dir, `SELECT r.channel, e.actor_role, e.actor_id, e.note FROM requests r JOIN request_events e ON e.request_id = r.id WHERE r.code = '${code}'`);
  assert.equal(row.channel, 'phone');
  assert.equal(row.actor_role, 'phone_operator');
  assert.ok(row.actor_id > 0);
  assert.match(row.note, /consentement recueilli oralement/);
  assert.ok(await w.smsTo('+2250707123456', code), 'the caller gets the code by SMS');
  assert.ok(w.inbox.state.mails.some((m) => m.subject.includes(code) && m.to[0] === 'appelant@example.ci'), 'and by mail');

  // Worded for an operator speaking to a caller; a caller without email is registered as such.
  for (const words of ['Requête d&#39;un appelant', 'Remplissez ce formulaire pendant l&#39;appel', 'Ce que dit l&#39;appelant', 'Coordonnées de l&#39;appelant', 'Portable de l&#39;appelant', 'laissez vide s&#39;il n&#39;en a pas']) {
    assert.ok(html.includes(words), words);
  }
  const again = await get('/agent/telephone?nature=reclamation&organisme=3', operator);
  const againHtml = await again.text();
  const phoneOnly = await postForm(w.url, { cookie: jar(operator, again), csrf: csrfOf(againHtml), formKey: againHtml.match(/name="form_key" value="([^"]*)"/)[1], organisme: '3' },
    { ...VALID, email: '', telephone: '01 44 55 66 77', action: 'soumettre' }, [], {}, '/agent/telephone');
  assert.equal(phoneOnly.status, 303, phoneOnly.html.slice(0, 300));
  const spoken = await (await get(phoneOnly.location, operator)).text();
  const callerCode = spoken.match(/id="request-code">(\d{8})</)[1];
  const digits = callerCode.split('');
  assert.ok(spoken.includes(`${digits.slice(0, 4).join(' ')} — ${digits.slice(4).join(' ')}`), 'the code in two groups of four, to read aloud');
  assert.match(spoken, /Un SMS avec ce numéro et un lien de suivi est envoyé au \+2250144556677/);
  assert.doesNotMatch(spoken, /Un message de confirmation avec ce numéro est envoyé à/);
});

test('deadlines from the body\'s settings, «en retard» markers, filters, reassignment requests, return to the body', async () => {
  const analyst = await signIn(w, ANALYST);
  const focal = await signIn(w, FP_EDU);
  const code = await newRequest({ email: 'delais@example.ci' });
  const due = async () => (await sql(w.dir, `SELECT due_at - created_at AS d, due_at FROM requests WHERE code = '${code}'`))[0];
  assert.equal((await due()).d, 15 * 86400000, 'triage: 15 days by default');
  await sql(w.dir, `UPDATE requests SET due_at = ${Date.now() - 1000} WHERE code = '${code}'`);
  const queue = await (await get('/agent', analyst)).text();
  assert.match(queue, new RegExp(`${code}<\\/a>[\\s\\S]*?class="late">[^<]*<br><strong>en retard de \\d+ j</strong>`));
  // Filters: channel and age.
  assert.ok(!(await (await get('/agent?canal=phone', analyst)).text()).includes(code));
  assert.ok((await (await get('/agent?canal=api', analyst)).text()).includes(code));
  assert.ok(!(await (await get('/agent?age=7', analyst)).text()).includes(code), 'received today, not older than 7 days');

  await sql(w.dir, 'UPDATE bodies SET treatment_days = 20 WHERE id = 5');
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  const [{ d }] = await sql(w.dir, `SELECT due_at - updated_at AS d FROM requests WHERE code = '${code}'`);
  assert.equal(d, 20 * 86400000, 'treatment: the body\'s 20 days');

  // The focal point asks for a reassignment: the analyst sees it; the citizen does not.
  assert.equal((await act(w, focal, code, 'demander-reaffectation', { message: 'Cela relève du ministère de l\'Enseignement supérieur.' })).status, 303);
  const section = await (await get('/agent?file=reaffectations', analyst)).text();
  assert.ok(section.includes(`/agent/requetes/${code}`), 'listed among reassignment requests');
  const view = await (await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, email: 'delais@example.ci' }) })).json();
  assert.ok(!JSON.stringify(view).includes('Enseignement supérieur'));
  assert.equal((await act(w, analyst, code, 'reaffecter', { organisme: '4' })).status, 303);
  assert.ok(!(await (await get('/agent', focal)).text()).includes(code), 'gone from the first body\'s queue');
  assert.equal((await get(`/agent/requetes/${code}`, focal)).status, 404, 'and out of its scope');

  // Treated by the new body (admin acting), judged «partiellement», returned to the body.
  const admin = await signIn(w, ADMIN);
  assert.equal((await act(w, admin, code, 'traiter', { message: 'Votre dossier a été transmis au bon service.' })).status, 303);
  await sql(w.dir, `UPDATE requests SET stage = 'closed', verdict = 'partly_satisfied', version = version + 1 WHERE code = '${code}'`);
  assert.equal((await act(w, analyst, code, 'renvoyer-organisme', { message: 'Le citoyen attend toujours son dossier.' })).status, 303);
  const [row] = await sql(w.dir, `SELECT stage, verdict, due_at IS NOT NULL AS has_due FROM requests WHERE code = '${code}'`);
  assert.deepEqual(row, { stage: 'in_treatment', verdict: null, has_due: 1 });
});
