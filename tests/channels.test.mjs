// Citizens without mobile data (issue #30): the USSD menu and two-way SMS, through the real
// callback routes of the local runtime, driven by a scripted gateway that follows Africa's
// Talking's public protocol (tests/support/gateway.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql, CALLBACK_SECRETS } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { dial, sms, post, septets } from './support/gateway.mjs';
import { act } from './support/agent.mjs';

let w;
let analyst;
let focal;
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } });
  [analyst, focal] = [await w.signIn('analyst'), await w.signIn('focal')];
});
after(async () => { await w?.stop(); });

// One number per test and network: Orange 07, MTN 05, Moov 01.
let serial = 0;
const number = (network = '07') => `+225${network}${String(process.pid % 100).padStart(2, '0')}${String(++serial).padStart(6, '0')}`;
const row = async (code) => (await sql(w.dir, `SELECT * FROM requests WHERE code = '${code}'`))[0];
const MESSAGE = 'Le guichet de la mairie est fermé depuis lundi, aux heures affichées.';

/** Every screen so far fits a handset: at most 182 septets, all of them GSM-7. */
function fits(session) {
  for (const screen of session.screens) assert.ok(septets(screen) <= 182, `${septets(screen)} septets: ${screen}`);
}

/** A réclamation to body 5 (Éducation nationale) from the USSD menu; resolves with its code. */
async function submitByUssd(phone, { language = '1' } = {}) {
  const s = await dial(w, phone);
  if (/Choose your language/.test(s.screen)) await s.answer(language);
  assert.match(s.screen, /1 Soumettre une requete|1 Submit a request/);
  await s.answer('1');
  assert.match(s.screen, /1 Réclamation|1 Complaint/);
  await s.answer('1');
  assert.match(s.screen, /^(Organisme|Public body)/);
  await s.answer('00');
  await s.answer('5');
  assert.match(s.screen, /^(Région|Region)/);
  await s.answer('1');
  assert.match(s.screen, /^(Commune ou sous-préfecture|Commune or sub-prefecture)/);
  await s.answer('1');
  assert.match(s.screen, /^(Thème|Theme)/);
  await s.answer('1');
  assert.match(s.screen, /\(10 (caractères|characters)/);
  await s.answer(MESSAGE);
  assert.match(s.screen, /1 (Envoyer|Send)/);
  await s.answer('1');
  assert.ok(s.ended, s.screen);
  fits(s);
  return { code: s.screen.match(/\b(\d{8})\b/)?.[1], session: s };
}

/** The analyst validates and the focal point answers, through the staff routes. */
async function treat(code, answer = 'Le guichet rouvre lundi à 8 heures ; nous vous prions de nous excuser.') {
  if ((await row(code)).stage === 'awaiting_triage') assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  assert.equal((await act(w, focal, code, 'traiter', { message: answer })).status, 303);
  assert.equal((await row(code)).stage, 'treated');
}

test('a full USSD session submits a réclamation in at most 12 screens of at most 182 GSM-7 septets, and the code arrives by SMS', async () => {
  const phone = number('07');
  const { code, session } = await submitByUssd(phone);
  assert.match(code ?? '', /^\d{8}$/, session.screen);
  assert.ok(session.screens.length <= 12, `${session.screens.length} screens`);
  assert.match(session.screen, /Réclamation|réclamation/i);
  const r = await row(code);
  assert.deepEqual([r.channel, r.phone, r.email, r.body_id, r.lang, r.nature, r.message], ['ussd', phone, '', 5, 'fr', 'reclamation', MESSAGE]);
  const sent = await w.smsTo(phone, code);
  assert.ok(septets(sent.text) <= 160, sent.text);
  // Staff see the way it came in.
  const page = await (await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: analyst } })).text();
  assert.match(page, /Menu USSD \(mobile\)/);
});

