// What a partner sends comes back to that partner (issue 35, items 13 and 14): its description,
// its media links and its position are read back by its own key only; photos posted as files and
// every media link are kept; a landline beside a valid email no longer refuses the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { adminForm, act } from './support/agent.mjs';
import { JPEG, PDF } from './support/forms.mjs';

let w;
let admin;
let keyA;
let keyB;
before(async () => {
  w = await startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  admin = await w.signIn('admin');
  keyA = await createKey('FixMyStreet Abidjan');
  keyB = await createKey('Autre partenaire');
});
after(async () => { await w?.stop(); });

async function createKey(name) {
  const { status, html } = await adminForm(w, admin, '/agent/admin/cles-api', { nom: name });
  assert.equal(status, 303);
  return html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
}
const REPORT = {
  service_code: '5-0', 'attribute[nature]': 'reclamation', lat: '5.3467', long: '-4.0226',
  description: 'Le portail de l\'école est cassé depuis la tempête de la semaine dernière.',
  first_name: 'Koffi', last_name: 'Brou', email: 'koffi.brou@example.ci',
};
async function postForm(fields, key = keyA) {
  const body = new URLSearchParams({ ...fields, api_key: key });
  for (const url of fields.media ?? []) body.append('media_url', url);
  body.delete('media');
  const res = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body, headers: { 'accept-language': 'fr' } });
  return { status: res.status, json: await res.json() };
}
const read = async (id, key) => {
  const q = new URLSearchParams({ service_request_id: id, ...(key ? { api_key: key } : {}) });
  const res = await fetch(`${w.url}/open311/v2/requests.json?${q}`);
  assert.equal(res.status, 200);
  return (await res.json())[0];
};

test('13. the submitting key reads back its description, its first media link and its position; nobody else does', async () => {
  const links = ['https://fms.example.ci/photo/1.jpeg', 'https://fms.example.ci/photo/2.jpeg'];
  const created = await postForm({ ...REPORT, media: links });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json[0].service_request_id;
  const own = await read(id, keyA);
  assert.equal(own.description, REPORT.description);
  assert.equal(own.media_url, links[0]);
  assert.deepEqual([own.lat, own.long], [5.3467, -4.0226], 'the position it sent');
  for (const other of [await read(id), await read(id, keyB)]) {
    assert.equal(other.description, null, 'the citizen\'s words are not public');
    assert.equal(other.media_url, null);
    assert.notDeepEqual([other.lat, other.long], [5.3467, -4.0226], 'the place\'s own point, not the one sent');
  }
  // Every link is kept with the request and shown to staff.
  const [{ id: rid }] = await sql(w.dir, `SELECT id FROM requests WHERE public_id = '${id}'`);
  assert.deepEqual((await sql(w.dir, `SELECT url FROM request_links WHERE request_id = ${rid} ORDER BY position`)).map((r) => r.url), links);
  const [{ code }] = await sql(w.dir, `SELECT code FROM requests WHERE id = ${rid}`);
  const page = await (await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: admin } })).text();
  for (const link of links) assert.ok(page.includes(`href="${link}"`), link);

  // The body's answer reaches the partner's update fetch; others read the stage in words only.
  const analyst = await w.signIn('analyst');
  const focal = await w.signIn('focal');
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  assert.equal((await act(w, focal, code, 'traiter', { message: 'Le portail sera réparé lundi par les services techniques.' })).status, 303);
  const updates = async (key) => {
    const q = new URLSearchParams({ start_date: new Date(Date.now() - 3600_000).toISOString(), end_date: new Date(Date.now() + 60_000).toISOString(), ...(key ? { api_key: key } : {}) });
    const res = await fetch(`${w.url}/open311/v2/servicerequestupdates.json?${q}`);
    assert.equal(res.status, 200);
    return (await res.json()).filter((u) => u.service_request_id === id);
  };
  const mine = await updates(keyA);
  assert.ok(mine.some((u) => u.description.includes('Le portail sera réparé lundi')), JSON.stringify(mine));
  for (const other of [await updates(), await updates(keyB)]) {
    assert.equal(other.length, mine.length);
    assert.ok(other.every((u) => !u.description.includes('réparé lundi')), JSON.stringify(other));
  }
});

test('13. photos posted as files (media, photo1) are kept as attachments, checked by content', async () => {
  const body = new FormData();
  for (const [k, v] of Object.entries({ ...REPORT, api_key: keyA })) body.set(k, v);
  body.append('media', new Blob([JPEG], { type: 'image/jpeg' }), 'portail.jpg');
  body.append('photo1', new Blob([PDF], { type: 'application/pdf' }), 'constat.pdf');
  const res = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body });
  const json = await res.json();
  assert.equal(res.status, 201, JSON.stringify(json));
  const files = await sql(w.dir, `SELECT a.file_name, a.kind FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.public_id = '${json[0].service_request_id}' ORDER BY a.id`);
  assert.deepEqual(files.map((f) => f.file_name), ['portail.jpg', 'constat.pdf']);
  // A file that is not what it claims is refused, naming it, and nothing is stored.
  const before = (await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
  const bad = new FormData();
  for (const [k, v] of Object.entries({ ...REPORT, api_key: keyA })) bad.set(k, v);
  bad.append('media', new Blob([Buffer.from('MZ\x90\x00not an image')]), 'photo.jpg');
  const refused = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: bad });
  assert.equal(refused.status, 400);
  assert.match(JSON.stringify(await refused.json()), /photo\.jpg/);
  assert.equal((await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n, before);
});

test('14. a landline beside a valid email: the email is used, the number kept for the body, and the answer says so', async () => {
  const created = await postForm({ ...REPORT, email: 'fixe@example.ci', phone: '27 20 21 22 23' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  assert.match(created.json[0].service_notice, /n'est pas un portable : le citoyen reçoit son code par e-mail/);
  const [row] = await sql(w.dir, `SELECT r.id, r.phone, r.email FROM requests r WHERE r.public_id = '${created.json[0].service_request_id}'`);
  assert.deepEqual([row.phone, row.email], ['', 'fixe@example.ci']);
  const [{ note }] = await sql(w.dir, `SELECT note FROM request_events WHERE request_id = ${row.id} AND event = 'submitted'`);
  assert.match(note, /téléphone indiqué \(pas un portable\) : 27 20 21 22 23/);
  await w.mailTo('fixe@example.ci');
  await w.settled();
  assert.equal(w.inbox.state.sms.filter((s) => s.to.includes('2720212223')).length, 0, 'no SMS to a landline');
  // Without a valid email, a landline is still refused, naming the field.
  const alone = await postForm({ ...REPORT, email: '', phone: '27 20 21 22 23' });
  assert.equal(alone.status, 400);
  assert.match(JSON.stringify(alone.json), /phone/);
});
