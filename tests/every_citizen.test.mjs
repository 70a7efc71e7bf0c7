// Every citizen, with or without email (#16): a mobile or an email on every path, tracking by code
// + mobile with a one-time code by SMS, places with coordinates, Open311 as FixMyStreet posts it.
// Real local worker, queue and dev inbox; SQL only to inspect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sameHour } from './support/clock.mjs';
import { startWorker, sql } from './support/worker.mjs';
import { VALID, apiSubmit, openForm, postForm, confirmationCode, fieldError } from './support/forms.mjs';
import { jar, csrfOf } from './support/tracking.mjs';
import { signIn, adminForm, exportCsv, importCsv, confirmImport } from './support/agent.mjs';
import { parseXml, child } from './support/xml.mjs';
import { eventually } from './support/eventually.mjs';

let w;
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', TRACK_FAILURES_PER_HOUR: '50', SIGN_IN_LIMIT_PER_HOUR: '1000' } });
});
after(async () => { await w?.stop(); });

const smsTo = (e164) => w.inbox.state.sms.filter((s) => s.to === e164);
const mailsTo = (address) => w.inbox.state.mails.filter((m) => m.to.includes(address));
const outbox = async (code) => sql(w.dir, `SELECT channel, recipient, template FROM outbox WHERE request_id = (SELECT id FROM requests WHERE code = '${code}') ORDER BY id`);
const trackApi = async (body) => {
  const res = await fetch(`${w.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'fr' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
};
/** The newest one-time code the inbox received for a number. */
const otpFor = async (e164, after = 0) => {
  const sms = await eventually(() => smsTo(e164).filter((s) => /code pour suivre/.test(s.text)).slice(after)[0], { what: `an SMS code to ${e164}` });
  assert.ok(sms.text.length <= 160, sms.text);
  return sms.text.match(/^Milie : (\d{6}) est votre code pour suivre la requete (\d{8})\./).slice(1);
};

test('phone-only by the JSON API: 201, one SMS with the code and a signed link, no mail; neither → 422 naming both', async () => {
  const phone = '+2250102030405';
  // No country either: the number's own (Ivorian here), as a partner sending only a number expects.
  const res = await apiSubmit(w.url, { ...VALID, organisme: '3', email: '', pays: '', telephone: '01 02 03 04 05' });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  const code = res.json.code;
  const sms = await eventually(() => smsTo(phone).find((s) => s.text.includes(code)), { what: 'the confirmation SMS' });
  assert.match(sms.text, new RegExp(`^Milie : votre réclamation est enregistrée sous le numéro ${code}\\. Suivi : http://localhost:8787/suivi/${code}\\?t=[\\w-]{27}$`));
  assert.ok(sms.text.length <= 160);
  assert.deepEqual((await outbox(code)).filter((o) => o.template === 'request_registered').map((o) => o.channel), ['sms']);
  const stored = (await sql(w.dir, `SELECT phone, email, country FROM requests WHERE code = '${code}'`))[0];
  assert.deepEqual(stored, { phone, email: '', country: 'CI' });
  // The signed link of the SMS opens the request (signed with the mobile: there is no email).
  const link = sms.text.match(/(http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+))/)[2];
  const page = await fetch(w.url + link, { headers: { 'accept-language': 'fr' }, redirect: 'manual' });
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(`data-label="Code">${code}<`));

  const neither = await apiSubmit(w.url, { ...VALID, organisme: '3', email: '', telephone: '' });
  assert.equal(neither.status, 422);
  assert.ok(neither.json.errors.telephone && neither.json.errors.email, JSON.stringify(neither.json));
  assert.match(neither.json.errors.email, /numéro de téléphone portable ou une adresse électronique/);
  // An email alone is enough too; no SMS then.
  const byMail = await apiSubmit(w.url, { ...VALID, organisme: '3', telephone: '', pays: '', email: 'sans.telephone@example.ci' });
  assert.equal(byMail.status, 201, JSON.stringify(byMail.json));
  await eventually(() => mailsTo('sans.telephone@example.ci').length === 1, { what: 'the confirmation mail' });
  assert.deepEqual((await outbox(byMail.json.code)).filter((o) => o.template === 'request_registered').map((o) => o.channel), ['email']);
});

