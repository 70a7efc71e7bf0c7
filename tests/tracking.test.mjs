// Citizen tracking (guide part B) over HTTP against the real local runtime.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sameHour } from './support/clock.mjs';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, PDF, apiSubmit, unescape } from './support/forms.mjs';
import { sign, jar, lookup, pagePost, SECRET } from './support/tracking.mjs';

let w;
before(async () => { w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', TRACK_FAILURES_PER_HOUR: '10' } }); });
after(async () => { await w?.stop(); });

const EMAIL = 'Awa.Kone@Example.ci';
const newRequest = async (fields = {}, files = []) => (await w.newRequest({ organisme: '4', email: EMAIL, ...fields }, files)).code;
const row = async (code) => (await sql(w.dir, `SELECT * FROM requests WHERE code = '${code}'`))[0];
const events = async (code) => (await sql(w.dir, `SELECT event, note, to_stage FROM request_events WHERE request_id = (SELECT id FROM requests WHERE code = '${code}') ORDER BY id`));
const get = (path, cookie = '') => fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });

test('code + email (any case) open a tracking session and the guide\'s table', async () => {
  const code = await newRequest();
  const { status, res, cookie } = await lookup(w.url, ` ${code} `, 'awa.kone@EXAMPLE.ci');
  assert.equal(status, 303);
  assert.equal(res.headers.get('location'), `/suivi/${code}`);
  assert.match(res.headers.getSetCookie().join(), /__Host-suivi=\d{8}\.[\w-]{27}; Path=\/; Secure; HttpOnly; SameSite=Lax/);
  // The D1 session's bookmark travels with the browser (Sessions API: read-your-writes on replicas).
  assert.match(res.headers.getSetCookie().join(), /__Host-d1b=[\w-]+; Path=\/; Secure; HttpOnly/);
  const page = await get(`/suivi/${code}`, cookie);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('cache-control'), /no-store/);
  const html = await page.text();
  for (const col of ['Code', 'Nature', 'Date de saisie', 'Thème', 'Message', 'Niveau d&#39;avancement', 'Message du ministère', 'Avis du citoyen', 'Réponse de l&#39;analyste', 'Consultation']) {
    assert.ok(html.includes(`<th scope="col">${col}</th>`), col);
  }
  assert.match(html, new RegExp(`<th scope="row" data-label="Code">${code}</th>`));
  assert.match(html, /id="stage">En attente de traitement</);
  assert.match(html, /Comprendre les étapes de traitement/);
  assert.match(html, /<span class="when">\d+\/\d+\/\d{4}<\/span> — Requête enregistrée/);
  // The code and email never travel in a URL.
  assert.doesNotMatch(html, /action="\/suivi\?/);
});

test('a wrong code and a wrong email get the same answer', async () => {
  const code = await newRequest();
  const other = code === '99999999' ? '99999998' : '99999999';
  const badCode = await lookup(w.url, other, EMAIL);
  const badEmail = await lookup(w.url, code, 'someone.else@example.ci');
  const malformed = await lookup(w.url, 'abc', EMAIL);
  // Only the echoed input differs; status, message and every other byte are the same.
  const strip = (r) => r.html.replace(/name="csrf" value="[^"]*"/, '').replace(/name="code" value="[^"]*"/, '').replace(/name="email" value="[^"]*"/, '');
  assert.equal(badCode.status, 404);
  assert.equal(badEmail.status, 404);
  assert.equal(malformed.status, 404);
  assert.equal(strip(badCode), strip(badEmail));
  assert.equal(strip(malformed), strip(badEmail));
  assert.match(badCode.html, /Aucune requête ne correspond à ce code et à cette adresse électronique/);
  const api = async (body) => {
    const res = await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return [res.status, await res.text()];
  };
  assert.deepEqual(await api({ code: other, email: EMAIL }), await api({ code, email: 'x@example.ci' }));
});

