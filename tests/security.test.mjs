// The security review's findings (issue 15), each performed as an attack against the real worker
// and now refused, with nothing stored. SECURITY.md lists each with its code and this test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sameHour } from './support/clock.mjs';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, PDF, openForm, postForm, apiSubmit } from './support/forms.mjs';
import { lookup, jar, csrfOf } from './support/tracking.mjs';
import { signIn } from './support/agent.mjs';

let w;
before(async () => {
  w = await startWorker({
    vars: {
      SUBMIT_LIMIT_PER_HOUR: '100000', TRACK_FAILURES_PER_HOUR: '10', SIGN_IN_LIMIT_PER_HOUR: '1000',
      // The production limits these findings are about.
      CONFIRMATIONS_PER_RECIPIENT_PER_HOUR: '3', STAGING_BYTES_PER_HOUR: String(6 * 1024 * 1024),
    },
  });
});
after(async () => { await w?.stop(); });

const count = async (table, where = '1') => (await sql(w.dir, `SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0].n;
const settle = (predicate, what = 'the messages awaited') => eventually(predicate, { what, worker: w });
/** A fresh request by the JSON API, each with its own address and number. */
const newRequest = (fields = {}) => w.newRequest({ organisme: '4', ...fields });
const trackApi = (body, headers = {}) => fetch(`${w.url}/api/v1/suivi`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

test('1. Open311 never lists or answers by tracking code; the public id is random', async () => {
  const { code } = await newRequest();
  const list = await (await fetch(`${w.url}/open311/v2/requests.json`)).text();
  assert.ok(!list.includes(code), 'the code is not listed');
  const [row] = await sql(w.dir, `SELECT public_id FROM requests WHERE code = '${code}'`);
  assert.match(row.public_id, /^[0-9a-f]{16}$/);
  assert.ok(list.includes(row.public_id));
  for (const format of ['json', 'xml']) {
    assert.equal((await fetch(`${w.url}/open311/v2/requests/${code}.${format}`)).status, 404, 'no existence oracle');
  }
  assert.equal((await fetch(`${w.url}/open311/v2/requests.json?service_request_id=${code}`)).status, 400);
  // Every stored request has its own id (the migration gave one to rows that existed before).
  assert.equal(await count('requests', 'public_id IS NULL'), 0);
  assert.equal(await count('(SELECT public_id FROM requests GROUP BY public_id HAVING count(*) > 1)'), 0);
});

test('1. failed lookups are limited per code too: guessing the email of a known code stops', async () => {
  await sameHour();
  const { code, email } = await newRequest();
  const statuses = [];
  // 5 × 10 guesses per code and hour; each guess from another «address» and with another email.
  for (let i = 0; i < 52; i++) {
    const res = await trackApi({ code, email: `devine${i}@example.ci` }, { 'cf-connecting-ip': `198.51.100.${i + 1}` });
    statuses.push(res.status);
    await res.arrayBuffer();
  }
  assert.equal(statuses.filter((s) => s === 404).length, 50);
  assert.deepEqual(statuses.slice(50), [429, 429]);
  // The citizen's signed mail link still opens the request.
  const mail = await settleMail(email);
  const link = mail.text.match(/http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+)/)[1];
  assert.equal((await fetch(w.url + link)).status, 200);
});

async function settleMail(to) {
  await settle(() => w.inbox.state.mails.some((m) => m.to[0] === to));
  const mail = w.inbox.state.mails.find((m) => m.to[0] === to);
  assert.ok(mail, `a mail to ${to}`);
  return mail;
}

test('2. a tracking «email» that is not one is refused before anything is counted or stored', async () => {
  const before = await count('rate_limits');
  const huge = 'x'.repeat(200_000) + '@example.ci';
  const api = await trackApi({ code: '12345678', email: huge });
  assert.equal(api.status, 422);
  assert.match((await api.json()).errors.email, /adresse/i);
  const page = await lookup(w.url, '12345678', 'pas-une-adresse');
  assert.equal(page.status, 422);
  assert.match(page.html, /pas-une-adresse/, 'the input is kept');
  // Over the size any form takes: 413 before the body is read (never SQLITE_TOOBIG's 500).
  const tooBig = await trackApi({ code: '12345678', email: 'y'.repeat(2_100_000) });
  assert.equal(tooBig.status, 413);
  assert.equal(await count('rate_limits'), before, 'no bucket was written');
  // Buckets hold hashes: neither the address nor the code ever appears in the table.
  await trackApi({ code: '12345678', email: 'visible@example.ci' });
  const buckets = (await sql(w.dir, 'SELECT bucket FROM rate_limits')).map((r) => r.bucket);
  assert.ok(buckets.length > 0 && buckets.every((b) => /^[a-z:-]+:[0-9a-f]{32}$/.test(b)), buckets.join());
  assert.ok(!buckets.join().includes('visible') && !buckets.join().includes('12345678'));
});

test('2. parallel guesses are counted before they are answered: at most the limit are compared', async () => {
  await sameHour();
  const { code, email } = await newRequest();
  const guesses = Array.from({ length: 59 }, (_, i) => String((Number(code) + i + 1) % 100_000_000).padStart(8, '0'));
  guesses.splice(40, 0, code); // the right code among them, late
  const answers = await Promise.all(guesses.map((c) => trackApi({ code: c, email }, { 'cf-connecting-ip': '203.0.113.9' }).then((r) => r.status)));
  const wrong = answers.filter((s) => s === 404).length;
  assert.ok(wrong <= 10, `${wrong} wrong guesses were answered 404 (limit 10)`);
  assert.ok(answers.filter((s) => s === 200).length <= 1);
  assert.equal(answers.filter((s) => s === 429).length, guesses.length - wrong - answers.filter((s) => s === 200).length);
  // The burst came from one address; the citizen, elsewhere, is not locked out.
  const own = await trackApi({ code, email }, { 'cf-connecting-ip': '192.0.2.44' });
  assert.equal(own.status, 200);
});

test('3. the web form stores nothing before CSRF, caps staging per client, and bounds removals', async () => {
  await sameHour();
  const r2Before = await count('attachments');
  // No CSRF token: the form comes back, no file is written.
  const form = await openForm(w.url, { organisme: 2 });
  const forged = await postForm(w.url, { ...form, csrf: 'forged' }, { ...VALID, action: 'verifier' }, [['a.pdf', PDF]]);
  assert.equal(forged.status, 403);
  assert.equal(await count('attachments'), r2Before);
  // A body over the limit (26 MB for a form) is refused from its Content-Length, before the
  // worker reads it (locally wrangler's proxy receives it whole first; the edge streams it).
  const huge = await fetch(`${w.url}/requete/nouvelle`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: w.url }, body: Buffer.alloc(26 * 1024 * 1024, 120),
  });
  assert.equal(huge.status, 413);
  await huge.arrayBuffer();
  // 1 MB files, a fresh form key each time, one client: the hourly cap (6 MB here) stops it.
  const big = Buffer.concat([PDF, Buffer.alloc(1024 * 1024 - PDF.length, 32)]);
  const statuses = [];
  for (let i = 0; i < 9; i++) {
    const f = await openForm(w.url, { organisme: 2 });
    const res = await postForm(w.url, f, { ...VALID, message: '', action: 'verifier' }, [['piece.pdf', big]], { 'cf-connecting-ip': '203.0.113.77' });
    statuses.push(res.status);
    if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) > 0);
  }
  assert.deepEqual(statuses.slice(0, 6), [422, 422, 422, 422, 422, 422], 'errors keep the files staged');
  assert.deepEqual(statuses.slice(6), [429, 429, 429]);
  const staged = await count('attachments', 'request_id IS NULL AND size > 1000000');
  assert.equal(staged, 6, 'nothing past the cap reached R2 or D1');
  // 6 000 values to «retirer» are cut to what a form can hold, and answered at once.
  const f = await openForm(w.url, { organisme: 2 });
  const started = Date.now();
  const res = await postForm(w.url, f, { ...VALID, action: 'verifier', retirer: Array.from({ length: 6000 }, (_, i) => String(i + 1)) });
  assert.equal(res.status, 200);
  assert.ok(Date.now() - started < 5000, 'bounded work');
  assert.equal(await count('attachments', 'request_id IS NULL AND size > 1000000'), 6, 'other forms\' files are untouched');
});

test('3. a citizen\'s edit counts staged files against the limit; a stale page stores nothing', async () => {
  await sameHour();
  const { code, email } = await newRequest();
  const { cookie } = await lookup(w.url, code, email);
  const page = await (await fetch(`${w.url}/suivi/${code}`, { headers: { cookie } })).text();
  const csrf = csrfOf(page);
  const formKey = page.match(/name="form_key" value="([^"]+)"/)[1];
  const edit = async (version, files) => {
    const body = new FormData();
    body.set('csrf', csrf); body.set('form_key', formKey); body.set('version', String(version));
    body.set('message', 'Le guichet est toujours fermé, je précise les dates exactes de mes passages.');
    for (const [name, bytes] of files) body.append('pieces', new Blob([bytes]), name);
    const res = await fetch(`${w.url}/suivi/${code}/modifier`, { method: 'POST', body, headers: { cookie, origin: w.url } });
    return res.status;
  };
  const before = await count('attachments');
  // A stale version: 409, and the files never reach R2 or D1 (they used to pile up).
  for (let i = 0; i < 3; i++) assert.equal(await edit(99, [['a.pdf', PDF], ['b.pdf', PDF]]), 409);
  assert.equal(await count('attachments'), before);
});

test('4. the JSON API: confirmations are limited per recipient, whatever the channel', async () => {
  await sameHour();
  const phone = '07 07 55 44 33';
  const codes = [];
  for (let i = 0; i < 5; i++) {
    const res = await apiSubmit(w.url, { ...VALID, organisme: '4', email: `pompe${i}@example.ci`, telephone: phone });
    assert.equal(res.status, 201);
    codes.push(res.json.code);
  }
  await settle(() => w.inbox.state.sms.filter((s) => s.to === '+2250707554433').length >= 3, 'three SMS to one number');
  await w.settled();
  assert.equal(w.inbox.state.sms.filter((s) => s.to === '+2250707554433').length, 3, 'three SMS an hour to one number');
  assert.equal(await count('requests', `code IN ('${codes.join("','")}')`), 5, 'every request is registered');
  assert.match(w.output, /"event":"confirmation_withheld"/);
  // The outbox names the request by its row; the code is read when the message is rendered.
  const rows = await sql(w.dir, `SELECT o.idempotency_key, o.payload, r.code FROM outbox o JOIN requests r ON r.id = o.request_id WHERE r.code IN ('${codes.join("','")}')`);
  assert.ok(rows.length >= 6);
  for (const row of rows) assert.ok(!row.payload.includes(row.code) && !row.idempotency_key.includes(row.code), row.idempotency_key);
  assert.doesNotMatch(w.output, /2250707554433/, 'the number is never logged');
});

test('5. idempotency keys belong to their caller and to their payload', async () => {
  const key = 'commande-0001';
  const first = await apiSubmit(w.url, { ...VALID, organisme: '4', email: 'proprietaire@example.ci' }, [], { 'idempotency-key': key, 'cf-connecting-ip': '198.51.100.200' });
  assert.equal(first.status, 201);
  // The same client and payload: the same request, replayed.
  const replay = await apiSubmit(w.url, { ...VALID, organisme: '4', email: 'proprietaire@example.ci' }, [], { 'idempotency-key': key, 'cf-connecting-ip': '198.51.100.200' });
  assert.equal(replay.status, 201);
  assert.equal(replay.json.code, first.json.code);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  // Another payload under the same key: refused, nothing told.
  const other = await apiSubmit(w.url, { ...VALID, organisme: '4', email: 'autre@example.ci' }, [], { 'idempotency-key': key, 'cf-connecting-ip': '198.51.100.200' });
  assert.equal(other.status, 422);
  assert.ok(!JSON.stringify(other.json).includes(first.json.code));
  // Another client sending the owner's key (and even the owner's payload) never gets the owner's code.
  const thief = await apiSubmit(w.url, { ...VALID, organisme: '4', email: 'proprietaire@example.ci' }, [], { 'idempotency-key': key, 'cf-connecting-ip': '203.0.113.250' });
  assert.notEqual(thief.json.code, first.json.code);
  // Keys are stored hashed with their scope, never as sent; no Location points at a code.
  assert.equal(await count('requests', `idempotency_key LIKE '%${key}%'`), 0);
  assert.equal(first.headers.get('location'), null);
});

test('6. a non-ASCII offset in an Open311 date is a 400, never a panic', async () => {
  for (const date of ['2026-11-30T00:53%2B1%C3%A92', '2026-11-30T00:53:2%C3%A9', '2026-11-3%E2%82%AC']) {
    const res = await fetch(`${w.url}/open311/v2/requests.json?start_date=${date}`);
    assert.equal(res.status, 400, date);
  }
  assert.doesNotMatch(w.output, /panicked/);
  assert.equal((await fetch(`${w.url}/`)).status, 200, 'the isolate is still serving');
});

test('7. retention erases abandoned requests and old notifications; no sign-in link is stored', async () => {
  const DAY = 86_400_000;
  const now = Date.now();
  const abandoned = await newRequest({ email: 'abandon@example.ci' });
  // Sent back for reformulation 800 days ago and never touched again (the clock is set, not the stage).
  await sql(w.dir, `UPDATE requests SET created_at = ${now - 800 * DAY}, updated_at = ${now - 10 * DAY} WHERE code = '${abandoned.code}'`);
  await sql(w.dir, `UPDATE request_events SET at = ${now - 800 * DAY} WHERE request_id = (SELECT id FROM requests WHERE code = '${abandoned.code}')`);
  // The row keeps its last activity for the job's index (triggers on its steps): rewritten with them.
  await sql(w.dir, `UPDATE requests SET last_active_at = ${now - 800 * DAY} WHERE code = '${abandoned.code}'`);
  // A forgotten-codes mail and a staff sign-in link, sent long ago.
  const before = w.inbox.state.mails.length;
  const page = await fetch(`${w.url}/suivi/oubli`);
  const cookie = jar('', page);
  await fetch(`${w.url}/suivi/oubli`, { method: 'POST', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(await page.text()), email: 'abandon@example.ci' }) });
  await settle(() => w.inbox.state.mails.slice(before).some((m) => m.to[0] === 'abandon@example.ci'));
  await w.signIn('analyst');
  const unattached = await sql(w.dir, 'SELECT template, payload FROM outbox WHERE request_id IS NULL');
  assert.ok(unattached.length >= 2);
  for (const row of unattached) {
    assert.doesNotMatch(row.payload, /connexion\/|\d{8}/, `${row.template}: no link and no code in the outbox`);
  }
  await sql(w.dir, `UPDATE outbox SET created_at = ${now - 800 * DAY} WHERE request_id IS NULL`);
  await w.daily();
  await settle(async () => (await sql(w.dir, `SELECT erased_at FROM requests WHERE code = '${abandoned.code}'`))[0].erased_at !== null);
  const [row] = await sql(w.dir, `SELECT email, phone, message FROM requests WHERE code = '${abandoned.code}'`);
  assert.deepEqual(row, { email: '', phone: '', message: '' });
  assert.equal(await count('outbox', 'request_id IS NULL'), 0, 'old unattached notifications are gone');
});

test('8. smaller ones: no-store confirmation, 405 for unknown methods, tracking API same-origin only', async () => {
  const form = await openForm(w.url, { organisme: 2 });
  const done = await postForm(w.url, form, { ...VALID, email: 'confirmation@example.ci', action: 'soumettre' });
  assert.equal(done.status, 303);
  // (Opened by the browser that submitted: its cookie shows the code.)
  const cookie = done.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const confirmation = await fetch(w.url + done.location, { headers: { cookie } });
  assert.equal(confirmation.status, 200);
  assert.match(confirmation.headers.get('cache-control'), /no-store/);
  for (const [method, path, allow] of [['QUERY', '/api/v1/localites', 'GET, HEAD'], ['PUT', '/suivi', 'GET, HEAD, POST'], ['DELETE', '/api/v1/suivi', 'POST'], ['PATCH', '/organismes', 'GET, HEAD']]) {
    const res = await fetch(w.url + path, { method });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
  }
  const plain = await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ code: '12345678', email: 'a@example.ci' }) });
  assert.equal(plain.status, 415);
  assert.equal(plain.headers.get('access-control-allow-origin'), null);
  const json = await trackApi({ code: '12345678', email: 'a@example.ci' });
  assert.equal(json.headers.get('access-control-allow-origin'), null);
});

test('8. the back office is reached only through the portal: its pages are, its cron address is not', async () => {
  // The citizens' worker hands /agent/… and /open311/… to the back office, and nothing else: the
  // address where the back office takes a cron is a 404 from outside, whatever the method.
  for (const method of ['GET', 'POST']) {
    const res = await fetch(`${w.url}/__cron?cron=${encodeURIComponent('0 6 * * *')}&at=${Date.now() + 400 * 86_400_000}`, { method });
    assert.equal(res.status, 404, method);
    assert.match(await res.text(), /<html/);
  }
  const signInPage = await fetch(`${w.url}/agent/connexion`);
  assert.equal(signInPage.status, 200);
  assert.match(signInPage.headers.get('content-security-policy'), /default-src 'none'|default-src 'self'/);
  assert.equal((await fetch(`${w.url}/open311/v2/discovery.json`)).status, 200);
  const put = await fetch(`${w.url}/agent`, { method: 'PUT' });
  assert.equal(put.status, 405);
});

test('8. sign-in and «code oublié» answer the same for known and unknown addresses', async () => {
  const ask = async (path, email) => {
    const page = await fetch(w.url + path);
    const cookie = jar('', page);
    const res = await fetch(w.url + path, { method: 'POST', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfOf(await page.text()), email }) });
    return { status: res.status, html: (await res.text()).replace(/name="csrf" value="[^"]*"/, '') };
  };
  const known = await ask('/agent/connexion', 'admin@milie.local');
  const unknown = await ask('/agent/connexion', 'personne@milie.local');
  assert.deepEqual(known, unknown);
  await newRequest({ email: 'oubli-connu@example.ci' });
  assert.deepEqual(await ask('/suivi/oubli', 'oubli-connu@example.ci'), await ask('/suivi/oubli', 'oubli-inconnu@example.ci'));
  // The known address still gets its mail, sent after the answer.
  await settleMail('oubli-connu@example.ci');
});

test('8. the open-data CSV never starts a cell with a formula', async () => {
  const admin = await w.signIn('admin');
  const page = await fetch(`${w.url}/agent/admin`, { headers: { cookie: admin } });
  const cookie = jar(admin, page);
  const res = await fetch(`${w.url}/agent/admin/organismes`, {
    method: 'POST', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrfOf(await page.text()), nom: '=HYPERLINK("http://evil.example";"Cliquez")', telephones: '27 20 21 00 00', localisation: 'Plateau' }),
  });
  assert.ok([200, 303].includes(res.status), `body created (${res.status})`);
  const [{ id }] = await sql(w.dir, "SELECT id FROM bodies WHERE name LIKE '=HYPERLINK%'");
  for (let i = 0; i < 5; i++) await newRequest({ organisme: String(id) });
  await w.daily();
  let csv = '';
  await settle(async () => {
    csv = await (await fetch(`${w.url}/statistiques/donnees.csv?organisme=${id}&t=${Date.now()}`)).text();
    return csv.includes('HYPERLINK');
  });
  assert.match(csv, /'=HYPERLINK/);
  assert.doesNotMatch(csv, /(^|,|")=HYPERLINK/m);
});