test('phone-only by the web form: the confirmation names the SMS; neither is said next to both fields, input kept', async () => {
  const form = await openForm(w.url, { organisme: 2 });
  assert.match(form.html, /id="contact-either"/);
  assert.doesNotMatch(form.html, /id="email"[^>]*required/);
  const neither = await postForm(w.url, form, { ...VALID, email: '', telephone: '', action: 'soumettre' });
  assert.equal(neither.status, 422);
  assert.match(fieldError(neither.html, 'telephone'), /au moins l'un des deux/);
  assert.match(fieldError(neither.html, 'email'), /au moins l'un des deux/);
  assert.match(neither.html, /Le guichet de l&#39;état civil/, 'the message is kept');
  const again = await openForm(w.url, { organisme: 2 });
  const res = await postForm(w.url, again, { ...VALID, email: '', telephone: '05 06 07 08 09', action: 'soumettre' });
  assert.equal(res.status, 303, res.html.slice(0, 500));
  const { html, code } = await confirmationCode(w.url, res);
  assert.match(html, /Un SMS avec ce numéro et un lien de suivi est envoyé au \+2250506070809/);
  assert.doesNotMatch(html, /Un message de confirmation avec ce numéro est envoyé à/);
  await eventually(() => smsTo('+2250506070809').find((s) => s.text.includes(code)), { what: 'the SMS' });
});

test('tracking by code + mobile in the API: 202 either way, a 6-digit SMS code, then the same JSON as by email', async () => {
  const phone = '+2250708091011';
  const { json: { code } } = await apiSubmit(w.url, { ...VALID, organisme: '4', email: '', telephone: '07 08 09 10 11' });
  const other = code === '99999999' ? '99999998' : '99999999';
  const unknown = await trackApi({ code: other, telephone: '07 08 09 10 11' });
  const known = await trackApi({ code, telephone: '07 08 09 10 11' });
  assert.deepEqual([unknown.status, known.status], [202, 202]);
  assert.deepEqual(unknown.json, known.json, 'the same answer whether or not the pair exists');
  assert.equal(known.json.sent, true);
  const [otp, forCode] = await otpFor(phone);
  assert.equal(forCode, code);
  // Never stored in plaintext: the table holds a keyed digest, the outbox a reference.
  const stored = await sql(w.dir, `SELECT o.digest, x.payload FROM tracking_otps o JOIN outbox x ON x.idempotency_key = 'tracking_code:' || o.reference`);
  assert.ok(stored.length >= 1);
  for (const s of stored) assert.ok(!s.digest.includes(otp) && !s.payload.includes(otp));
  assert.equal(smsTo(phone).filter((s) => /code pour suivre/.test(s.text)).length, 1, 'no SMS for the unknown code');

  const opened = await trackApi({ code, telephone: '+225 07 08 09 10 11', otp });
  assert.equal(opened.status, 200, JSON.stringify(opened.json));
  assert.equal(opened.json.code, code);
  assert.equal(opened.json.stage, 'awaiting_triage');
  assert.ok(Array.isArray(opened.json.history) && opened.json.history.length >= 1);
  // Used once.
  const reused = await trackApi({ code, telephone: '0708091011', otp });
  assert.equal(reused.status, 404);
  const malformed = await trackApi({ code, telephone: '0708091011', otp: '12a' });
  assert.equal(malformed.status, 422);
  assert.ok(malformed.json.errors.otp);
});

test('five wrong one-time codes void the code; wrong, expired and reused get the same refusal', async () => {
  const phone = '+2250544332211';
  const { json: { code } } = await apiSubmit(w.url, { ...VALID, organisme: '4', email: '', telephone: '05 44 33 22 11' });
  await trackApi({ code, telephone: phone });
  const [otp] = await otpFor(phone);
  const wrong = otp === '000000' ? '111111' : '000000';
  const refusals = [];
  for (let i = 0; i < 5; i++) refusals.push(await trackApi({ code, telephone: phone, otp: wrong }));
  assert.ok(refusals.every((r) => r.status === 404));
  const afterFive = await trackApi({ code, telephone: phone, otp });
  assert.equal(afterFive.status, 404, 'the right code no longer opens after five wrong tries');
  assert.deepEqual(afterFive.json, refusals[0].json, 'one refusal for all');
  // A code past its ten minutes: refused the same way (the clock is set through SQL).
  await trackApi({ code, telephone: phone });
  const [fresh] = await otpFor(phone, 1);
  await sql(w.dir, `UPDATE tracking_otps SET expires_at = 0 WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`);
  const expired = await trackApi({ code, telephone: phone, otp: fresh });
  assert.equal(expired.status, 404);
  assert.deepEqual(expired.json, refusals[0].json);
});

test('tracking by code + mobile in the browser path: the form asks for the SMS code, then opens the session', async () => {
  const phone = '+2250112131415';
  const { json: { code } } = await apiSubmit(w.url, { ...VALID, organisme: '4', email: '', telephone: '01 12 13 14 15' });
  const page = await fetch(`${w.url}/suivi`, { headers: { 'accept-language': 'fr' } });
  let cookie = jar('', page);
  const html = await page.text();
  assert.match(html, /Ou numéro de portable utilisé/);
  const post = async (fields) => {
    const res = await fetch(`${w.url}/suivi`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie, origin: w.url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrfOf(html), ...fields }),
    });
    cookie = jar(cookie, res);
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  };
  const asked = await post({ code, email: '', telephone: '01 12 13 14 15' });
  assert.equal(asked.status, 200);
  assert.match(asked.html, /autocomplete="one-time-code"/);
  assert.match(asked.html, /un SMS avec un code de vérification à 6 chiffres/);
  const [otp] = await otpFor(phone);
  const bad = await post({ code, telephone: phone, otp: otp === '000000' ? '111111' : '000000' });
  assert.equal(bad.status, 422);
  assert.match(bad.html, /incorrect, a expiré ou a déjà servi/);
  const ok = await post({ code, telephone: phone, otp });
  assert.equal(ok.status, 303);
  assert.equal(ok.location, `/suivi/${code}`);
  const opened = await fetch(`${w.url}/suivi/${code}`, { headers: { cookie, 'accept-language': 'fr' } });
  assert.match(await opened.text(), new RegExp(`data-label="Code">${code}<`));
});