test('the 11th failure within the hour is refused even with the right pair, and the limit resets', async () => {
  await sameHour();
  const email = 'limite@example.ci';
  const code = await newRequest({ email });
  for (let i = 0; i < 10; i++) assert.equal((await lookup(w.url, '12345678', email)).status, 404);
  const blocked = await lookup(w.url, code, email);
  assert.equal(blocked.status, 429);
  assert.match(blocked.html, /Trop de tentatives infructueuses\. Réessayez dans \d+ minutes\./);
  assert.ok(Number(blocked.res.headers.get('retry-after')) > 0);
  // An hour later (the window moved on), the right pair opens the request again.
  await sql(w.dir, `UPDATE rate_limits SET window_start = window_start - 3600000 WHERE bucket LIKE 'track:%'`);
  assert.equal((await lookup(w.url, code, email)).status, 303);
});

test('the mail link opens the request alone; tampered, expired or foreign tokens fall back to the form', async () => {
  const code = await newRequest();
  const future = Math.floor(Date.now() / 1000) + 3600;
  const good = sign('link', code, EMAIL, future);
  const res = await get(`/suivi/${code}?t=${good}`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), new RegExp(`Votre requête ${code}`));
  assert.match(res.headers.getSetCookie().join(), /__Host-suivi=/);

  const flip = good.slice(0, 5) + (good[5] === 'A' ? 'B' : 'A') + good.slice(6);
  const otherCode = await newRequest();
  for (const t of [flip, sign('link', code, EMAIL, Math.floor(Date.now() / 1000) - 1), sign('link', otherCode, EMAIL, future),
    sign('link', code, EMAIL, future, 'another-secret-0123456789'), sign('session', code, EMAIL, future), 'garbage']) {
    const refused = await get(`/suivi/${code}?t=${t}`);
    assert.equal(refused.status, 200);
    const html = await refused.text();
    assert.match(html, /Ce lien de suivi a expiré ou n&#39;est pas valide/, t);
    assert.match(html, new RegExp(`name="code" value="${code}"`), 'code prefilled');
    assert.doesNotMatch(html, /Lecture de votre message/);
    assert.equal(refused.headers.getSetCookie().filter((c) => c.startsWith('__Host-suivi')).length, 0);
  }
  // The link in the confirmation mail is such a link, valid about thirty days.
  const mail = await eventually(() => w.inbox.state.mails.find((x) => x.subject.includes(code)), { what: `the confirmation mail of ${code}`, worker: w });
  const link = mail.text.match(new RegExp(`http://localhost:8787/suivi/${code}\\?t=([\\w-]{27})`));
  assert.ok(link, mail.text);
  const expires = Buffer.from(link[1], 'base64url').readUInt32BE(0);
  assert.ok(Math.abs(expires - (Date.now() / 1000 + 30 * 86400)) < 120, 'thirty days');
  assert.equal((await get(`/suivi/${code}?t=${link[1]}`)).status, 200);
  assert.ok(SECRET);
});

test('opening pages never changes a request', async () => {
  const code = await newRequest();
  const before = await row(code);
  const t = sign('link', code, EMAIL, Math.floor(Date.now() / 1000) + 3600);
  const { cookie } = await lookup(w.url, code, EMAIL);
  for (const path of [`/suivi/${code}?t=${t}`, `/suivi/${code}`, `/suivi/${code}/avis`, `/suivi/${code}/relancer`, `/suivi/${code}/modifier`]) {
    await (await get(path, cookie)).arrayBuffer();
  }
  assert.deepEqual(await row(code), before);
  assert.equal((await events(code)).length, 1);
});

