// Open311 as a partner keeps in step with it (issue 35, items 10–12 and 15): the updates
// FixMyStreet fetches (servicerequestupdates), polls of thousands of ids, ids that override every
// filter (a reassigned request keeps answering), and the specification's details — every error
// in its format, a 404 for what does not exist, repeated parameters read as lists.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { signIn, act, adminForm } from './support/agent.mjs';
import { parseXml, childNames, child } from './support/xml.mjs';

// perllib/Open311.pm reads these elements of each <request_update> (GetServiceRequestUpdates,
// UpdatesBase): update_id, service_request_id, status, updated_datetime, description, media_url,
// external_status_code.
const UPDATE = ['update_id', 'service_request_id', 'status', 'updated_datetime', 'description', 'media_url', 'external_status_code'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;

let w;
let apiKey;
let analyst;
let slugs;
before(async () => {
  w = await startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  const admin = await signIn(w, 'admin@milie.local');
  const { html } = await adminForm(w, admin, '/agent/admin/cles-api', { nom: 'FixMyStreet Côte d\'Ivoire' });
  apiKey = html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
  analyst = await signIn(w, 'analyste@milie.local');
  slugs = Object.fromEntries((await sql(w.dir, 'SELECT id, slug FROM bodies WHERE id IN (2, 4, 5)')).map((b) => [b.id, b.slug]));
});
after(async () => { await w?.stop(); });

const open311 = (path, init = {}) => fetch(`${w.url}/open311/v2/${path}`, init);
/** W3CDTF as FixMyStreet writes its window (DateTime::Format::W3CDTF, UTC: …Z, no fraction). */
const w3c = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const CITIZEN = {
  service_code: '5-0', 'attribute[nature]': 'reclamation', address_string: 'Yopougon',
  description: 'Le lampadaire devant le collège moderne est éteint depuis la rentrée.',
  first_name: 'Awa', last_name: 'Koné', email: 'awa.kone@example.ci',
};
async function submit(fields = {}) {
  const res = await open311('requests.json', { method: 'POST', body: new URLSearchParams({ ...CITIZEN, api_key: apiKey, ...fields }) });
  assert.equal(res.status, 201, await res.clone().text());
  const [{ service_request_id: id }] = await res.json();
  const [{ code }] = await sql(w.dir, `SELECT code FROM requests WHERE public_id = '${id}'`);
  return { id, code };
}
/** The updates as FixMyStreet reads them (XML::Simple, ForceArray of request_update, empty → undef). */
async function updates(query) {
  const res = await open311(`servicerequestupdates.xml?${new URLSearchParams(query)}`);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
  const xml = parseXml(await res.text());
  assert.equal(xml.name, 'service_request_updates');
  return xml.children.map((el) => {
    assert.equal(el.name, 'request_update');
    assert.deepEqual(childNames(el), UPDATE);
    return Object.fromEntries(el.children.map((c) => [c.name, c.text === '' ? null : c.text]));
  });
}
function assertErrors(json, status) {
  assert.ok(Array.isArray(json) && json.length >= 1, JSON.stringify(json));
  for (const e of json) assert.deepEqual(e, { code: status, description: e.description });
}

test('servicerequestupdates: the history a citizen sees, as FixMyStreet fetches it — no note, no staff event, no personal data', async () => {
  const start = Date.now() - 2000;
  const { id, code } = await submit();
  const secrets = ['Consigne interne confidentielle', 'Recevable, le dossier part', 'Le lampadaire sera remplacé jeudi', 'Motif réservé à l\'organisme',
    CITIZEN.email, 'Awa', 'Koné', 'collège moderne', code, 'FixMyStreet Côte'];
  assert.equal((await act(w, analyst, code, 'note', { message: secrets[0] })).status, 303, 'a staff note');
  assert.equal((await act(w, analyst, code, 'valider', { message: secrets[1] })).status, 303);
  assert.equal((await act(w, analyst, code, 'reaffecter', { organisme: '2' })).status, 303);
  const focal = await signIn(w, 'point-focal.defense@milie.local');
  assert.equal((await act(w, focal, code, 'demander-reaffectation', { message: secrets[0] })).status, 303, 'staff only');
  assert.equal((await act(w, focal, code, 'traiter', { message: secrets[2] })).status, 303);
  // A row the citizen sees whose note is for the body only (migration 0020's note_visible).
  await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, note, visible_to_citizen, note_visible)
    VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'returned_to_body', 'analyst', 'in_treatment', '${secrets[3].replace("'", "''")}', 1, 0)`);
  const end = Date.now() + 2000;

  // Read by anyone (no key): the stage in words. The partner that submitted it reads, besides, the
  // messages the citizen was sent (issue 35, item 13) — below.
  const window = { start_date: w3c(start), end_date: w3c(end), jurisdiction_id: slugs[5] };
  const all = await updates(window);
  const mine = all.filter((u) => u.service_request_id === id);
  // Validated, reassigned, treated, returned to the body: the submission is the request itself.
  assert.deepEqual(mine.map((u) => [u.status, u.external_status_code]), [
    ['in_progress', 'in_treatment'], ['in_progress', 'in_treatment'], ['closed', 'treated'], ['in_progress', 'in_treatment']]);
  assert.deepEqual(mine.map((u) => u.description), [
    'Jugée recevable et transmise à l\'organisme — En cours de traitement',
    'Réaffectée à un autre organisme — En cours de traitement',
    'Traitée par l\'organisme — Traitée, avis attendu',
    'Renvoyée à l\'organisme pour un nouveau traitement — En cours de traitement',
  ]);
  // update_id: unique and stable (FixMyStreet keys its comments by it), ranks among what the citizen sees.
  assert.deepEqual(mine.map((u) => u.update_id), [2, 3, 4, 5].map((n) => `${id}-${n}`));
  assert.deepEqual((await updates(window)).filter((u) => u.service_request_id === id), mine, 'the same ids on the next fetch');
  for (const u of mine) {
    assert.match(u.updated_datetime, ISO);
    // UpdatesBase::check_date: written in UTC, within [start_date, end_date] as strings.
    const utc = w3c(Date.parse(u.updated_datetime));
    assert.ok(utc >= window.start_date && utc <= window.end_date, `${utc} within the window`);
    assert.equal(u.media_url, null);
  }
  const text = await (await open311(`servicerequestupdates.json?${new URLSearchParams(window)}`)).text();
  for (const secret of secrets) assert.ok(!text.includes(secret), `nothing of «${secret}»`);
  // JSON: the same updates, the same fields.
  const json = JSON.parse(text);
  assert.deepEqual(json.filter((u) => u.service_request_id === id), mine);
  for (const u of json) assert.deepEqual(Object.keys(u), UPDATE);

  // The submitting partner's key: the same updates, with what the citizen was told — never the
  // staff note, the reassignment request or the motif kept for the body.
  const owned = (await updates({ ...window, api_key: apiKey })).filter((u) => u.service_request_id === id);
  assert.deepEqual(owned.map((u) => u.update_id), mine.map((u) => u.update_id));
  assert.deepEqual(owned.map((u) => u.description), [
    `${mine[0].description}\n\n${secrets[1]}`, mine[1].description, `${mine[2].description}\n\n${secrets[2]}`, mine[3].description,
  ]);
  const ownedText = JSON.stringify(owned);
  for (const secret of [secrets[0], secrets[3], CITIZEN.email, code]) assert.ok(!ownedText.includes(secret), `nothing of «${secret}»`);

  // Jurisdictions: the body it was sent to and the body it is with both hear of it, another not.
  assert.ok((await updates({ ...window, jurisdiction_id: slugs[2] })).some((u) => u.service_request_id === id));
  assert.ok(!(await updates({ ...window, jurisdiction_id: slugs[4] })).some((u) => u.service_request_id === id));
  assert.ok((await updates({ ...window, jurisdiction_id: `${slugs[4]},${slugs[2]}` })).some((u) => u.service_request_id === id), 'a list');
  // A window that ends before them, and one that starts after.
  assert.deepEqual(await updates({ start_date: w3c(start - 3600_000), end_date: w3c(start - 1000) }), []);
  assert.deepEqual((await updates({ start_date: w3c(end), end_date: w3c(end + 3600_000) })).filter((u) => u.service_request_id === id), []);
  // Without dates: the last 24 hours.
  assert.equal((await updates({})).filter((u) => u.service_request_id === id).length, 4);
});