test('«Code oublié ?» by SMS lists the number\'s codes; the answer is the same for an unknown number', async () => {
  const phone = '+2250799887766';
  const codes = [];
  for (let i = 0; i < 2; i++) codes.push((await apiSubmit(w.url, { ...VALID, organisme: '4', email: '', telephone: '07 99 88 77 66' })).json.code);
  const ask = async (telephone) => {
    const page = await fetch(`${w.url}/suivi/oubli`, { headers: { 'accept-language': 'fr' } });
    const cookie = jar('', page);
    const res = await fetch(`${w.url}/suivi/oubli`, {
      method: 'POST', headers: { cookie, origin: w.url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrfOf(await page.text()), email: '', telephone }),
    });
    return { status: res.status, html: (await res.text()).replace(/name="csrf" value="[^"]*"/g, '') };
  };
  const known = await ask('07 99 88 77 66');
  const unknown = await ask('07 99 88 77 00');
  assert.equal(known.status, 200);
  assert.equal(known.html, unknown.html);
  assert.match(known.html, /un SMS listant leurs codes/);
  const sms = await eventually(() => smsTo(phone).find((s) => /codes de vos requetes/.test(s.text)), { what: 'the list by SMS' });
  for (const code of codes) assert.ok(sms.text.includes(code), sms.text);
  assert.ok(sms.text.length <= 160);
  assert.equal(smsTo('+2250799887700').length, 0);
});

