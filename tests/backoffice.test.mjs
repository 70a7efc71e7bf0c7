// Issue 31 over HTTP: a request held by one person of a body (taken, assigned by a supervisor,
// given back when its holder leaves or goes away), refused with the reason outside the body or to
// someone deactivated; twelve near-identical reports offered as duplicates, merged, their
// citizens told once and following the main one to its answer; unmerging; the refusals of bad
// pairs. Every step is in the history and in the audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { act, adminForm } from './support/agent.mjs';
import { lookup } from './support/tracking.mjs';

let w;
let admin;
let analyst;
let focal;
let second;
let boss;
const SECOND = 'pf2.education@milie.local';
const BOSS = 'superviseur.education@milie.local';
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  [admin, analyst, focal] = [await w.signIn('admin'), await w.signIn('analyst'), await w.signIn('focal')];
  // Two people of one body, and its supervisor, made through the administration.
  for (const [nom, email, role] of [['Awa Bamba', SECOND, 'focal_point'], ['Yao Koffi', BOSS, 'supervisor']]) {
    const made = await adminForm(w, admin, '/agent/admin/agents', { nom, email, role, organisme: '5' }, { from: '/agent/admin/agents' });
    assert.equal(made.status, 303, `${email} created`);
  }
  [second, boss] = [await w.signIn(SECOND), await w.signIn(BOSS)];
});
after(async () => { await w?.stop(); });

const get = async (path, cookie) => {
  const res = await fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  return { status: res.status, html: await res.text(), res };
};
const idOf = async (email) => (await sql(w.dir, `SELECT id FROM staff WHERE email = '${email}'`))[0].id;
const request = async (code) => (await sql(w.dir, `SELECT * FROM requests WHERE code = '${code}'`))[0];
const events = async (code) => (await sql(w.dir, `SELECT e.event, e.actor_role, e.note, e.visible_to_citizen, e.subject_id FROM request_events e JOIN requests r ON r.id = e.request_id WHERE r.code = '${code}' ORDER BY e.id`));
const audited = async (action, target) => (await sql(w.dir, `SELECT count(*) AS n FROM audit_log WHERE action = '${action}' AND target = '${target}'`))[0].n;
const validated = async (fields = {}) => {
  const { code } = await w.newRequest(fields);
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  return code;
};