test('servicerequestupdates refuses in the specification\'s errors: one date alone, a long window, an unknown jurisdiction or key', async () => {
  const now = Date.now();
  const cases = [
    [{ start_date: w3c(now) }, 400],
    [{ end_date: w3c(now) }, 400],
    [{ start_date: w3c(now - 91 * 86400_000), end_date: w3c(now) }, 400],
    [{ start_date: w3c(now), end_date: w3c(now - 1000) }, 400],
    [{ start_date: 'hier', end_date: w3c(now) }, 400],
    [{ jurisdiction_id: 'nulle-part' }, 404],
    [{ api_key: 'milie_inconnue' }, 403],
  ];
  for (const [query, status] of cases) {
    for (const format of ['json', 'xml']) {
      const res = await open311(`servicerequestupdates.${format}?${new URLSearchParams(query)}`);
      assert.equal(res.status, status, JSON.stringify(query));
      const body = await res.text();
      if (format === 'json') assertErrors(JSON.parse(body), status);
      else assert.equal(child(parseXml(body).children[0], 'code').text, String(status));
    }
  }
  // An unescaped «+» of an offset arrives as a space: read as the «+» it was.
  const plain = await open311(`servicerequestupdates.json?start_date=${w3c(now - 60_000).replace('Z', '+00:00')}&end_date=${w3c(now).replace('Z', '+00:00')}`);
  assert.equal(plain.status, 200);
});