test('places: communes, sous-préfectures and the towns and villages of GeoNames, each with its parents and coordinates; found by name and by position', async () => {
  const { count, localites } = await (await fetch(`${w.url}/api/v1/localites`)).json();
  assert.equal(count, localites.length);
  assert.ok(count >= 5600, `${count} places`);
  const located = localites.filter((p) => typeof p.lat === 'number' && typeof p.lon === 'number');
  for (const p of located) assert.ok(p.lat > 4 && p.lat < 11 && p.lon > -9 && p.lon < -2, p.name);
  for (const p of localites) assert.ok(p.region && p.district, p.name);
  // Every place one can choose has coordinates now (the Abidjan communes from abidjan_communes.csv).
  assert.deepEqual(localites.filter((p) => !located.includes(p)).map((p) => p.name), []);
  assert.deepEqual([...new Set(localites.map((p) => p.type))].sort(), ['commune', 'localite', 'sous_prefecture']);
  const village = localites.find((p) => p.name === 'Zyogouiné');
  assert.deepEqual([village.type, village.sous_prefecture, village.district, village.lat, village.lon], ['localite', 'Ziogouiné', 'Montagnes', 7.19246, -7.64056]);
  const bouake = localites.find((p) => p.name === 'Bouaké' && p.type === 'commune');
  assert.deepEqual([bouake.type, bouake.departement, bouake.region, bouake.district], ['commune', 'Bouaké', 'Gbêkê', 'Vallée du Bandama']);

  // Found by typing, accents aside: what the form's picker asks while one types.
  const typed = await (await fetch(`${w.url}/api/v1/localites?q=ZYOGOUINE`)).json();
  assert.deepEqual(typed.localites.map((p) => p.name), ['Zyogouiné']);
  const some = await (await fetch(`${w.url}/api/v1/localites?q=kro&type=localite&limite=20`)).json();
  assert.equal(some.count, 20);
  assert.ok(some.localites.every((p) => p.type === 'localite' && /kro/i.test(p.name.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))));
  const first = (await (await fetch(`${w.url}/api/v1/localites?q=bou`)).json()).localites;
  const starts = first.map((p) => p.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().startsWith('bou'));
  assert.ok(starts.indexOf(false) === -1 || !starts.slice(starts.indexOf(false)).includes(true), 'names that start with it come first');
  for (const bad of ['limite=0', 'limite=501', 'limite=x', 'limite=', 'type=ville', 'type=', `q=${'a'.repeat(101)}`]) {
    const res = await fetch(`${w.url}/api/v1/localites?${bad}`);
    assert.equal(res.status, 400, bad);
    assert.ok((await res.json()).error, bad);
  }

  // The nearest place: a commune at its own point, a village at its own.
  const near = await (await fetch(`${w.url}/api/v1/localites/proche?lat=7.69385&lon=-5.03031`)).json();
  assert.equal(near.localite.name, 'Bouaké');
  const nearVillage = await (await fetch(`${w.url}/api/v1/localites/proche?lat=7.1925&lon=-7.6405`)).json();
  assert.deepEqual([nearVillage.localite.name, nearVillage.localite.type, nearVillage.etranger], ['Zyogouiné', 'localite', false]);
  assert.ok(nearVillage.distance_km < 0.1);
  const paris = await fetch(`${w.url}/api/v1/localites/proche?lat=48.85&lon=2.35`);
  assert.match(paris.headers.get('cache-control'), /no-store/);
  assert.deepEqual(await paris.json(), { localite: null, etranger: true });
  assert.equal((await fetch(`${w.url}/api/v1/localites/proche?lat=abc&lon=1`)).status, 422);
  // Near the border the border decides (the seeded ring), not the distance to the nearest village:
  // Elubo, Ghana, 1.3 km across it, is abroad; Noé, 2 km on this side, is in the country.
  assert.deepEqual(await (await fetch(`${w.url}/api/v1/localites/proche?lat=5.2833&lon=-2.7667`)).json(), { localite: null, etranger: true });
  const noe = await (await fetch(`${w.url}/api/v1/localites/proche?lat=5.2667&lon=-2.8`)).json();
  assert.equal(noe.etranger, false);
  assert.ok(noe.localite && noe.distance_km < 10, JSON.stringify(noe));

  // A request about a village, through the API: kept with that place, named on the staff's page.
  const created = await apiSubmit(w.url, { ...VALID, organisme: '3', localite: String(village.id), email: '', pays: '', telephone: '07 08 09 10 11' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const { code } = created.json;
  assert.deepEqual(await sql(w.dir, `SELECT p.name FROM requests r JOIN places p ON p.id = r.place_id WHERE r.code = '${code}'`), [{ name: 'Zyogouiné' }]);
  // The form may ask for the position; other pages may not.
  const form = await fetch(`${w.url}/requete/nouvelle?nature=reclamation&organisme=2`);
  assert.match(form.headers.get('permissions-policy'), /geolocation=\(self\)/);
  assert.match((await fetch(`${w.url}/suivi`)).headers.get('permissions-policy'), /geolocation=\(\)/);
});

test('without JavaScript, «Chercher» finds a village on the server: the list gains it, everything typed stays, then it is chosen', async () => {
  const form = await openForm(w.url, { organisme: 2 });
  assert.match(form.html, /<label for="localite-filtre">Chercher une ville ou un village<\/label>/);
  assert.doesNotMatch(form.html, /Zyogouiné/, 'the villages are not in the page');
  const searched = await postForm(w.url, form, { ...VALID, action: 'verifier', lieu_recherche: ' ZYOGOU ', chercher_lieu: '1' });
  assert.equal(searched.status, 200);
  assert.match(searched.html, /id="localite-trouvees">Villes et villages trouvés, ajoutés à la liste : 1\.</);
  const [, id] = searched.html.match(/<optgroup label="Villes et villages"><option value="(\d+)">Zyogouiné \(Ziogouiné\)<\/option><\/optgroup>/);
  assert.match(searched.html, /value="ZYOGOU"/, 'the search is kept');
  assert.match(searched.html, /Le guichet de l&#39;état civil/, 'the message is kept');
  assert.doesNotMatch(searched.html, /class="field invalid"/, 'nothing is checked yet');
  const none = await postForm(w.url, form, { ...VALID, action: 'verifier', lieu_recherche: 'xqzw', chercher_lieu: '1' });
  assert.match(none.html, /Aucune ville ni aucun village de ce nom/);
  // Chosen: the review names it, and the form shown again keeps it selected.
  const review = await postForm(w.url, form, { ...VALID, action: 'verifier', localite: id });
  assert.equal(review.status, 200);
  assert.match(review.html, /Zyogouiné \(Ziogouiné\)/);
  const back = await postForm(w.url, form, { ...VALID, action: 'retour', localite: id });
  assert.match(back.html, new RegExp(`<option value="${id}" selected>Zyogouiné \\(Ziogouiné\\)</option>`));
  // Enter pressed in another field with the search box empty: the form goes on to its review.
  const enter = await postForm(w.url, form, { ...VALID, action: 'verifier', lieu_recherche: '', chercher_lieu: '1' });
  assert.equal(enter.status, 200);
  assert.doesNotMatch(enter.html, /id="localite-filtre"/, 'the review page');
});

test('Open311 exactly as FixMyStreet posts it: form-urlencoded XML, email only, lat/long → the nearest place, read back its way', async () => {
  const admin = await w.signIn('admin');
  const { status, html } = await adminForm(w, admin, '/agent/admin/cles-api', { nom: 'FixMyStreet Côte d\'Ivoire' });
  assert.equal(status, 303);
  const apiKey = html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
  const discovery = await (await fetch(`${w.url}/open311/v2/discovery.json`)).json();
  const jurisdiction = discovery.jurisdictions.find((j) => /Construction/.test(j.name)) ?? discovery.jurisdictions[0];
  const services = await (await fetch(`${w.url}/open311/v2/services.json?jurisdiction_id=${jurisdiction.jurisdiction_id}`)).json();
  assert.ok(services.length >= 1 && services.every((s) => s.jurisdiction_id === jurisdiction.jurisdiction_id));
  const all = await (await fetch(`${w.url}/open311/v2/services.json`)).json();
  assert.equal(new Set(all.map((s) => s.service_name)).size, all.length, 'service_name is unique across the endpoint');
  assert.equal((await fetch(`${w.url}/open311/v2/services.json?jurisdiction_id=nulle-part`)).status, 404);

  // perllib/Open311.pm, _populate_service_request_params + _request: these keys, no phone,
  // coordinates truncated to 6 decimals, jurisdiction_id and api_key added to the POST.
  const params = {
    email: 'kofi.mensah@example.org', description: 'Nid de poule\n\nUn trou profond au carrefour.\n\nhttps://fixmystreet.example/report/42\n',
    service_code: services[0].service_code, first_name: 'Kofi', last_name: 'Mensah',
    lat: '7.693850', long: '-5.030310', jurisdiction_id: jurisdiction.jurisdiction_id, api_key: apiKey,
  };
  const res = await fetch(`${w.url}/open311/v2/requests.xml`, { method: 'POST', body: new URLSearchParams(params) });
  assert.equal(res.status, 201, await res.clone().text());
  // Read the way Open311.pm does: service_requests → request → service_request_id.
  const created = parseXml(await res.text());
  assert.equal(created.name, 'service_requests');
  const id = child(child(created, 'request'), 'service_request_id').text;
  assert.match(id, /^[0-9a-f]{16}$/);
  const stored = (await sql(w.dir, `SELECT r.lat, r.lon, r.email, r.phone, p.name AS place FROM requests r LEFT JOIN places p ON p.id = r.place_id WHERE r.public_id = '${id}'`))[0];
  assert.deepEqual(stored, { lat: 7.69385, lon: -5.03031, email: 'kofi.mensah@example.org', phone: '', place: 'Bouaké' });
  await eventually(() => mailsTo('kofi.mensah@example.org').length === 1, { what: 'the confirmation mail' });
  // Staff see what the partner sent, with a map link; the public list shows only the place.
  const code = (await sql(w.dir, `SELECT code FROM requests WHERE public_id = '${id}'`))[0].code;
  const staffPage = await (await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: admin, 'accept-language': 'fr' } })).text();
  assert.match(staffPage, /id="lieu-transmis">7\.69385, -5\.03031 \(<a href="https:\/\/www\.openstreetmap\.org\/\?mlat=7\.69385&#38;mlon=-5\.03031/);
  assert.match(staffPage, /id="lieu">Bouaké</);

  // get_service_requests: report_ids joined by commas, jurisdiction_id added.
  const listed = parseXml(await (await fetch(`${w.url}/open311/v2/requests.xml?service_request_id=${id}&jurisdiction_id=${jurisdiction.jurisdiction_id}`)).text());
  const request = child(listed, 'request');
  assert.equal(child(request, 'service_request_id').text, id);
  assert.equal(child(request, 'address').text, 'Bouaké');
  assert.ok(Math.abs(Number(child(request, 'lat').text) - 7.69385) < 1e-4);
  assert.ok(Math.abs(Number(child(request, 'long').text) + 5.03031) < 1e-4);

  // An unknown attribute[lieu] is refused, never dropped; an address names a place; abroad keeps none.
  const lieu = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...params, lat: '', long: '', 'attribute[lieu]': 'Atlantide' }) });
  assert.equal(lieu.status, 400);
  assert.match((await lieu.json())[0].description, /attribute\[lieu\]/);
  // By name: the commune before a village of the same name elsewhere (GeoNames has a village
  // Katiola in the Denguélé too); a village's name, the village.
  for (const [name, kind] of [['Katiola', 'commune'], ['Zyogouiné', 'localite']]) {
    const named = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...params, lat: '', long: '', 'attribute[lieu]': name }) });
    assert.equal(named.status, 201, name);
    const namedId = (await named.json())[0].service_request_id;
    assert.deepEqual(await sql(w.dir, `SELECT p.name, p.kind FROM requests r JOIN places p ON p.id = r.place_id WHERE r.public_id = '${namedId}'`), [{ name, kind }]);
  }
  const byAddress = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...params, lat: '', long: '', address_string: 'Rue 12, quartier Commerce, Korhogo' }) });
  assert.equal(byAddress.status, 201);
  const addressId = (await byAddress.json())[0].service_request_id;
  assert.equal((await sql(w.dir, `SELECT p.name, r.address FROM requests r JOIN places p ON p.id = r.place_id WHERE r.public_id = '${addressId}'`))[0].name, 'Korhogo');
  const abroad = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...params, lat: '48.8566', long: '2.3522' }) });
  assert.equal(abroad.status, 201);
  const abroadId = (await abroad.json())[0].service_request_id;
  assert.deepEqual((await sql(w.dir, `SELECT place_id, lat FROM requests WHERE public_id = '${abroadId}'`))[0], { place_id: null, lat: 48.8566 });
  // Just across the border (Elubo, Ghana): no Ivorian village for it either.
  const acrossBorder = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...params, lat: '5.2833', long: '-2.7667' }) });
  assert.equal(acrossBorder.status, 201);
  const acrossId = (await acrossBorder.json())[0].service_request_id;
  assert.deepEqual((await sql(w.dir, `SELECT place_id, lat FROM requests WHERE public_id = '${acrossId}'`))[0], { place_id: null, lat: 5.2833 });
  const wrongJurisdiction = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ ...params, jurisdiction_id: discovery.jurisdictions.find((j) => j.jurisdiction_id !== jurisdiction.jurisdiction_id).jurisdiction_id }) });
  assert.equal(wrongJurisdiction.status, 404, 'the service is unknown in that jurisdiction');

  // A poll of more than a thousand ids is answered in full (unknown ids simply are not listed):
  // posted as a form, since a GET carries at most 800 (open311_sync.test.mjs).
  const many = Array.from({ length: 1500 }, (_, i) => i.toString(16).padStart(16, '0'));
  many.push(id, addressId);
  const poll = await fetch(`${w.url}/open311/v2/requests.json`, { method: 'POST', body: new URLSearchParams({ service_request_id: many.join(',') }) });
  assert.equal(poll.status, 200);
  assert.deepEqual((await poll.json()).map((r) => r.service_request_id).sort(), [id, addressId].sort());
});