test('two people of one body: one takes a request, the other sees it held, a supervisor reassigns it, «Mes dossiers» and the alert follow', async () => {
  const code = await validated();
  const [me, other] = [await idOf('point-focal.education@milie.local'), await idOf(SECOND)];
  const taken = await act(w, focal, code, 'prendre');
  assert.equal(taken.status, 303);
  assert.match(taken.html, /Vous vous chargez de cette requête/);
  assert.equal((await request(code)).assignee_id, me);
  // The colleague sees it held, in the queue and on the page, and cannot take it over.
  const queue = await get('/agent?file=a-traiter', second);
  assert.match(queue.html, new RegExp(`${code}[\\s\\S]*?Prise en charge par Point focal`));
  const refused = await act(w, second, code, 'prendre');
  assert.equal(refused.status, 409);
  assert.match(refused.html, /Un collègue s&#39;en charge déjà/);
  // «Mes dossiers»: the holder's, not the colleague's.
  assert.match((await get('/agent?file=mes-dossiers', focal)).html, new RegExp(code));
  assert.doesNotMatch((await get('/agent?file=mes-dossiers', second)).html, new RegExp(code));
  // The supervisor gives it to the colleague, with the reason; the colleague is alerted.
  await w.settled();
  const before = w.inbox.state.mails.filter((m) => m.to.includes(SECOND)).length;
  const given = await act(w, boss, code, 'attribuer', { agent: String(other), message: 'Awa connaît ce lycée.' });
  assert.equal(given.status, 303);
  assert.equal((await request(code)).assignee_id, other);
  const alert = await w.mailTo(SECOND, 'Requête qui vous est attribuée');
  assert.match(alert.subject, new RegExp(code));
  await w.settled();
  assert.equal(w.inbox.state.mails.filter((m) => m.to.includes(SECOND)).length, before + 1, 'told once');
  assert.match((await get('/agent?file=mes-dossiers', second)).html, new RegExp(code));
  assert.doesNotMatch((await get('/agent?file=mes-dossiers', focal)).html, new RegExp(code));
  // In the history (staff only) and the audit trail.
  const rows = await events(code);
  assert.deepEqual(rows.slice(-2).map((e) => [e.event, e.visible_to_citizen, e.subject_id]), [['took_charge', 0, me], ['assigned', 0, other]]);
  assert.equal(rows.at(-1).note, 'Awa connaît ce lycée.');
  assert.equal(await audited('request.prendre', code), 1);
  assert.equal(await audited('request.attribuer', code), 1);
});

test('assigning outside the body, to someone deactivated or away, or without a reason is refused with the reason (409)', async () => {
  const code = await validated();
  const elsewhere = await idOf('point-focal.defense@milie.local');
  const outside = await act(w, boss, code, 'attribuer', { agent: String(elsewhere), message: 'Essai de réaffectation.' });
  assert.equal(outside.status, 409);
  assert.match(outside.html, /n&#39;est pas point focal de l&#39;organisme de la requête/);
  // A third focal point, deactivated: refused by name.
  const made = await adminForm(w, admin, '/agent/admin/agents', { nom: 'Ex Agent', email: 'ex.education@milie.local', role: 'focal_point', organisme: '5' }, { from: '/agent/admin/agents' });
  assert.equal(made.status, 303);
  const gone = await idOf('ex.education@milie.local');
  assert.equal((await adminForm(w, admin, `/agent/admin/agents/${gone}/desactiver`, {}, { from: `/agent/admin/agents/${gone}/desactiver` })).status, 303);
  const deactivated = await act(w, boss, code, 'attribuer', { agent: String(gone), message: 'Essai de réaffectation.' });
  assert.equal(deactivated.status, 409);
  assert.match(deactivated.html, /Le compte de cette personne est désactivé/);
  assert.equal((await request(code)).assignee_id, null, 'nothing changed');
  // A focal point cannot give it to someone else; a supervisor of another body does not see it.
  assert.equal((await act(w, focal, code, 'attribuer', { agent: String(await idOf(SECOND)), message: 'Essai de réaffectation.' })).status, 409);
});

test('a holder who goes away, or is deactivated, gives their requests back to the body\'s queue with a note', async () => {
  const [a, b] = [await validated(), await validated()];
  const made = await adminForm(w, admin, '/agent/admin/agents', { nom: 'Temp Agent', email: 'temp.education@milie.local', role: 'focal_point', organisme: '5' }, { from: '/agent/admin/agents' });
  assert.equal(made.status, 303);
  const temp = await w.signIn('temp.education@milie.local');
  assert.equal((await act(w, temp, a, 'prendre')).status, 303);
  assert.equal((await act(w, second, b, 'prendre')).status, 303);
  // Away: the form on the workspace; back in the queue at once, with the note; not assignable.
  const page = await get('/agent', second);
  const csrf = page.html.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = [second, page.res.headers.get('set-cookie')?.split(';')[0]].filter(Boolean).join('; ');
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  const away = await fetch(`${w.url}/agent/absence`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, jusqu_au: tomorrow }) });
  assert.equal(away.status, 303);
  assert.equal((await request(b)).assignee_id, null);
  const released = (await events(b)).at(-1);
  assert.deepEqual([released.event, released.actor_role], ['released', 'system']);
  assert.match(released.note, /est absente/);
  const refused = await act(w, boss, b, 'attribuer', { agent: String(await idOf(SECOND)), message: 'Essai de réaffectation.' });
  assert.equal(refused.status, 409);
  assert.match(refused.html, /Cette personne est absente/);
  // Deactivated: the same.
  const id = await idOf('temp.education@milie.local');
  assert.equal((await adminForm(w, admin, `/agent/admin/agents/${id}/desactiver`, {}, { from: `/agent/admin/agents/${id}/desactiver` })).status, 303);
  assert.equal((await request(a)).assignee_id, null);
  assert.match((await events(a)).at(-1).note, /désactivé/);
  assert.equal(await audited('self.absence', String(await idOf(SECOND))), 1);
  // Back again.
  const back = await fetch(`${w.url}/agent/absence`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, retour: '1' }) });
  assert.equal(back.status, 303);
  assert.equal((await sql(w.dir, `SELECT away_until FROM staff WHERE email = '${SECOND}'`))[0].away_until, null);
});