test('ids override every filter: a request reassigned to another body answers its ids with its new agency_responsible', async () => {
  const { id, code } = await submit();
  assert.equal((await act(w, analyst, code, 'reaffecter', { organisme: '4' })).status, 303);
  const [{ name }] = await sql(w.dir, 'SELECT name FROM bodies WHERE id = 4');
  // FixMyStreet's poll: its own jurisdiction, plus filters that would each exclude it.
  const query = new URLSearchParams({ service_request_id: id, jurisdiction_id: slugs[5], service_code: '5-0', status: 'closed', start_date: '2020-01-01T00:00:00Z', end_date: '2020-01-02T00:00:00Z' });
  for (const path of [`requests.json?${query}`, `requests/${id}.json?jurisdiction_id=nulle-part&status=closed`]) {
    const res = await open311(path);
    assert.equal(res.status, 200, path);
    const [r] = await res.json();
    assert.equal(r.service_request_id, id);
    assert.equal(r.agency_responsible, name);
    assert.equal(r.service_code, '4-0');
  }
  // Without ids, the jurisdiction filters by the body it is with now.
  const byBody = async (slug) => (await (await open311(`requests.json?jurisdiction_id=${slug}`)).json()).map((r) => r.service_request_id);
  assert.ok((await byBody(slugs[4])).includes(id));
  assert.ok(!(await byBody(slugs[5])).includes(id));
});