test('the same number follows it, reopens and gives its verdict on the USSD menu; a second number can do none of it', async () => {
  const phone = number('05');
  const { code } = await submitByUssd(phone, { language: '2' });
  assert.equal((await row(code)).lang, 'en');
  await treat(code);
  // The verdict's SMS says how to answer by SMS.
  const treatedSms = await w.smsTo(phone, 'REOPEN');
  assert.match(treatedSms.text, /Reply by SMS to 7117: 1 satisfied/);
  // The language is remembered: the main menu comes first, in English.
  let s = await dial(w, phone);
  assert.match(s.screen, /^Milie - Citizens' portal/);
  await s.answer('2');
  assert.match(s.screen, new RegExp(`1 ${code} Handled, opinion awaited`));
  await s.choose(code);
  assert.match(s.screen, /1 Read the answer\n2 Give my opinion\n3 Reopen/);
  await s.answer('1');
  assert.match(s.screen, /^Answer \(1\/1\):\nLe guichet rouvre lundi/);
  await s.answer('0');
  await s.answer('3');
  await s.answer('court');
  assert.match(s.screen, /^Too short/);
  await s.answer('Le guichet est toujours fermé ce matin.');
  assert.ok(s.ended);
  assert.match(s.screen, /reopened/);
  fits(s);
  assert.equal((await row(code)).stage, 'in_treatment');
  const events = await sql(w.dir, `SELECT event, note, actor_role FROM request_events WHERE request_id = (SELECT id FROM requests WHERE code = '${code}') ORDER BY id`);
  assert.deepEqual(events.at(-1), { event: 'reopened', note: 'Le guichet est toujours fermé ce matin.', actor_role: 'citizen' });
  await w.smsTo(phone, `${code} has been reopened`);

  await treat(code, 'Le guichet a rouvert ce matin.');
  s = await dial(w, phone);
  await s.answer('2');
  await s.choose(code);
  await s.answer('2');
  await s.answer('2');
  assert.ok(s.ended);
  assert.match(s.screen, /your opinion is recorded/);
  assert.deepEqual([(await row(code)).stage, (await row(code)).verdict], ['closed', 'partly_satisfied']);

  // Another number sees none of it and changes nothing.
  const other = await dial(w, number('01'));
  await other.answer('1');
  await other.answer('2');
  assert.match(other.screen, /Aucune requete avec ce numéro/);
  assert.doesNotMatch(other.screen, new RegExp(code));
});

test('by SMS: SUIVI, AVIS, RELANCE, CODES and AIDE in any case and accents, from all three networks; the verdict by a bare reply', async () => {
  for (const network of ['07', '05', '01']) {
    const phone = number(network);
    const { code } = await w.newRequest({ organisme: '5', telephone: phone, email: '' });
    const before = w.inbox.state.sms.filter((m) => m.to === phone).length;
    assert.equal((await sms(w, phone, `suivi ${code}`)).status, 200);
    const status = await w.smsTo(phone, 'en attente de traitement');
    assert.match(status.text, new RegExp(`^Milie : requete ${code} \\(Réclamation\\), en attente de traitement\\.$`));
    await treat(code);
    assert.equal((await sms(w, phone, `Suivi ${code.slice(0, 4)} ${code.slice(4)}`)).status, 200);
    const answered = await w.smsTo(phone, 'Réponse');
    assert.match(answered.text, /Réponse : "Le guichet rouvre lundi.*RELANCE/);
    assert.ok(septets(answered.text) <= 306);
    // A bare «3» answers the verdict SMS.
    await sms(w, phone, '3');
    await w.smsTo(phone, `votre avis sur la requete ${code} est enregistré`);
    assert.deepEqual([(await row(code)).stage, (await row(code)).verdict], ['closed', 'not_satisfied']);
    assert.equal((await sms(w, phone, 'AÏDE')).status, 200);
    await w.smsTo(phone, 'SUIVI code');
    await sms(w, phone, 'codes');
    await w.smsTo(phone, `les codes de vos requetes sont ${code}`);
    await w.settled();
    assert.ok(w.inbox.state.sms.filter((m) => m.to === phone).length >= before + 5);
  }
});

test('by SMS: RELANCE and AVIS with a code act only for the number on the request; anyone else gets «code inconnu», as for a wrong code', async () => {
  const phone = number('07');
  const stranger = number('05');
  const { code } = await w.newRequest({ organisme: '5', telephone: phone, email: '' });
  await treat(code);
  const texts = async (to) => { await w.settled(); return w.inbox.state.sms.filter((m) => m.to === to).map((m) => m.text); };
  for (const text of [`SUIVI ${code}`, `AVIS ${code} 1`, `RELANCE ${code} Ce n'est pas réglé du tout.`, 'SUIVI 12345678', `avis ${code}`]) {
    assert.equal((await sms(w, stranger, text)).status, 200);
  }
  const seen = await texts(stranger);
  assert.equal(seen.length, 5, seen.join('\n'));
  for (const t of seen) assert.equal(t, 'Milie : code inconnu. Vérifiez le code à 8 chiffres, ou envoyez CODES pour recevoir les votres.');
  assert.equal((await row(code)).stage, 'treated', 'nothing changed');
  // The number on the request: a reason too short is asked again, then the reopening is done.
  await sms(w, phone, `RELANCE ${code} non`);
  await w.smsTo(phone, 'indiquez la raison');
  await sms(w, phone, `relance ${code} Ce n'est pas réglé du tout.`);
  await w.smsTo(phone, `votre requete ${code} est relancée`);
  assert.equal((await row(code)).stage, 'in_treatment');
  await sms(w, phone, `AVIS ${code} 1`);
  await w.smsTo(phone, `n'attend pas d'avis`);
});

test('bad input: without the secret 404, a malformed number or a missing field 400, and nothing stored', async () => {
  const phone = number('07');
  const fields = { sessionId: 'ATUid_bad', serviceCode: '*384*7117#', phoneNumber: phone, networkCode: '62001', text: '' };
  const count = async () => (await sql(w.dir, 'SELECT count(*) AS n FROM ussd_sessions'))[0].n;
  const n = await count();
  for (const path of ['/canaux/ussd/wrong-secret-0123456789abc', '/canaux/ussd/', `/canaux/ussd/${CALLBACK_SECRETS.sms}`, `/canaux/sms/${CALLBACK_SECRETS.ussd}`]) {
    assert.equal((await post(w, path, fields)).status, 404, path);
  }
  assert.equal((await fetch(`${w.url}/canaux/ussd/${CALLBACK_SECRETS.ussd}`)).status, 404, 'GET');
  for (const broken of [{ ...fields, phoneNumber: '+2252720212674' }, { ...fields, phoneNumber: '07 12 34 56' }, { ...fields, phoneNumber: 'abc' }]) {
    assert.equal((await post(w, `/canaux/ussd/${CALLBACK_SECRETS.ussd}`, broken)).status, 400, broken.phoneNumber);
  }
  for (const missing of ['sessionId', 'phoneNumber', 'text', 'serviceCode']) {
    const partial = { ...fields };
    delete partial[missing];
    assert.equal((await post(w, `/canaux/ussd/${CALLBACK_SECRETS.ussd}`, partial)).status, 400, missing);
  }
  assert.equal(await count(), n, 'no session stored');
  const outbox = (await sql(w.dir, 'SELECT count(*) AS n FROM outbox'))[0].n;
  assert.equal((await post(w, `/canaux/sms/${CALLBACK_SECRETS.sms}`, { from: phone, to: '7117', text: 'AIDE', date: '', linkId: '' })).status, 400, 'no id');
  assert.equal((await post(w, `/canaux/sms/${CALLBACK_SECRETS.sms}`, { from: 'x', to: '7117', text: 'AIDE', id: '1' })).status, 400);
  assert.equal((await post(w, '/canaux/sms/nope-nope-nope-nope', { from: phone, to: '7117', text: 'AIDE', id: '1' })).status, 404);
  assert.equal((await sql(w.dir, 'SELECT count(*) AS n FROM outbox'))[0].n, outbox, 'nothing queued');
  assert.ok(/channel_refused/.test(w.output), 'refusals are logged');
});

test('unknown choices show the screen again with «Choix invalide»; a long message is read back cut at a word with «(suite)»', async () => {
  const s = await dial(w, number('01'));
  await s.answer('1');
  await s.answer('7');
  assert.match(s.screen, /^Choix invalide\.\nMilie - Portail du citoyen/);
  await s.answer('1');
  await s.answer('1');
  await s.answer('00');
  await s.answer('9999');
  assert.match(s.screen, /^Choix invalide\.\nNuméro de l'organisme/);
  await s.answer('5');
  await s.answer('1');
  await s.answer('1');
  await s.answer('1');
  await s.answer('Trop');
  assert.match(s.screen, /^Trop court/);
  await s.answer(`${'Un très long message sur le guichet ê œ 🙂 '.repeat(6)}fin`);
  assert.match(s.screen, /\(suite\)"\n1 Envoyer/);
  await s.answer('2');
  await s.answer('et la suite de mon message.');
  await s.answer('0');
  assert.match(s.screen, /^Milie - Portail du citoyen/, 'cancelled');
  fits(s);
});

test('a retried callback gets the same answer and submits nothing twice; a dropped session resumes within 10 minutes; an idle one expires', async () => {
  const phone = number('07');
  const s = await dial(w, phone);
  for (const input of ['1', '1', '1', '00', '5', '1', '1', '1', MESSAGE]) await s.answer(input);
  const confirm = `${s.text}*1`;
  const first = await s.send(confirm);
  const again = await s.send(confirm);
  assert.equal(again, first);
  const code = first.match(/\d{8}/)[0];
  assert.equal((await sql(w.dir, `SELECT count(*) AS n FROM requests WHERE phone = '${phone}'`))[0].n, 1);
  assert.ok(code);

  // Dropped at the places: the same number dialling again is offered to go on.
  const dropped = await dial(w, phone);
  for (const input of ['1', '1', '00', '5', '1']) await dropped.answer(input);
  assert.match(dropped.screen, /^Commune ou sous-préfecture/);
  const back = await dial(w, phone);
  assert.match(back.screen, /^Vous aviez commencé une requete\.\n1 La reprendre/);
  await back.answer('1');
  assert.match(back.screen, /^Commune ou sous-préfecture/);
  // Three minutes without a screen: over (and still offered when dialling again).
  await sql(w.dir, `UPDATE ussd_sessions SET updated_at = updated_at - 200000`);
  await back.answer('1');
  assert.match(back.screen, /^Session expirée\. Composez de nouveau le \*384\*7117#/);
  assert.match((await dial(w, phone)).screen, /^Vous aviez commencé/);
  // Past ten minutes the 5-minute cron forgets it.
  await sql(w.dir, `UPDATE ussd_sessions SET updated_at = updated_at - 700000`);
  await w.cron('*/5 * * * *');
  assert.equal((await sql(w.dir, 'SELECT count(*) AS n FROM ussd_sessions WHERE updated_at < ' + (Date.now() - 600000)))[0].n, 0);
});

test('a flood from one number is limited: answered, not acted on', async () => {
  const phone = number('05');
  const { code } = await w.newRequest({ organisme: '5', telephone: phone, email: '' });
  for (let i = 0; i < 12; i++) assert.equal((await sms(w, phone, `AIDE ${i}`)).status, 200);
  await w.settled();
  const texts = w.inbox.state.sms.filter((m) => m.to === phone).map((m) => m.text);
  assert.equal(texts.filter((t) => t.includes('SUIVI code')).length, 10, texts.join('\n'));
  assert.equal(texts.filter((t) => t.includes('trop de messages')).length, 1, texts.join('\n'));
  await sms(w, phone, `RELANCE ${code} Le guichet est toujours fermé.`);
  assert.equal((await row(code)).stage, 'awaiting_triage');
  // Sessions: ten an hour; the eleventh is told to wait.
  const caller = number('01');
  for (let i = 0; i < 10; i++) assert.doesNotMatch((await dial(w, caller)).screen, /Trop de demandes/);
  const eleventh = await dial(w, caller);
  assert.ok(eleventh.ended);
  assert.match(eleventh.screen, /^Trop de demandes depuis ce numéro\. Réessayez dans \d+ min\.$/);
});

test('the dev inbox\'s phone dials the menu and keeps an SMS thread per number', async () => {
  const phone = number('01');
  const call = (path, body) => fetch(`${w.inbox.url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
  const first = await call('/telephone/ussd', { number: phone, sessionId: 'ATUid_phone', text: '' });
  assert.equal(first.status, 200);
  assert.match(first.text, /^CON Miliê, portail du citoyen|^CON Milie, portail du citoyen/);
  const fr = await call('/telephone/ussd', { number: phone, sessionId: 'ATUid_phone', text: '1' });
  assert.match(fr.text, /^CON Milie - Portail du citoyen/);
  assert.equal((await call('/telephone/sms', { number: phone, text: 'aide' })).status, 200);
  const thread = await eventually(async () => {
    const list = await (await fetch(`${w.inbox.url}/api/thread?number=${encodeURIComponent(phone)}`)).json();
    return list.length >= 2 && list;
  }, { what: 'the phone\'s thread with its answer', worker: w });
  assert.deepEqual(thread.map((m) => m.way), ['out', 'in']);
  assert.match(thread[1].text, /SUIVI code/);
  const page = await (await fetch(`${w.inbox.url}/telephone`)).text();
  assert.match(page, /Composer \*384\*7117#/);
});