test('after a reformulation request the citizen edits the message; history and versions are kept', async () => {
  const code = await newRequest();
  await sql(w.dir, `UPDATE requests SET stage = 'returned', version = version + 1 WHERE code = '${code}'`);
  await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, note) VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'sent_back', 'analyst', 'returned', 'Précisez le guichet et la date.')`);
  await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, note, visible_to_citizen) VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'note', 'analyst', 'NOTE INTERNE', 0)`);
  const { cookie } = await lookup(w.url, code, EMAIL);
  const html = await (await get(`/suivi/${code}`, cookie)).text();
  assert.match(html, /id="stage">À reformuler</);
  assert.match(html, /Message retour de l&#39;analyste :/);
  assert.match(html, /Précisez le guichet et la date\./);
  assert.doesNotMatch(html, /NOTE INTERNE/, 'internal notes stay internal');

  const short = await pagePost(w.url, `/suivi/${code}/modifier`, cookie, { message: 'court' });
  assert.equal(short.status, 422);
  assert.match(short.html, /Votre message doit comporter au moins 10 caractères\./);
  const edited = await pagePost(w.url, `/suivi/${code}/modifier`, cookie,
    { message: 'Guichet 3 de la mairie de Cocody, le 12 novembre à 10 h.' }, [['preuve.pdf', PDF]]);
  assert.equal(edited.status, 200);
  assert.match(edited.html, /Votre modification est enregistrée/);
  const r = await row(code);
  assert.equal(r.stage, 'awaiting_triage');
  assert.equal(r.message, 'Guichet 3 de la mairie de Cocody, le 12 novembre à 10 h.');
  assert.deepEqual((await sql(w.dir, `SELECT message FROM request_versions WHERE request_id = ${r.id}`)).map((v) => v.message), [VALID.message]);
  assert.deepEqual((await events(code)).map((e) => e.event), ['submitted', 'sent_back', 'note', 'edited']);
  const files = await sql(w.dir, `SELECT file_name FROM attachments WHERE request_id = ${r.id}`);
  assert.deepEqual(files.map((f) => f.file_name), ['preuve.pdf']);
  // A stale page (older version) cannot overwrite the newer state.
  const stale = await pagePost(w.url, `/suivi/${code}/modifier`, cookie, { message: 'Une autre version du message.', version: '0' });
  assert.equal(stale.status, 409);
  assert.equal((await row(code)).message, 'Guichet 3 de la mairie de Cocody, le 12 novembre à 10 h.');
});

