// Open311 GeoReport v2, checked field by field against the specification
// (http://wiki.open311.org/GeoReport_v2) in JSON and XML, with keys issued in the back office.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { signIn, adminForm } from './support/agent.mjs';
import { jar, csrfOf } from './support/tracking.mjs';
import { parseXml, childNames, child } from './support/xml.mjs';

// The specification's elements, in its order.
const SERVICE = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group', 'jurisdiction_id'];
const ATTRIBUTE = ['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values'];
const REQUEST = ['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible',
  'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url'];
const CREATED = ['service_request_id', 'service_notice', 'account_id'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

let w;
let admin;
let apiKey;
/** A service of body 5 with a theme. */
let themed;
const themedCode = () => themed;
before(async () => {
  w = await startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  admin = await w.signIn('admin');
  apiKey = await createKey('Tableau de bord de la Mairie');
  const services = await (await fetch(`${w.url}/open311/v2/services.json`)).json();
  themed = services.find((s) => s.service_code.startsWith('5-') && s.service_code !== '5-0').service_code;
});
after(async () => { await w?.stop(); });

const get = (path) => fetch(`${w.url}/open311/v2/${path}`, { headers: { 'accept-language': 'fr' } });
const adminPost = (path, fields) => adminForm(w, admin, path, fields);
async function createKey(name) {
  const { status, html } = await adminPost('/agent/admin/cles-api', { nom: name });
  assert.equal(status, 303);
  return html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
}
/** The tracking code behind an Open311 id (inspection of what was stored). */
const codeOf = async (id) => (await sql(w.dir, `SELECT code FROM requests WHERE public_id = '${id}'`))[0].code;
const post = (format, fields, headers = {}) => fetch(`${w.url}/open311/v2/requests.${format}`, {
  method: 'POST', body: new URLSearchParams(fields), headers: { 'accept-language': 'fr', ...headers },
});
const CITIZEN = {
  service_code: '5-0', 'attribute[nature]': 'reclamation', address_string: 'Yopougon',
  description: 'Le lampadaire devant l\'école primaire est éteint depuis deux semaines.',
  first_name: 'Adjoua', last_name: 'Yao', phone: '+225 05 44 33 22 11', email: 'adjoua.yao@example.ci',
};

function assertErrors(json, status) {
  assert.ok(Array.isArray(json) && json.length >= 1);
  for (const e of json) {
    assert.deepEqual(Object.keys(e), ['code', 'description']);
    assert.equal(e.code, status);
    assert.equal(typeof e.description, 'string');
  }
}

test('discovery, in JSON and XML', async () => {
  const json = await (await get('discovery.json')).json();
  assert.deepEqual(Object.keys(json), ['changeset', 'contact', 'key_service', 'endpoints', 'jurisdictions', 'extensions']);
  // Each body is a jurisdiction, by its slug.
  const slugs = (await sql(w.dir, 'SELECT slug FROM bodies WHERE active = 1')).map((b) => b.slug);
  assert.deepEqual(json.jurisdictions.map((j) => j.jurisdiction_id).sort(), slugs.sort());
  assert.equal(json.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.match(json.endpoints[0].url, /\/open311\/v2$/);
  assert.deepEqual(json.endpoints[0].formats, ['text/xml', 'application/json']);
  const res = await get('discovery.xml');
  assert.equal(res.headers.get('content-type'), 'text/xml; charset=utf-8');
  const xml = parseXml(await res.text());
  assert.equal(xml.name, 'discovery');
  assert.deepEqual(childNames(xml), ['changeset', 'contact', 'key_service', 'endpoints', 'jurisdictions', 'extensions']);
  assert.deepEqual(childNames(child(child(xml, 'extensions'), 'extension')), ['name', 'url', 'description']);
  assert.deepEqual(childNames(child(child(xml, 'jurisdictions'), 'jurisdiction')), ['jurisdiction_id', 'name']);
  const endpoint = child(child(xml, 'endpoints'), 'endpoint');
  assert.deepEqual(childNames(endpoint), ['specification', 'url', 'changeset', 'type', 'formats']);
  assert.deepEqual(child(endpoint, 'formats').children.map((f) => [f.name, f.text]), [['format', 'text/xml'], ['format', 'application/json']]);
});

test('services: one per body and theme, grouped by body, identical in both formats', async () => {
  const res = await get('services.json');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  const services = await res.json();
  const bodies = (await sql(w.dir, 'SELECT name FROM bodies WHERE active = 1')).map((b) => b.name);
  assert.deepEqual([...new Set(services.map((s) => s.group))].sort(), bodies.sort(), 'every active body is a group');
  for (const s of services) {
    assert.deepEqual(Object.keys(s), SERVICE);
    assert.match(s.service_code, /^\d+-\d+$/);
    assert.equal(s.metadata, true);
    assert.equal(s.type, 'realtime', 'a post is answered with its id at once');
    assert.equal(typeof s.keywords, 'string');
  }
  const body5 = (await sql(w.dir, 'SELECT name FROM bodies WHERE id = 5'))[0].name;
  assert.ok(services.some((s) => s.service_code === '5-0' && s.service_name === `Autre préoccupation — ${body5}`));
  const themed = services.find((s) => s.service_code.startsWith('5-') && s.service_code !== '5-0');
  assert.match(themed.service_name, new RegExp(` : .* — ${body5.replace(/[()]/g, '.')}$`));
  assert.equal(new Set(services.map((s) => s.service_name)).size, services.length, 'unique names');
  const xml = parseXml(await (await get('services.xml')).text());
  assert.equal(xml.name, 'services');
  assert.equal(xml.children.length, services.length);
  xml.children.forEach((el, i) => {
    assert.equal(el.name, 'service');
    assert.deepEqual(childNames(el), SERVICE);
    assert.equal(child(el, 'service_code').text, services[i].service_code);
    assert.equal(child(el, 'service_name').text, services[i].service_name);
    assert.equal(child(el, 'metadata').text, 'true');
  });
});

test('a service definition: nature as a single-value list, and the place', async () => {
  const def = await (await get('services/5-0.json')).json();
  assert.deepEqual(Object.keys(def), ['service_code', 'attributes']);
  assert.equal(def.service_code, '5-0');
  for (const a of def.attributes) assert.deepEqual(Object.keys(a), ATTRIBUTE);
  const [nature, place] = def.attributes;
  assert.deepEqual([nature.code, nature.datatype, nature.required, nature.order], ['nature', 'singlevaluelist', true, 1]);
  assert.deepEqual(nature.values.map((v) => v.key), ['reclamation', 'observation', 'suggestion']);
  assert.deepEqual([place.code, place.datatype, place.required], ['lieu', 'singlevaluelist', false]);
  assert.ok(place.values.some((v) => v.name === 'Yopougon'));
  const xml = parseXml(await (await get('services/5-0.xml')).text());
  assert.equal(xml.name, 'service_definition');
  const attribute = child(xml, 'attributes').children[0];
  assert.equal(attribute.name, 'attribute');
  assert.deepEqual(childNames(attribute), ATTRIBUTE);
  assert.deepEqual(childNames(child(attribute, 'values').children[0]), ['key', 'name']);
  for (const [path, status] of [['services/999-1.json', 404], ['services/nope.json', 404]]) {
    const res = await get(path);
    assert.equal(res.status, status);
    assertErrors(await res.json(), status);
  }
  const xmlError = parseXml(await (await get('services/999-1.xml')).text());
  assert.equal(xmlError.name, 'errors');
  assert.deepEqual(childNames(xmlError.children[0]), ['code', 'description']);
  assert.equal(child(xmlError.children[0], 'code').text, '404');
});

test('posting: the key is required, the request is validated like the web form, and lands in the queue with its mail', async () => {
  for (const key of [undefined, 'milie_wrong', apiKey.slice(0, -1)]) {
    const res = await post('json', { ...CITIZEN, ...(key ? { api_key: key } : {}) });
    assert.equal(res.status, 403);
    assertErrors(await res.json(), 403);
  }
  const bad = await post('json', { ...CITIZEN, api_key: apiKey, email: 'pas-une-adresse', description: 'court' });
  assert.equal(bad.status, 400);
  const errors = await bad.json();
  assertErrors(errors, 400);
  assert.ok(errors.some((e) => e.description.startsWith('email:')));
  assert.ok(errors.some((e) => e.description.startsWith('description:')));
  const before = (await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
  assert.equal((await post('json', { ...CITIZEN, api_key: apiKey, service_code: '999-1' })).status, 404, 'an unknown service');
  assert.equal((await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n, before, 'nothing written');

  const res = await post('json', { ...CITIZEN, api_key: apiKey, media_url: 'https://photos.example.ci/lampadaire.jpg' });
  assert.equal(res.status, 201);
  const [created] = await res.json();
  assert.deepEqual(Object.keys(created), CREATED);
  // Open311 names the request by its own random id, never by the citizen's tracking code.
  assert.match(created.service_request_id, /^[0-9a-f]{16}$/);
  const code = await codeOf(created.service_request_id);
  assert.ok(!JSON.stringify(created).includes(code));
  const [stored] = await sql(w.dir, `SELECT r.channel, r.nature, r.body_id, r.theme_id, p.name AS place, r.email, r.phone, r.last_name, r.stage,
      (SELECT note FROM request_events e WHERE e.request_id = r.id) AS note FROM requests r LEFT JOIN places p ON p.id = r.place_id WHERE r.code = '${code}'`);
  assert.deepEqual(stored, { channel: 'open311', nature: 'reclamation', body_id: 5, theme_id: null, place: 'Yopougon', email: 'adjoua.yao@example.ci',
    phone: '+2250544332211', last_name: 'Yao', stage: 'awaiting_triage', note: 'Open311 : Tableau de bord de la Mairie' });
  // The media link is kept with the request (issue 35, item 13), not in a note.
  assert.deepEqual(await sql(w.dir, `SELECT url FROM request_links WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`),
    [{ url: 'https://photos.example.ci/lampadaire.jpg' }]);

  // The analyst sees it in the queue, the citizen gets the confirmation mail, once.
  const analyst = await w.signIn('analyst');
  const queue = await (await fetch(`${w.url}/agent?canal=open311`, { headers: { cookie: analyst } })).text();
  assert.match(queue, new RegExp(code));
  await w.mailTo(CITIZEN.email);
  await w.settled();
  const mails = w.inbox.state.mails.filter((m) => m.to[0] === CITIZEN.email);
  assert.equal(mails.length, 1);
  assert.match(mails[0].text, new RegExp(code));

  // XML posting, and the same Idempotency-Key twice gives one request.
  const xmlRes = await post('xml', { ...CITIZEN, api_key: apiKey, service_code: themedCode(), 'attribute[nature]': 'suggestion' }, { 'idempotency-key': 'mairie-42' });
  assert.equal(xmlRes.status, 201);
  const xml = parseXml(await xmlRes.text());
  assert.equal(xml.name, 'service_requests');
  assert.deepEqual(childNames(xml.children[0]), CREATED);
  const again = await post('xml', { ...CITIZEN, api_key: apiKey, service_code: themedCode(), 'attribute[nature]': 'suggestion' }, { 'idempotency-key': 'mairie-42' });
  assert.equal(child(parseXml(await again.text()).children[0], 'service_request_id').text, child(xml.children[0], 'service_request_id').text);
});

test('listing requests: public facts only, the spec\'s fields and filters, in both formats', async () => {
  const id = (await (await post('json', { ...CITIZEN, api_key: apiKey })).json())[0].service_request_id;
  const code = await codeOf(id);
  await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, note, visible_to_citizen)
    VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'note', 'analyst', 'awaiting_triage', 'Note interne confidentielle', 0)`);
  const res = await get('requests.json');
  assert.equal(res.status, 200);
  const text = await res.text();
  for (const secret of [CITIZEN.email, 'Adjoua', 'Yao', '0544332211', 'lampadaire', 'confidentielle', 'Tableau de bord']) {
    assert.ok(!text.includes(secret), `no ${secret} in the list`);
  }
  const list = JSON.parse(text);
  const mine = list.find((r) => r.service_request_id === id);
  assert.ok(!text.includes(code), 'no tracking code in the list');
  assert.deepEqual(Object.keys(mine), REQUEST);
  assert.equal(mine.status, 'open');
  assert.equal(mine.status_notes, 'En attente de traitement');
  assert.equal(mine.agency_responsible, 'Ministère de l\'Éducation nationale, de l\'Alphabétisation et de l\'Enseignement technique');
  assert.equal(mine.service_code, '5-0');
  assert.equal(mine.address, 'Yopougon');
  assert.equal(mine.description, null);
  for (const f of ['requested_datetime', 'updated_datetime', 'expected_datetime']) assert.match(mine[f], ISO, f);
  assert.ok(Date.parse(mine.expected_datetime) > Date.parse(mine.requested_datetime), 'expected from the deadline');

  const xml = parseXml(await (await get('requests.xml')).text());
  assert.equal(xml.name, 'service_requests');
  assert.equal(xml.children.length, list.length);
  for (const el of xml.children) {
    assert.equal(el.name, 'request');
    assert.deepEqual(childNames(el), REQUEST);
  }

  // One request, in both formats; unknown ones are 404.
  const one = await (await get(`requests/${id}.json`)).json();
  assert.deepEqual(one, [mine]);
  assert.equal(child(parseXml(await (await get(`requests/${id}.xml`)).text()).children[0], 'service_request_id').text, id);
  assert.equal((await get('requests/0000000000000001.json')).status, 404);
  assert.equal((await get('requests/abc.xml')).status, 404);
  // The tracking code names nothing here: no existence oracle.
  assert.equal((await get(`requests/${code}.json`)).status, 404);

  // Filters: status, service_code, ids, dates (90 days at most).
  await sql(w.dir, `UPDATE requests SET stage = 'treated' WHERE code = '${code}'`);
  const closed = await (await get('requests.json?status=closed')).json();
  assert.deepEqual(closed.map((r) => r.service_request_id), [id]);
  assert.equal(closed[0].status_notes, 'Traitée, avis attendu');
  assert.ok((await (await get('requests.json?status=open')).json()).every((r) => r.status === 'open' && r.service_request_id !== id));
  assert.ok((await (await get(`requests.json?service_code=${themed}`)).json()).every((r) => r.service_code === themed));
  assert.deepEqual((await (await get(`requests.json?service_request_id=${id},0000000000000001`)).json()).map((r) => r.service_request_id), [id]);
  assert.equal((await get(`requests.json?service_request_id=${code}`)).status, 400, 'a code is not an id');
  const old = await (await get('requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).json();
  assert.deepEqual(old, []);
  const wide = await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z');
  assert.equal(wide.status, 400);
  assertErrors(await wide.json(), 400);
  assert.equal((await get('requests.json?status=pending')).status, 400);
});

test('a revoked key is refused; keys are stored hashed', async () => {
  const key = await createKey('Application à révoquer');
  assert.equal((await post('json', { ...CITIZEN, api_key: key })).status, 201);
  const [row] = await sql(w.dir, "SELECT id, key_hash, prefix FROM api_keys WHERE name = 'Application à révoquer'");
  assert.match(row.key_hash, /^[0-9a-f]{64}$/);
  assert.ok(!row.key_hash.includes(key) && key.startsWith(row.prefix));
  assert.equal((await sql(w.dir, `SELECT count(*) AS n FROM api_keys WHERE key_hash LIKE '%${key.slice(6, 20)}%'`))[0].n, 0);
  assert.equal((await adminPost(`/agent/admin/cles-api/${row.id}/revoquer`, {})).status, 303);
  assert.equal((await post('json', { ...CITIZEN, api_key: key })).status, 403);
  assert.equal((await post('json', { ...CITIZEN, api_key: apiKey })).status, 201, 'other keys still work');
  const page = await (await fetch(`${w.url}/agent/admin/cles-api`, { headers: { cookie: admin } })).text();
  assert.match(page, /Application à révoquer<\/th>[\s\S]*?Révoquée/);
  assert.ok(!page.includes(key), 'the key is never shown again');
});

test('posts are limited per key and hour (OPEN311_LIMIT_PER_HOUR), with Retry-After and the spec\'s errors', async () => {
  const limited = await startWorker({ vars: { OPEN311_LIMIT_PER_HOUR: '2', SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  try {
    const cookie = await signIn(limited, 'admin@milie.local');
    const newKey = async (name) => {
      const { html } = await adminForm(limited, cookie, '/agent/admin/cles-api', { nom: name });
      return html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
    };
    const [first, second] = [await newKey('Premier'), await newKey('Second')];
    const send = (key) => fetch(`${limited.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...CITIZEN, api_key: key }) });
    assert.equal((await send(first)).status, 201);
    assert.equal((await send(first)).status, 201);
    const over = await send(first);
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    assertErrors(await over.json(), 429);
    assert.equal((await send(second)).status, 201, 'another key has its own allowance');
  } finally {
    await limited.stop();
  }
});