test('twelve near-identical reports are offered as duplicates at triage, merged, each citizen told once and following the main one to its answer', async () => {
  const place = (await sql(w.dir, "SELECT id FROM places WHERE kind = 'commune' ORDER BY id LIMIT 1"))[0].id;
  const theme = (await sql(w.dir, 'SELECT id FROM themes WHERE body_id IS NULL ORDER BY id LIMIT 1'))[0].id;
  const base = 'Le toit de la salle de classe du lycée moderne est effondré depuis la pluie, les élèves ont cours dehors';
  const twelve = [];
  for (let i = 0; i < 12; i++) twelve.push(await w.newRequest({ localite: String(place), theme: String(theme), message: `${base} (signalement ${i + 1}).` }));
  const [main, ...rest] = twelve;
  await w.settled();
  // At triage: the eleven others, each with its score.
  const page = await get(`/agent/requetes/${main.code}`, analyst);
  const offered = [...page.html.matchAll(/name="doublons" value="(\d{8})\.(\d+)"/g)].map((m) => m[1]);
  assert.deepEqual(offered.sort(), rest.map((r) => r.code).sort());
  assert.match(page.html, /<strong>\d+ %<\/strong><br><span class="hint">même thème et même lieu/);
  // Attached in one go, after a confirmation page of its own.
  const query = [...page.html.matchAll(/name="doublons" value="([\d.]+)"/g)].map((m) => `doublons=${m[1]}`).join('&');
  const confirm = await get(`/agent/requetes/${main.code}/rattacher?${query}`, analyst);
  assert.equal(confirm.status, 200);
  assert.match(confirm.html, /Rattacher ces requêtes à la requête/);
  const csrf = confirm.html.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = [analyst, confirm.res.headers.get('set-cookie')?.split(';')[0]].filter(Boolean).join('; ');
  const body = new URLSearchParams({ csrf });
  for (const m of confirm.html.matchAll(/name="doublons" value="([\d.]+)"/g)) body.append('doublons', m[1]);
  const attached = await fetch(`${w.url}/agent/requetes/${main.code}/rattacher`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body });
  assert.equal(attached.status, 303);
  assert.match(attached.headers.get('location'), /rattachees=11&refusees=#/);
  const mainRow = await request(main.code);
  for (const r of rest) {
    const row = await request(r.code);
    assert.deepEqual([row.stage, row.merged_into, row.stage_before_merge], ['merged', mainRow.id, 'awaiting_triage']);
  }
  const mainPage = (await get(`/agent/requetes/${main.code}`, analyst)).html;
  assert.match(mainPage, /Requêtes rattachées \(doublons\) \(11\)/);
  // Each citizen told once, by mail and by SMS.
  await w.settled();
  for (const r of rest) {
    const mails = w.inbox.state.mails.filter((m) => m.to.includes(r.email) && m.subject.includes('regroupée'));
    assert.equal(mails.length, 1, `${r.email} told once`);
    assert.match(mails[0].text, new RegExp(r.code), 'with their own code');
    assert.equal(w.inbox.state.sms.filter((s) => s.to === r.phone && /regroup/.test(s.text)).length, 1);
  }
  // The main one goes its way; each follower's citizen hears of the answer, once, and their page follows it.
  assert.equal((await act(w, analyst, main.code, 'valider')).status, 303);
  assert.equal((await act(w, focal, main.code, 'traiter', { message: 'Le toit sera réparé la semaine prochaine.' })).status, 303);
  await w.settled();
  for (const r of rest) {
    const answers = w.inbox.state.mails.filter((m) => m.to.includes(r.email) && m.subject.includes('Réponse à votre requête'));
    assert.equal(answers.length, 1, `${r.email} hears of the answer once`);
    assert.match(answers[0].text, /Le toit sera réparé la semaine prochaine/);
    assert.match(answers[0].text, new RegExp(r.code));
  }
  const found = await lookup(w.url, rest[0].code, rest[0].email);
  const tracked = found.status === 303 ? await get(found.res.headers.get('location'), found.cookie) : found;
  assert.match(tracked.html, /Regroupée avec d&#39;autres requêtes sur le même problème — /);
  assert.match(tracked.html, /Le toit sera réparé la semaine prochaine/);
  // Counted apart in the statistics' rollups.
  await w.daily();
  const merged = await sql(w.dir, "SELECT sum(count) AS n FROM stats_facts WHERE dimension = 'stage' AND value = 'merged'");
  assert.ok(merged[0].n >= 11, JSON.stringify(merged));
  assert.equal(await audited('request.fusionner', rest[0].code), 1);
});

test('bad merges are refused with the reason: itself, another body, a chain, a closed request; unmerging restores the stage and tells the citizen', async () => {
  const place = (await sql(w.dir, "SELECT id FROM places WHERE kind = 'commune' ORDER BY id LIMIT 1 OFFSET 3"))[0].id;
  const same = { localite: String(place), message: 'La cantine scolaire est fermée depuis deux semaines sans explication aux parents.' };
  const [a, b, c] = [await w.newRequest(same), await w.newRequest(same), await w.newRequest(same)];
  const itself = await get(`/agent/requetes/${a.code}/fusionner?dans=${a.code}`, analyst);
  assert.equal(itself.status, 409);
  assert.match(itself.html, /ne peut pas être fusionnée avec elle-même/);
  assert.doesNotMatch(itself.html, /method="post" action="\/agent\/requetes\/\d+\/fusionner"/, 'nothing to confirm');
  const defense = await w.newRequest({ ...same, organisme: '2' });
  const otherBody = await get(`/agent/requetes/${a.code}/fusionner?dans=${defense.code}`, analyst);
  assert.equal(otherBody.status, 409);
  assert.match(otherBody.html, /pas adressées au même organisme/);
  // The same refusal when posted directly.
  const posted = await act(w, analyst, a.code, 'fusionner', { principale: defense.code });
  assert.equal(posted.status, 409);
  // B into A, then A into B: a chain.
  assert.equal((await act(w, analyst, b.code, 'fusionner', { principale: a.code })).status, 303);
  const chain = await act(w, analyst, a.code, 'fusionner', { principale: b.code });
  assert.equal(chain.status, 409);
  assert.match(chain.html, /La requête principale est elle-même un doublon|ses propres doublons/);
  // A closed request (taken into account) is never merged.
  const closed = await w.newRequest({ ...same, nature: 'suggestion' });
  await act(w, analyst, closed.code, 'transmettre');
  await act(w, focal, closed.code, 'prendre-en-compte');
  const intoClosed = await act(w, analyst, c.code, 'fusionner', { principale: closed.code });
  assert.equal(intoClosed.status, 409);
  // Unmerge B: back to triage, its citizen told.
  const confirm = await get(`/agent/requetes/${b.code}/defusionner`, analyst);
  assert.equal(confirm.status, 200);
  assert.match(confirm.html, /Défusionner la requête/);
  assert.equal((await act(w, analyst, b.code, 'defusionner')).status, 303);
  const row = await request(b.code);
  assert.deepEqual([row.stage, row.merged_into], ['awaiting_triage', null]);
  await w.mailTo(b.email, 'de nouveau suivie seule');
  assert.deepEqual((await events(a.code)).slice(-2).map((e) => e.event), ['duplicate_attached', 'duplicate_detached']);
});