test('tracking by mobile is counted per number from one address, and a number gets at most 5 codes an hour', async () => {
  await sameHour();
  // 50 lookups per number from one client address (TRACK_FAILURES_PER_HOUR here): the 51st is refused.
  const other = '99999999';
  let last;
  for (let i = 0; i < 51; i++) last = await trackApi({ code: other, telephone: '07 33 33 33 33' });
  assert.equal(last.status, 429);
  assert.ok(last.json.retry_after_minutes >= 1);
  // Six asks for a real pair: five SMS codes, never a sixth within the hour — and no sixth code
  // stored either (a code nobody receives is nothing to guess).
  const phone = '+2250744444444';
  const { json: { code } } = await apiSubmit(w.url, { ...VALID, organisme: '4', email: '', telephone: '07 44 44 44 44' });
  const handled = () => (w.output.match(/tracking code request handled/g) ?? []).length;
  const already = handled();
  for (let i = 0; i < 6; i++) assert.equal((await trackApi({ code, telephone: phone })).status, 202);
  await eventually(() => handled() >= already + 6, { what: 'six code requests handled (their log lines)', worker: w });
  assert.equal((await sql(w.dir, `SELECT count(*) AS n FROM tracking_otps WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`))[0].n, 5, 'five codes recorded');
  await eventually(() => smsTo(phone).filter((s) => /code pour suivre/.test(s.text)).length === 5, { what: 'five code SMS' });
  await w.settled();
  assert.equal(smsTo(phone).filter((s) => /code pour suivre/.test(s.text)).length, 5);
});