async function treated(code) {
  await sql(w.dir, `UPDATE requests SET stage = 'treated', treated_at = ${Date.now()}, version = version + 1 WHERE code = '${code}'`);
  await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, note) VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'treated', 'focal_point', 'treated', 'Le guichet rouvre lundi ; nous vous prions de nous excuser.')`);
}

test('each of the three verdicts closes a treated request', async () => {
  for (const [value, label] of [['satisfied', 'Satisfait'], ['partly_satisfied', 'Partiellement satisfait'], ['not_satisfied', 'Non satisfait']]) {
    const code = await newRequest();
    await treated(code);
    const { cookie } = await lookup(w.url, code, EMAIL);
    const html = await (await get(`/suivi/${code}`, cookie)).text();
    assert.match(html, /id="stage">Traité le \d+\/\d+\/\d{4}</);
    assert.match(html, /Cliquer pour lire le message du ministère/);
    assert.match(html, /Le guichet rouvre lundi/);
    assert.match(html, /Donner notre avis de fin ou relancer la requête SVP !/);
    const missing = await pagePost(w.url, `/suivi/${code}/avis`, cookie, {});
    assert.equal(missing.status, 422);
    const done = await pagePost(w.url, `/suivi/${code}/avis`, cookie, { avis: value, commentaire: 'Merci.' });
    assert.equal(done.status, 200);
    assert.match(done.html, new RegExp(`id="verdict">${label}<`));
    const r = await row(code);
    assert.deepEqual([r.stage, r.verdict, r.verdict_comment], ['closed', value, 'Merci.']);
    // Only once: the form is gone and a second post is refused.
    assert.doesNotMatch(done.html, /name="avis"/);
    assert.equal((await pagePost(w.url, `/suivi/${code}/avis`, cookie, { avis: 'satisfied' })).status, 409);
  }
});

test('reopening sends the request back to the body and tells the citizen', async () => {
  const code = await newRequest();
  await treated(code);
  const { cookie } = await lookup(w.url, code, EMAIL);
  const bad = await pagePost(w.url, `/suivi/${code}/relancer`, cookie, { motif: '' });
  assert.equal(bad.status, 422);
  const res = await pagePost(w.url, `/suivi/${code}/relancer`, cookie, { motif: 'Le guichet est toujours fermé ce lundi.' });
  assert.equal(res.status, 200);
  assert.match(res.html, /Votre requête est relancée/);
  assert.equal((await row(code)).stage, 'in_treatment');
  assert.deepEqual((await events(code)).at(-1), { event: 'reopened', note: 'Le guichet est toujours fermé ce lundi.', to_stage: 'in_treatment' });
  await eventually(() => w.inbox.state.mails.some((m) => m.subject.includes(`${code} est relancée`)), { what: `the mail saying ${code} is reopened`, worker: w });
  assert.ok(w.inbox.state.mails.some((m) => m.subject === `Miliê — Votre requête n° ${code} est relancée`));
});

test('attachments are downloaded by their citizen only, as attachments', async () => {
  const code = await newRequest({}, [['reçu mars.pdf', PDF]]);
  const id = (await sql(w.dir, `SELECT id FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`))[0].id;
  assert.equal((await get(`/suivi/${code}/pieces/${id}`)).status, 404, 'no session, no file');
  const { cookie } = await lookup(w.url, code, EMAIL);
  const other = await newRequest();
  const otherSession = (await lookup(w.url, other, EMAIL)).cookie;
  assert.equal((await get(`/suivi/${code}/pieces/${id}`, otherSession)).status, 404, 'another request\'s session');
  const res = await get(`/suivi/${code}/pieces/${id}`, cookie);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="re_u mars.pdf"; filename*=UTF-8''re%C3%A7u%20mars.pdf`);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
});

test('forgotten codes: one mail listing them, and the same answer for an unknown address', async () => {
  const email = 'oubli@example.ci';
  const codes = [await newRequest({ email }), await newRequest({ email, nature: 'suggestion' })];
  const ask = async (address) => {
    const page = await get('/suivi/oubli');
    const cookie = jar('', page);
    const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
    const res = await fetch(`${w.url}/suivi/oubli`, { method: 'POST', headers: { cookie, origin: w.url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, email: address }) });
    return [res.status, (await res.text()).replace(/name="csrf" value="[^"]*"/g, '')];
  };
  const known = await ask(email);
  const unknown = await ask('personne@example.ci');
  assert.deepEqual(known, unknown);
  assert.equal(known[0], 200);
  assert.match(known[1], /Si des requêtes ont été soumises avec cette adresse/);
  const mail = await w.mailTo(email, 'Vos codes de requête');
  assert.equal(mail.subject, 'Miliê — Vos codes de requête', 'codes mailed');
  for (const code of codes) assert.match(mail.text, new RegExp(`- ${code} — (Réclamation|Suggestion) — Ministère de l'Enseignement supérieur`));
  assert.ok(!w.inbox.state.mails.some((m) => m.to[0] === 'personne@example.ci'));
});

test('POST /api/v1/suivi gives the public view', async () => {
  const code = await newRequest();
  const res = await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, email: EMAIL.toUpperCase() }) });
  assert.equal(res.status, 200);
  const view = await res.json();
  assert.equal(view.code, code);
  assert.equal(view.stage, 'awaiting_triage');
  assert.equal(view.etape, 1);
  assert.equal(view.organisme.id, 4);
  assert.deepEqual(view.history.map((h) => h.event), ['submitted']);
  assert.equal(JSON.stringify(view).includes('0707123456'), false, 'no phone number');
  assert.equal(view.email, undefined);
  assert.ok(unescape);
});
