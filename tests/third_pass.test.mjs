// The outsiders' third pass (issue 35, security): each finding performed as the attack, through
// the real routes of the local runtime, and now refused. SECURITY.md lists each with this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sameHour } from './support/clock.mjs';
import { startWorker, sql, invocations } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, PDF, openForm, postForm, apiSubmit, confirmationCode } from './support/forms.mjs';
import { lookup, jar, csrfOf, pagePost } from './support/tracking.mjs';
import { requestLink, useLink, signIn, act, adminForm } from './support/agent.mjs';

let w;
before(async () => {
  w = await startWorker({
    vars: {
      SUBMIT_LIMIT_PER_HOUR: '100000', TRACK_FAILURES_PER_HOUR: '10',
      // The production limits these findings are about.
      SIGN_IN_LIMIT_PER_HOUR: '5', STAGING_BYTES_PER_HOUR: String(6 * 1024 * 1024),
    },
  });
});
after(async () => { await w?.stop(); });

const count = async (table, where = '1') => (await sql(w.dir, `SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0].n;
const newRequest = (fields = {}) => w.newRequest({ organisme: '4', ...fields });
const trackApi = (body, headers = {}) => fetch(`${w.url}/api/v1/suivi`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

test('1. strangers cannot lock a staff member out: a browser they signed in on keeps its own allowance, and the owner is told', async () => {
  await sameHour();
  const owner = 'point-focal.defense@milie.local';
  // The owner signed in on this browser before: it holds the signed device cookie.
  const first = await requestLink(w, owner, { ip: '192.0.2.10' });
  assert.ok(first.link);
  const used = await useLink(w, first.link);
  assert.equal(used.status, 303);
  assert.match(used.cookie, /__Host-agent-appareil=/);
  const device = used.cookie.split('; ').filter((c) => c.startsWith('__Host-agent-appareil=')).join('; ');

  // Anyone asks for the address from five, then more, client addresses.
  const before = w.inbox.state.mails.filter((m) => m.to[0] === owner).length;
  for (let i = 1; i <= 8; i++) await requestLink(w, owner, { ip: `198.51.100.${60 + i}` });
  const mails = () => w.inbox.state.mails.filter((m) => m.to[0] === owner).slice(before);
  await w.settled();
  const links = mails().filter((m) => /\/agent\/connexion\/[\w-]{43}/.test(m.text));
  assert.equal(links.length, 4, 'the address\'s allowance for unknown browsers (five an hour, the owner\'s first included)');
  const notices = mails().filter((m) => m.subject.includes('Demandes de connexion limitées'));
  assert.equal(notices.length, 1, 'the owner is told once an hour, not once per refusal');
  assert.match(notices[0].text, /navigateur où vous vous êtes déjà connecté/);
  assert.match(notices[0].text, /réessayez dans \d+ minutes/);

  // The owner, from the browser they use, still gets a link.
  const own = await requestLink(w, owner, { cookie: device, ip: '192.0.2.10' });
  assert.ok(own.link, 'the owner signs in');
  assert.equal((await useLink(w, own.link)).status, 303);
  // A forged or someone else's device cookie is an unknown browser.
  const forged = await requestLink(w, owner, { cookie: `__Host-agent-appareil=${'A'.repeat(27)}`, ip: '192.0.2.99' });
  assert.equal(forged.link, null);
  const stolen = await requestLink(w, 'analyste@milie.local', { cookie: device, ip: '192.0.2.98' });
  assert.ok(stolen.link, 'another address is counted on its own');
  // Every page said the same.
  const text = (html) => html.replace(/name="csrf" value="[^"]*"/g, '');
  assert.equal(text(forged.html), text(own.html));
});

test('2. a stage-1 request edited in a flood: five edits an hour, one version and one history row per hour, one alert', async () => {
  await sameHour();
  await sql(w.dir, "UPDATE staff SET notify_pref = 'immediate' WHERE email = 'analyste@milie.local'");
  const { code, email } = await newRequest();
  const { cookie } = await lookup(w.url, code, email);
  const statuses = [];
  for (let i = 0; i < 20; i++) {
    const res = await pagePost(w.url, `/suivi/${code}/modifier`, cookie, { message: `Nouvelle formulation numéro ${i} de ma réclamation, plus précise.` }, i === 19 ? [['preuve.pdf', PDF]] : []);
    statuses.push(res.status);
    if (res.status === 429) assert.match(res.html, new RegExp(`Nouvelle formulation numéro ${i} de ma réclamation`), 'the text is kept');
  }
  assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(15).fill(429)]);
  const [{ id, message }] = await sql(w.dir, `SELECT id, message FROM requests WHERE code = '${code}'`);
  assert.equal(message, 'Nouvelle formulation numéro 4 de ma réclamation, plus précise.');
  assert.equal(await count('request_versions', `request_id = ${id}`), 1, 'the wording before the hour\'s edits is kept once');
  assert.equal((await sql(w.dir, `SELECT message FROM request_versions WHERE request_id = ${id}`))[0].message, VALID.message);
  assert.equal(await count('request_events', `request_id = ${id} AND event = 'edited'`), 1, 'one history row for the hour');
  assert.equal(await count('attachments', `request_id = ${id}`), 0, 'a refused edit stores no file');
  await w.settled();
  const alerts = w.inbox.state.mails.filter((m) => m.to[0] === 'analyste@milie.local' && m.subject.includes(code)
    && m.text.includes('Requête modifiée par le citoyen'));
  assert.equal(alerts.length, 1, 'the analyst hears of the edits once');
  await sql(w.dir, "UPDATE staff SET notify_pref = NULL WHERE email = 'analyste@milie.local'");
});

test('3. one-time codes: a code exists only when its SMS leaves, and guesses are counted per number across codes', async () => {
  await sameHour();
  const { code } = await newRequest({ email: '', telephone: '05 44 33 22 11' });
  const phone = '+2250544332211';
  // Asking nine times: five SMS, five codes — a code nobody receives is never stored.
  const handled = () => (w.output.match(/tracking code request handled/g) ?? []).length;
  const already = handled();
  for (let i = 0; i < 9; i++) assert.equal((await trackApi({ code, telephone: phone }, { 'cf-connecting-ip': `203.0.113.${i + 1}` })).status, 202);
  await eventually(() => handled() >= already + 9, { what: 'nine code requests handled', worker: w });
  await w.settled();
  assert.equal(await count('outbox', `template = 'tracking_code' AND request_id = (SELECT id FROM requests WHERE code = '${code}')`), 5);
  assert.equal(await count('tracking_otps', `request_id = (SELECT id FROM requests WHERE code = '${code}')`), 5);
  // Guessing with fresh codes and from many addresses: at most GUESSES_PER_HOUR (10) compared.
  let compared = 0;
  let refused = 0;
  for (let i = 0; i < 30; i++) {
    const res = await trackApi({ code, telephone: phone, otp: String(100000 + i) }, { 'cf-connecting-ip': `203.0.113.${100 + i}` });
    if (res.status === 404) compared += 1;
    if (res.status === 429) refused += 1;
    await res.arrayBuffer();
  }
  assert.equal(compared, 10, 'ten guesses per number and hour, whatever the codes and addresses');
  assert.equal(refused, 20);
});

test('4. the code-entry step does the same D1 work whether the code and the number belong together', async () => {
  await sameHour();
  const phone = '+2250511223344';
  const { code } = await newRequest({ email: '', telephone: '05 11 22 33 44' });
  const { code: other } = await newRequest({ email: '', telephone: '05 55 66 77 88' });
  const entries = () => invocations(w.output).filter((i) => i.label === '/api/v1/suivi');
  const asked = entries().length;
  assert.equal((await trackApi({ code, telephone: phone })).status, 202);
  // That request's cost line comes once its work after the answer (the code's SMS) is done: it
  // must not be taken for the first code entry's.
  await eventually(() => entries().length > asked, { what: 'the code request\'s cost line', worker: w });
  let ip = 0;
  const cost = async (body) => {
    const before = entries().length;
    ip += 1;
    const res = await trackApi(body, { 'cf-connecting-ip': `198.51.100.${150 + ip}` });
    assert.equal(res.status, 404, `${JSON.stringify(body)}: refused alike`);
    const done = await eventually(() => entries().length > before && entries().at(-1), { what: 'the code entry\'s cost line', worker: w });
    return [done.d1_statements, done.d1_batches, done.subrequests];
  };
  const belongs = await cost({ code, telephone: phone, otp: '000001' });
  assert.deepEqual(await cost({ code: other, telephone: phone, otp: '000001' }), belongs, 'another request\'s code');
  assert.deepEqual(await cost({ code: code === '87654321' ? '87654322' : '87654321', telephone: phone, otp: '000001' }), belongs, 'an unknown code');
  assert.deepEqual(await cost({ code: '1234', telephone: phone, otp: '000001' }), belongs, 'a malformed code');
});

test('5. deactivating someone kills their unused links: reactivated, the old invitation does not sign in', async () => {
  const admin = await w.signIn('admin');
  const before = w.inbox.state.mails.length;
  const created = await adminForm(w, admin, '/agent/admin/agents', { nom: 'Koné Ibrahim', email: 'ibrahim.kone@milie.local', role: 'analyst', organisme: '' });
  assert.equal(created.status, 303);
  const invitation = await eventually(() => w.inbox.state.mails.slice(before).find((m) => m.to[0] === 'ibrahim.kone@milie.local'), { what: 'the invitation', worker: w });
  const link = invitation.text.match(/http:\/\/localhost:8787(\/agent\/connexion\/[\w-]{43})/)[1];
  const [{ id }] = await sql(w.dir, "SELECT id FROM staff WHERE email = 'ibrahim.kone@milie.local'");
  assert.equal((await adminForm(w, admin, `/agent/admin/agents/${id}/desactiver`, {}, { from: `/agent/admin/agents/${id}/desactiver` })).status, 303);
  assert.equal((await adminForm(w, admin, `/agent/admin/agents/${id}/reactiver`, {}, { from: '/agent/admin/agents' })).status, 303);
  assert.equal((await sql(w.dir, `SELECT active FROM staff WHERE id = ${id}`))[0].active, 1);
  assert.equal((await useLink(w, link)).status, 403, 'the invitation died with the deactivation');
  assert.ok((await requestLink(w, 'ibrahim.kone@milie.local', { ip: '192.0.2.55' })).link, 'a new link works');
});

test('6. the confirmation shows the code to the submitting browser only', async () => {
  const form = await openForm(w.url);
  const res = await postForm(w.url, form, { ...VALID, email: 'confirmation@example.ci', action: 'soumettre' });
  assert.equal(res.status, 303);
  const mine = await confirmationCode(w.url, res);
  assert.equal(mine.status, 200);
  assert.match(mine.code, /^\d{8}$/);
  const elsewhere = await fetch(w.url + res.location, { headers: { 'accept-language': 'fr' } });
  const html = await elsewhere.text();
  assert.equal(elsewhere.status, 404);
  assert.ok(!html.includes(mine.code) && !html.includes('confirmation@example.ci'));
  const forged = await fetch(w.url + res.location, { headers: { cookie: `__Host-envoi=${'x'.repeat(43)}` } });
  assert.equal(forged.status, 404);
  await forged.arrayBuffer();
});

test('7. the error page\'s language link stays on the site', async () => {
  for (const path of ['//evil.example/', '//evil.example/chemin?x=1', '/\\evil.example/']) {
    const res = await fetch(w.url + path, { headers: { 'accept-language': 'fr' }, redirect: 'manual' });
    const html = await res.text();
    const href = html.match(/href="([^"]*lang=en[^"]*)"/)?.[1];
    assert.ok(href, `${path}: a language link (${res.status})`);
    assert.ok(href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/\\'), `${path}: ${href}`);
  }
});

test('8. staff answer previews are capped per person, whatever the address', async () => {
  await sameHour();
  const { code } = await newRequest({ organisme: '5' }); // the education focal point's body
  const analyst = await w.signIn('analyst');
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  const focal = await w.signIn('focal');
  const big = Buffer.concat([PDF, Buffer.alloc(2_500_000, 32)]);
  const preview = async (ip) => {
    const page = await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: focal } });
    const html = await page.text();
    const body = new FormData();
    body.set('csrf', csrfOf(html));
    body.set('version', html.match(/name="version" value="(\d+)"/)[1]);
    body.set('message', 'Votre dossier est prêt : voir le courrier joint.');
    body.set('pieces', new Blob([big], { type: 'application/pdf' }), 'courrier.pdf');
    const res = await fetch(`${w.url}/agent/requetes/${code}/traiter`, { method: 'POST', body, redirect: 'manual', headers: { cookie: jar(focal, page), origin: w.url, 'accept-language': 'fr', 'cf-connecting-ip': ip } });
    return { status: res.status, html: await res.text() };
  };
  assert.equal((await preview('192.0.2.201')).status, 200);
  assert.equal((await preview('192.0.2.202')).status, 200);
  const third = await preview('192.0.2.203');
  assert.equal(third.status, 429, 'six megabytes an hour per person (this worker\'s setting)');
  assert.match(third.html, /Vous avez déjà joint beaucoup de fichiers cette heure/);
  assert.match(third.html, /Votre dossier est prêt : voir le courrier joint\./, 'the answer is kept');
  assert.equal(await count('attachments', "form_key LIKE 'staff-%' AND request_id IS NULL"), 2);
});

test('9. the analyst\'s motif when returning a request to the body stays with staff', async () => {
  const { code, email } = await newRequest({ organisme: '5' });
  const analyst = await w.signIn('analyst');
  const focal = await w.signIn('focal');
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  assert.equal((await act(w, focal, code, 'traiter', { message: 'Votre dossier a été traité.' })).status, 303);
  await sql(w.dir, `UPDATE requests SET stage = 'closed', verdict = 'not_satisfied', closed_at = ${Date.now()}, version = version + 1 WHERE code = '${code}'`);
  const page = await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: analyst } });
  assert.match(await page.text(), /Motif, pour l&#39;organisme \(le citoyen ne le voit pas\)/);
  const motif = 'Vérifier le guichet 4, le citoyen dit attendre depuis trois mois.';
  assert.equal((await act(w, analyst, code, 'renvoyer-organisme', { message: motif })).status, 303);
  const view = await (await trackApi({ code, email })).json();
  assert.equal(view.etape, 2, 'the citizen sees the request back in treatment');
  assert.ok(!JSON.stringify(view).includes('guichet 4'), 'but not the motif');
  const citizenPage = (await lookup(w.url, code, email)).html;
  assert.ok(!citizenPage.includes('guichet 4'));
  const staffPage = await (await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: focal } })).text();
  assert.ok(staffPage.includes('guichet 4'), 'the body reads it');
});