test('Open311 with a phone and no email: 201, the SMS with the code, no mail; places imported with their coordinates', async () => {
  const admin = await w.signIn('admin');
  const { html } = await adminForm(w, admin, '/agent/admin/cles-api', { nom: 'Application mobile' });
  const apiKey = html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
  const res = await fetch(`${w.url}/open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({ api_key: apiKey, service_code: '5-0', description: 'Le pont de la rivière est effondré depuis la crue.', first_name: 'Awa', last_name: 'Traoré', phone: '07 55 66 77 88' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const id = (await res.json())[0].service_request_id;
  const code = (await sql(w.dir, `SELECT code FROM requests WHERE public_id = '${id}'`))[0].code;
  await eventually(() => smsTo('+2250755667788').find((s) => s.text.includes(code)), { what: 'the SMS' });
  assert.deepEqual((await outbox(code)).filter((o) => o.template === 'request_registered').map((o) => o.channel), ['sms']);

  // Administration › Lieux: the export with a sous-préfecture's point moved, imported, previewed,
  // confirmed; then listed with it.
  const { csv } = await exportCsv(w, admin, 'lieux');
  const edited = csv.toString('utf8').replace(/^sous_prefecture,CI150201,Ahouanou,([^,]*),CI1502,[^,]*,[^,]*,\w+$/m, 'sous_prefecture,CI150201,Ahouanou,$1,CI1502,5.2167,-4.9667,centroid');
  assert.notEqual(edited, csv.toString('utf8'), 'Ahouanou\'s line');
  const imported = await importCsv(w, admin, 'lieux', edited);
  assert.equal(imported.status, 303, imported.html.slice(0, 300));
  assert.match(imported.html, /0 à ajouter, 1 à modifier, 0 à fermer/);
  const confirmed = await confirmImport(w, admin, imported.location);
  assert.equal(confirmed.status, 303, confirmed.html.slice(0, 300));
  const { localites } = await (await fetch(`${w.url}/api/v1/localites?type=sous_prefecture&q=ahouanou`)).json();
  const ahouanou = localites.find((p) => p.pcode === 'CI150201');
  assert.deepEqual([ahouanou.lat, ahouanou.lon, ahouanou.point, ahouanou.region], [5.2167, -4.9667, 'centroid', 'Grands-Ponts']);
  const bad = await importCsv(w, admin, 'lieux', 'type;nom;rattachement;latitude;longitude\ncommune;Nulle;Lagunes;95;1\n');
  assert.equal(bad.status, 422);
  assert.match(bad.html, /Ligne 2 : coordonnées illisibles/);
});