test('polling 5 000 ids: the same query posted as a form; a GET of more than 800 ids is a 414 that names the limit and the POST', async () => {
  const real = [(await submit()).id, (await submit({ 'attribute[nature]': 'suggestion' })).id];
  const ids = Array.from({ length: 4998 }, (_, i) => (i * 7919 + 1).toString(16).padStart(16, 'a')).concat(real);
  // FixMyStreet's GET (URI::query_form escapes each comma): at most 800 ids.
  const get800 = await open311(`requests.xml?service_request_id=${ids.slice(-800).join('%2C')}&jurisdiction_id=${slugs[5]}`);
  assert.equal(get800.status, 200);
  assert.equal(parseXml(await get800.text()).children.length, 2);
  for (const format of ['xml', 'json']) {
    const over = await open311(`requests.${format}?service_request_id=${ids.slice(0, 801).join(',')}`);
    assert.equal(over.status, 414);
    const description = format === 'json' ? (await over.json())[0].description
      : child(parseXml(await over.text()).children[0], 'description').text;
    assert.match(description, /at most 800 ids in a GET/);
    assert.match(description, /POST the same parameters to requests\.xml or requests\.json as a form body/);
  }
  // POST: form-urlencoded (comma-separated, or repeated), and multipart; no key needed to read.
  const started = Date.now();
  const posted = await open311('requests.xml', { method: 'POST', body: new URLSearchParams({ service_request_id: ids.join(','), jurisdiction_id: 'nulle-part' }) });
  const took = Date.now() - started;
  assert.equal(posted.status, 200, await posted.clone().text());
  const listed = parseXml(await posted.text());
  assert.equal(listed.name, 'service_requests');
  assert.deepEqual(listed.children.map((r) => child(r, 'service_request_id').text).sort(), [...real].sort());
  console.log(`# POST requests.xml with ${ids.length} ids: ${took} ms`);
  const repeated = new URLSearchParams(ids.map((i) => ['service_request_id', i]));
  repeated.append('api_key', apiKey);
  const json = await open311('requests.json', { method: 'POST', body: repeated });
  assert.equal(json.status, 200);
  assert.deepEqual((await json.json()).map((r) => r.service_request_id).sort(), [...real].sort());
  const multipart = new FormData();
  multipart.set('service_request_id', real.join(','));
  multipart.set('service_code', '');
  assert.equal((await (await open311('requests.json', { method: 'POST', body: multipart })).json()).length, 2);
  // Over 10 000 ids, or a bad one: the specification's 400; a bad key: 403.
  const tooMany = await open311('requests.json', { method: 'POST', body: new URLSearchParams({ service_request_id: Array(10_001).fill(real[0]).join(',') }) });
  assert.equal(tooMany.status, 400);
  assertErrors(await tooMany.json(), 400);
  assert.equal((await open311('requests.json', { method: 'POST', body: new URLSearchParams({ service_request_id: '12345678' }) })).status, 400);
  assert.equal((await open311('requests.json', { method: 'POST', body: new URLSearchParams({ service_request_id: real[0], api_key: 'milie_x' }) })).status, 403);
  // With service_code it is a submission (here without its key: 403), never a read.
  const before = (await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
  const submission = await open311('requests.json', { method: 'POST', body: new URLSearchParams({ ...CITIZEN, service_request_id: real[0] }) });
  assert.equal(submission.status, 403);
  assert.equal((await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n, before);
  // Discovery says so.
  const discovery = await (await open311('discovery.json')).json();
  const byPost = discovery.extensions.find((e) => e.name === 'requests by POST');
  assert.match(byPost.description, /10000 ids/);
  assert.match(byPost.description, /at most 800/);
  assert.ok(discovery.extensions.some((e) => e.name === 'servicerequestupdates' && e.url.endsWith('/open311/v2/servicerequestupdates.xml')));
});

test('every answer under /open311/ is the specification\'s: an unknown path or method, a body too large', async () => {
  const cases = [
    ['GET', 'nope.json', 404, 'json'], ['GET', 'nope', 404, 'xml'], ['GET', 'requests/abc/def.json', 404, 'json'],
    ['GET', 'services', 404, 'xml'], ['POST', 'nope.xml', 404, 'xml'],
    ['PUT', 'requests.xml', 405, 'xml', 'GET, HEAD, POST'], ['DELETE', 'requests.json', 405, 'json', 'GET, HEAD, POST'],
    ['POST', 'discovery.json', 405, 'json', 'GET, HEAD'], ['POST', 'servicerequestupdates.xml', 405, 'xml', 'GET, HEAD'],
    ['PATCH', 'servicerequestupdates.json', 405, 'json', 'GET, HEAD'], ['POST', 'services/5-0.json', 405, 'json', 'GET, HEAD'],
    ['OPTIONS', 'services.xml', 405, 'xml', 'GET, HEAD'], ['POST', 'requests/0123456789abcdef.xml', 405, 'xml', 'GET, HEAD'],
  ];
  for (const [method, path, status, format, allow] of cases) {
    const res = await open311(path, { method, ...(method === 'GET' ? {} : { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }) });
    assert.equal(res.status, status, `${method} ${path}`);
    assert.equal(res.headers.get('content-type'), format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8', `${method} ${path}`);
    if (allow) assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
    const body = await res.text();
    if (format === 'json') assertErrors(JSON.parse(body), status);
    else assert.equal(child(parseXml(body).children[0], 'code').text, String(status));
  }
  for (const path of ['/open311', '/open311/v1/requests.json']) {
    const res = await fetch(w.url + path);
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.headers.get('content-type'), /html/);
  }
  // Posts take attachments (20 MB and the fields' room); past that, refused before it is read.
  const large = await open311('requests.xml', { method: 'POST', body: new URLSearchParams({ description: 'x'.repeat(27_000_000) }) });
  assert.equal(large.status, 413);
  assert.equal(parseXml(await large.text()).name, 'errors');
});

test('spec details: realtime services, a 404 for an unknown service or jurisdiction, repeated parameters as lists', async () => {
  const services = await (await open311('services.json')).json();
  assert.ok(services.length > 10 && services.every((s) => s.type === 'realtime'));
  // Repeated, or comma-separated: a list.
  const two = await (await open311(`services.json?jurisdiction_id=${slugs[2]}&jurisdiction_id=${slugs[5]}`)).json();
  assert.deepEqual([...new Set(two.map((s) => s.jurisdiction_id))].sort(), [slugs[2], slugs[5]].sort());
  assert.deepEqual(await (await open311(`services.json?jurisdiction_id=${slugs[2]},${slugs[5]}`)).json(), two);
  const both = await (await open311('requests.json?status=open&status=closed')).json();
  assert.equal(both.length, (await (await open311('requests.json')).json()).length);
  const codes = await (await open311('requests.json?service_code=5-0&service_code=2-0')).json();
  assert.ok(codes.length >= 1 && codes.every((r) => ['5-0', '2-0'].includes(r.service_code)));
  // Unknown: 404, in both formats, on every read and on a post.
  for (const path of ['services.json?jurisdiction_id=nulle-part', 'requests.json?jurisdiction_id=nulle-part', 'requests.json?service_code=999-1',
    'requests.json?service_code=x', `requests.json?service_code=2-0&jurisdiction_id=${slugs[5]}`, `services/5-0.json?jurisdiction_id=${slugs[2]}`, 'services/999-1.json']) {
    const res = await open311(path);
    assert.equal(res.status, 404, path);
    assertErrors(await res.json(), 404);
  }
  const before = (await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
  for (const fields of [{ service_code: '999-1' }, { service_code: 'x' }, { jurisdiction_id: 'nulle-part' }, { jurisdiction_id: slugs[2] }]) {
    const res = await open311('requests.xml', { method: 'POST', body: new URLSearchParams({ ...CITIZEN, api_key: apiKey, ...fields }) });
    assert.equal(res.status, 404, JSON.stringify(fields));
    assert.equal(child(parseXml(await res.text()).children[0], 'code').text, '404');
  }
  assert.equal((await open311('requests.json', { method: 'POST', body: new URLSearchParams({ ...CITIZEN, api_key: apiKey, service_code: '' }) })).status, 400, 'no service_code: 400');
  assert.equal((await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n, before, 'nothing written');
});
