// Citizen submission (guide part A) over HTTP against the real local runtime: D1, R2, outbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { r2Keys } from './support/r2.mjs';
import { PDF, JPEG, EXE, VALID, openForm, postForm, confirmationCode, apiSubmit, fieldError, unescape } from './support/forms.mjs';

let worker;
before(async () => { worker = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } }); });
after(async () => { await worker?.stop(); });

const page = async (path) => (await fetch(worker.url + path, { headers: { 'accept-language': 'fr' } })).text();

test('the path: nature, then a searchable choice of bodies, then the form for that body', async () => {
  const natures = await page('/requete/nouvelle');
  for (const n of ['reclamation', 'observation', 'suggestion']) assert.ok(natures.includes(`href="/requete/nouvelle?nature=${n}"`), n);

  const bodies = await page('/requete/nouvelle?nature=suggestion');
  assert.match(bodies, /Choix de l&#39;organisme public/);
  assert.match(bodies, /votre suggestion/);
  assert.equal([...bodies.matchAll(/class="body-link"/g)].length, 47);
  assert.match(bodies, /☎ 20212674/);
  const searched = await page('/requete/nouvelle?nature=suggestion&q=forets');
  assert.equal([...searched.matchAll(/class="body-link"/g)].length, 1);
  assert.match(searched, /href="\/requete\/nouvelle\?nature=suggestion&#38;organisme=8"/);

  const form = await openForm(worker.url, { nature: 'suggestion', organisme: 8 });
  assert.equal(form.status, 200);
  assert.match(form.cookie, /^__Host-csrf=[\w-]{22}$/);
  assert.match(form.formKey, /^[\w-]{22}$/);
  const html = form.html;
  assert.match(html, /Exprimez votre préoccupation/);
  assert.match(html, /Ministère des Eaux et Forêts/);
  for (const legend of ['Lieu concerné par votre préoccupation', 'Contenu de votre préoccupation', 'Vos coordonnées']) {
    assert.ok(html.includes(`<legend>${legend}</legend>`), legend);
  }
  assert.match(html, /<option value="suggestion" selected>Suggestion<\/option>/, 'nature preselected');
  assert.match(html, /<option value="CI" selected>Côte d&#39;Ivoire \(\+225\)<\/option>/, 'Côte d\'Ivoire preselected');
  assert.ok([...html.matchAll(/<option value="[A-Z]{2}"/g)].length > 2 * 200, 'every country, in both country lists');
  assert.match(html, /<optgroup label="Accueil"><option value="\d+">Accueil : Espace d&#39;accueil<\/option>/, 'general themes');
  // «Commune ou S/Préfecture», as in the guide: grouped by région and département, communes first.
  assert.match(html, /<label for="localite">Commune ou S\/Préfecture<\/label>/);
  assert.match(html, /<optgroup label="District autonome d&#39;Abidjan — Abidjan"><option value="\d+">Abobo<\/option>/);
  assert.match(html, /<optgroup label="Gbêkê — Bouaké"><option value="\d+">Bouaké<\/option><option value="\d+">Bouaké \(S\/P\)<\/option><option value="\d+">Bounda<\/option>/);
  assert.match(html, /<option value="etranger">À l&#39;étranger<\/option>/);
  const placeSelect = html.match(/<select id="localite"[\s\S]*?<\/select>/)[0];
  assert.equal([...placeSelect.matchAll(/<optgroup label="/g)].length, 108, 'the 108 départements, each under its région');
  assert.equal([...placeSelect.matchAll(/<option value="\d+"/g)].length, 120 + 508, 'the communes and sous-préfectures; never the villages');
  assert.match(html, /href="\/conditions-utilisation"/);
  const terms = await page('/conditions-utilisation');
  assert.match(terms, /J&#39;accepte également de mettre à la disposition de l&#39;administration/);
});

test('a body with its own themes offers those instead of the general list', async () => {
  await sql(worker.dir, `INSERT INTO themes (slug, body_id, category_fr, label_fr, category_en, label_en, position)
    VALUES ('permis', 7, 'Documents', 'Permis de port d''arme', 'Documents', 'Firearms licence', 1)`);
  const own = (await openForm(worker.url, { organisme: 7 })).html;
  assert.match(own, /Documents : Permis de port d&#39;arme/);
  assert.doesNotMatch(own, /Espace d&#39;accueil/);
  const api = await (await fetch(`${worker.url}/api/v1/themes?organisme=7`)).json();
  assert.deepEqual(api.themes.map((t) => t.label), ["Permis de port d'arme"]);
  // A general theme is refused for that body, even if posted by hand.
  const general = (await sql(worker.dir, "SELECT id FROM themes WHERE slug = 'autre' AND body_id IS NULL"))[0].id;
  const res = await apiSubmit(worker.url, { ...VALID, organisme: '7', theme: String(general) });
  assert.equal(res.status, 422);
  assert.equal(res.json.errors.theme, 'Choisissez un thème dans la liste.');
});

test('an empty form names every required field, next to it and in the summary', async () => {
  const form = await openForm(worker.url);
  const res = await postForm(worker.url, form, { nature: 'reclamation', pays: 'CI', action: 'verifier' });
  assert.equal(res.status, 422);
  const expected = {
    message: 'Saisissez votre message, ou joignez un message vocal.',
    // Either one will do, so the refusal is said on both.
    telephone: "Indiquez un numéro de téléphone portable ou une adresse électronique (au moins l'un des deux) : c'est par là que vous recevrez votre code.",
    email: "Indiquez un numéro de téléphone portable ou une adresse électronique (au moins l'un des deux) : c'est par là que vous recevrez votre code.",
    conditions: "Vous devez accepter les conditions d'utilisation pour soumettre votre requête.",
  };
  for (const [field, message] of Object.entries(expected)) {
    assert.equal(fieldError(res.html, field), message, field);
    assert.ok(unescape(res.html).includes(`<li><a href="#${field}">${message}</a></li>`), `summary links to ${field}`);
    assert.match(res.html, new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error`), `${field} described by its error`);
  }
  assert.equal(await countRequests(), await countRequests(), 'nothing written');
});

test('each invalid field gets its own message and the input is kept', async () => {
  const form = await openForm(worker.url);
  const cases = [
    [{ telephone: '07 12 34 56' }, 'telephone', 'Depuis 2021, les numéros ivoiriens ont 10 chiffres : ajoutez 01, 05 ou 07 devant votre ancien numéro.'],
    [{ telephone: '27 20 21 26 74' }, 'telephone', "Ce numéro n'est pas un numéro de téléphone portable : saisissez un numéro de portable."],
    [{ telephone: '07 07 12 34 5' }, 'telephone', 'Le numéro de portable doit comporter 10 chiffres.'],
    [{ pays: 'FR', telephone: '+225 07 07 12 34 56' }, 'telephone', "Ce numéro commence par l'indicatif d'un autre pays que celui choisi : vérifiez le pays."],
    [{ email: 'aya.kouassi@' }, 'email', 'Saisissez une adresse électronique valide, par exemple nom@exemple.ci.'],
    [{ message: 'Trop bref' }, 'message', 'Votre message doit comporter au moins 10 caractères.'],
    [{ message: 'x'.repeat(4001) }, 'message', 'Votre message ne doit pas dépasser 4000 caractères.'],
    [{ nature: 'plainte' }, 'nature', 'Choisissez la nature de votre requête : réclamation, observation ou suggestion.'],
    [{ theme: '99999' }, 'theme', 'Choisissez un thème dans la liste.'],
    [{ localite: '1' }, 'localite', 'Choisissez une commune, une ville ou un village dans la liste.'],
    [{ localite: 'etranger' }, 'etranger_pays', 'Indiquez le pays où vous vous trouvez.'],
    [{ pays: 'ZZ' }, 'pays', 'Choisissez votre pays dans la liste.'],
    [{ nom: 'N'.repeat(101) }, 'nom', 'Le nom ne doit pas dépasser 100 caractères.'],
  ];
  const before = await countRequests();
  for (const [change, field, message] of cases) {
    const res = await postForm(worker.url, form, { ...VALID, ...change, action: 'soumettre' });
    assert.equal(res.status, 422, JSON.stringify(change));
    assert.equal(fieldError(res.html, field), message, JSON.stringify(change));
    const errors = [...res.html.matchAll(/class="field-error" id="([^"]+)-error"/g)].map((m) => m[1]);
    assert.deepEqual(errors, [field], `only ${field} is flagged for ${JSON.stringify(change)}`);
    // The citizen's input comes back in the form.
    assert.ok(unescape(res.html).includes(`value="${VALID.email}"`) || field === 'email');
    assert.ok(unescape(res.html).includes(`>${change.message ?? VALID.message}</textarea>`), 'message kept');
  }
  assert.equal(await countRequests(), before, 'no request written');
});

test('attachments are judged by content and size, and refused files are named', async () => {
  const form = await openForm(worker.url);
  const keysBefore = await r2Keys(worker.dir);
  const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 + 1 - PDF.length, 32)]);
  const res = await postForm(worker.url, form, { ...VALID, action: 'soumettre' },
    [['facture.pdf', EXE], ['gros.pdf', big], ['vide.pdf', Buffer.alloc(0)], ['photo.pdf', JPEG]]);
  assert.equal(res.status, 422);
  const message = fieldError(res.html, 'pieces');
  assert.match(message, /Le fichier « facture\.pdf » n'est ni un document PDF ni une image/);
  assert.match(message, /Le fichier « gros\.pdf » dépasse 5 Mo\./);
  assert.match(message, /Le fichier « vide\.pdf » est vide\./);
  assert.match(message, /Le contenu du fichier « photo\.pdf » ne correspond pas à son extension\./);
  assert.deepEqual(await r2Keys(worker.dir), keysBefore, 'nothing refused reaches R2');

  // Exactly 5 MB is fine; files that passed are kept while another field is corrected.
  const five = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 - PDF.length, 32)]);
  const partial = await postForm(worker.url, form, { ...VALID, email: '', telephone: '', action: 'soumettre' }, [['cinq.pdf', five], ['photo.jpg', JPEG]]);
  assert.equal(partial.status, 422);
  assert.match(partial.html, /cinq\.pdf \(5,0 Mo\)/);
  assert.match(partial.html, /photo\.jpg \(1 Ko\)/);
  const staged = await sql(worker.dir, `SELECT file_name, kind, size, r2_key FROM attachments WHERE form_key = '${form.formKey}' ORDER BY id`);
  assert.deepEqual(staged.map((a) => [a.file_name, a.kind, a.size]), [['cinq.pdf', 'pdf', 5 * 1024 * 1024], ['photo.jpg', 'jpeg', JPEG.length]]);
  for (const a of staged) {
    assert.match(a.r2_key, /^attachments\/[\w-]{32}$/, 'random key, not the file name');
    assert.ok((await r2Keys(worker.dir)).includes(a.r2_key));
  }

  // Corrected: the request takes the kept files; a removed one is deleted from R2 too.
  const photoId = partial.html.match(/name="retirer" value="(\d+)"/g)[1].match(/\d+/)[0];
  const done = await postForm(worker.url, form, { ...VALID, retirer: photoId, action: 'soumettre' });
  assert.equal(done.status, 303);
  const { code } = await confirmationCode(worker.url, done);
  const rows = await sql(worker.dir, `SELECT a.file_name, a.r2_key FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.code = '${code}'`);
  assert.deepEqual(rows.map((r) => r.file_name), ['cinq.pdf']);
  assert.ok(!(await r2Keys(worker.dir)).includes(staged[1].r2_key), 'removed file deleted from R2');
});

test('a valid submission is one request, its files, its history and its notifications, and a code', async () => {
  const form = await openForm(worker.url, { organisme: 5 });
  const place = form.html.match(/<option value="(\d+)">Cocody<\/option>/)[1];
  const theme = form.html.match(/<option value="(\d+)">Accueil : Espace d&#39;accueil<\/option>/)[1];
  const review = await postForm(worker.url, form, { ...VALID, localite: place, theme, action: 'verifier' }, [['scan.pdf', PDF]]);
  assert.equal(review.status, 200);
  assert.match(review.html, /Vérifiez votre requête/);
  assert.match(review.html, /Cocody \(District autonome d&#39;Abidjan — Abidjan\)/);
  assert.match(review.html, /Accueil : Espace d&#39;accueil/);
  assert.match(review.html, /scan\.pdf/);
  assert.match(review.html, /name="action" value="retour"/);
  const done = await postForm(worker.url, form, { ...VALID, localite: place, theme, action: 'soumettre' });
  assert.equal(done.status, 303);
  assert.match(done.location, /^\/requete\/enregistree\?f=[\w-]{22}$/);
  const { html, code } = await confirmationCode(worker.url, done);
  assert.match(code, /^[1-9]\d{7}$/);
  assert.match(html, /Votre Réclamation a bien été enregistrée\./);
  assert.match(html, /Le numéro de la demande est <strong class="code" id="request-code">\d{8}<\/strong>/);
  assert.match(html, /href="\/suivi"/);

  const [request] = await sql(worker.dir, `SELECT * FROM requests WHERE code = '${code}'`);
  assert.equal(request.body_id, 5);
  assert.equal(request.nature, 'reclamation');
  assert.equal(request.place_id, Number(place));
  assert.equal(request.theme_id, Number(theme));
  assert.equal(request.phone, '+2250707123456');
  assert.equal(request.email, 'aya.kouassi@example.ci');
  assert.equal(request.channel, 'web');
  assert.equal(request.stage, 'awaiting_triage');
  assert.equal(request.message, VALID.message);
  const files = await sql(worker.dir, `SELECT file_name, r2_key FROM attachments WHERE request_id = ${request.id}`);
  assert.deepEqual(files.map((f) => f.file_name), ['scan.pdf']);
  assert.ok((await r2Keys(worker.dir)).includes(files[0].r2_key));
  const events = await sql(worker.dir, `SELECT event, actor_role, to_stage FROM request_events WHERE request_id = ${request.id}`);
  assert.deepEqual(events, [{ event: 'submitted', actor_role: 'citizen', to_stage: 'awaiting_triage' }]);
  const outbox = await sql(worker.dir, `SELECT channel, recipient, template, status, payload FROM outbox WHERE request_id = ${request.id} ORDER BY channel`);
  assert.deepEqual(outbox.map((o) => [o.channel, o.recipient, o.template]), [
    ['email', 'aya.kouassi@example.ci', 'request_registered'],
    ['sms', '+2250707123456', 'request_registered'],
  ]);
  // Written in the batch, then on their way (delivery itself is tested with the notifications).
  for (const o of outbox) assert.ok(['pending', 'enqueued', 'sending', 'sent'].includes(o.status), o.status);
  // The code is half the citizen's tracking secret: the outbox never holds it (it is read at send time).
  assert.equal(JSON.parse(outbox[0].payload).code, undefined);
  assert.ok(outbox.every((o) => !o.payload.includes(code)));
});

test('a double submission (double tap, reload, retry) yields one request and one code', async () => {
  const form = await openForm(worker.url);
  const fields = { ...VALID, action: 'soumettre' };
  const [a, b] = await Promise.all([postForm(worker.url, form, fields), postForm(worker.url, form, fields)]);
  const c = await postForm(worker.url, form, fields);
  for (const res of [a, b, c]) assert.equal(res.status, 303);
  assert.equal(a.location, b.location);
  assert.equal(a.location, c.location);
  const rows = await sql(worker.dir, `SELECT code FROM requests WHERE idempotency_key = '${form.formKey}'`);
  assert.equal(rows.length, 1);
  assert.equal((await confirmationCode(worker.url, a)).code, rows[0].code);
});

test('a post sent again with its files, after a first that stopped short of registering, keeps each file once', async () => {
  // The service worker's retry (offline.browser.test.mjs): the first post staged the files and was
  // not registered (here a refused field, in its place the server's 503 or an answer lost on the
  // way), the second carries the same files again.
  const form = await openForm(worker.url);
  const files = [['recu.pdf', PDF], ['photo.jpg', JPEG]];
  const first = await postForm(worker.url, form, { ...VALID, email: 'pas-une-adresse', action: 'soumettre' }, files);
  assert.equal(first.status, 422);
  assert.match(first.html, /recu\.pdf[\s\S]*photo\.jpg/, 'both files staged with the form');
  const again = await postForm(worker.url, form, { ...VALID, action: 'soumettre' }, files);
  assert.equal(again.status, 303);
  const [{ id }] = await sql(worker.dir, `SELECT id FROM requests WHERE idempotency_key = '${form.formKey}'`);
  const kept = await sql(worker.dir, `SELECT file_name FROM attachments WHERE request_id = ${id} ORDER BY file_name`);
  assert.deepEqual(kept.map((f) => f.file_name), ['photo.jpg', 'recu.pdf']);
  // Another file under a kept name is another file.
  const other = await openForm(worker.url);
  await postForm(worker.url, other, { ...VALID, email: 'pas-une-adresse', action: 'soumettre' }, [['recu.pdf', PDF]]);
  await postForm(worker.url, other, { ...VALID, action: 'soumettre' }, [['recu.pdf', Buffer.concat([PDF, Buffer.from('%% autre version\n')])]]);
  const [{ id: otherId }] = await sql(worker.dir, `SELECT id FROM requests WHERE idempotency_key = '${other.formKey}'`);
  assert.equal((await sql(worker.dir, `SELECT count(*) AS n FROM attachments WHERE request_id = ${otherId}`))[0].n, 2);
});

test('posts without this browser\'s token, or from another site, change nothing', async () => {
  const form = await openForm(worker.url);
  const before = await countRequests();
  const noCookie = await postForm(worker.url, { ...form, cookie: '' }, { ...VALID, action: 'soumettre' }, [['a.pdf', PDF]]);
  assert.equal(noCookie.status, 403);
  assert.match(noCookie.html, /Ce formulaire a expiré/);
  assert.ok(unescape(noCookie.html).includes(VALID.message), 'input kept');
  const forged = await postForm(worker.url, { ...form, csrf: 'A'.repeat(22) }, { ...VALID, action: 'soumettre' });
  assert.equal(forged.status, 403);
  const crossSite = await postForm(worker.url, form, { ...VALID, action: 'soumettre' }, [], { origin: 'https://evil.example' });
  assert.equal(crossSite.status, 403);
  assert.equal(await countRequests(), before);
  assert.deepEqual(await sql(worker.dir, `SELECT id FROM attachments WHERE form_key = '${form.formKey}'`), []);
});

test('a failure between R2 and D1 while staging leaves no row and no object', async () => {
  const form = await openForm(worker.url);
  const keys = await r2Keys(worker.dir);
  await sql(worker.dir, "CREATE TRIGGER fail_attachments BEFORE INSERT ON attachments BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  try {
    const res = await postForm(worker.url, form, { ...VALID, action: 'soumettre' }, [['scan.pdf', PDF], ['photo.jpg', JPEG]]);
    assert.equal(res.status, 422);
    assert.match(res.html, /incident technique/);
    assert.ok(unescape(res.html).includes(VALID.message), 'input kept');
  } finally {
    await sql(worker.dir, 'DROP TRIGGER fail_attachments');
  }
  assert.deepEqual(await r2Keys(worker.dir), keys, 'no orphan object in R2');
  assert.deepEqual(await sql(worker.dir, `SELECT id FROM attachments WHERE form_key = '${form.formKey}'`), []);
  assert.deepEqual(await sql(worker.dir, `SELECT id FROM requests WHERE idempotency_key = '${form.formKey}'`), []);
});

test('the JSON API registers with the same rules, idempotently, and cleans up on failure', async () => {
  const ok = await apiSubmit(worker.url, { ...VALID, organisme: '3' }, [['a.pdf', PDF], ['b.jpg', JPEG]], { 'idempotency-key': 'partner-42' });
  assert.equal(ok.status, 201, JSON.stringify(ok.json));
  assert.match(ok.json.code, /^\d{8}$/);
  assert.deepEqual({ ...ok.json, code: undefined, date: undefined },
    { code: undefined, date: undefined, nature: 'reclamation', etape: 1, stage: 'awaiting_triage', organisme: { id: 3, name: 'Ministère d\'État, Ministère des Affaires étrangères et de la Coopération internationale' } });
  assert.match(ok.json.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const replay = await apiSubmit(worker.url, { ...VALID, organisme: '3' }, [['a.pdf', PDF], ['b.jpg', JPEG]], { 'idempotency-key': 'partner-42' });
  assert.equal(replay.status, 201);
  assert.equal(replay.json.code, ok.json.code);
  assert.equal(replay.headers.get('idempotent-replayed'), 'true');
  // The key is bound to its payload: another one under the same key is refused, never replayed.
  const other = await apiSubmit(worker.url, { ...VALID, organisme: '3' }, [['a.pdf', PDF]], { 'idempotency-key': 'partner-42' });
  assert.equal(other.status, 422);
  const [row] = await sql(worker.dir, `SELECT r.channel, count(a.id) AS files FROM requests r LEFT JOIN attachments a ON a.request_id = r.id WHERE r.code = '${ok.json.code}'`);
  assert.deepEqual(row, { channel: 'api', files: 2 });

  const bad = await apiSubmit(worker.url, { organisme: '3', nature: 'x', pays: 'CI', telephone: '123', email: 'nope' }, [['f.pdf', EXE]]);
  assert.equal(bad.status, 422);
  assert.deepEqual(Object.keys(bad.json.errors).sort(), ['conditions', 'email', 'message', 'nature', 'pieces', 'telephone']);
  assert.equal(bad.json.errors.pieces, "Le fichier « f.pdf » n'est ni un document PDF ni une image (JPEG, PNG, WebP), ni un enregistrement audio.");
  const english = await apiSubmit(worker.url, { ...VALID, organisme: '3', email: '', telephone: '' }, [], { 'accept-language': 'en' });
  assert.equal(english.json.errors.email, 'Give a mobile phone number or an email address (at least one of the two): that is how you will receive your code.');
  assert.equal(english.json.errors.telephone, english.json.errors.email);

  // Injected failure in the registering batch: no request, and the files put in R2 are deleted.
  const keys = await r2Keys(worker.dir);
  const before = await countRequests();
  await sql(worker.dir, "CREATE TRIGGER fail_requests BEFORE INSERT ON requests BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  try {
    const failed = await apiSubmit(worker.url, { ...VALID, organisme: '3' }, [['a.pdf', PDF], ['b.jpg', JPEG]]);
    assert.equal(failed.status, 500);
    assert.match(failed.json.reference, /^[0-9a-f]{16}$/);
  } finally {
    await sql(worker.dir, 'DROP TRIGGER fail_requests');
  }
  assert.equal(await countRequests(), before, 'no request row');
  assert.deepEqual(await r2Keys(worker.dir), keys, 'no orphan object');
  assert.deepEqual(await sql(worker.dir, "SELECT count(*) AS n FROM outbox WHERE request_id IS NULL"), [{ n: 0 }]);

  const places = await (await fetch(`${worker.url}/api/v1/localites`)).json();
  assert.equal(places.localites.filter((p) => p.type === 'commune').length, 120);
  assert.equal(places.count, 120 + 508 + 5015, 'the communes, the sous-préfectures and the towns and villages of GeoNames');
  assert.ok(places.localites.some((p) => p.name === 'Bouaké' && p.region === 'Gbêkê'));
});

test('1 000 sequential submissions get 1 000 distinct codes', async () => {
  const codes = new Set();
  for (let i = 0; i < 1000; i++) {
    const res = await apiSubmit(worker.url, { ...VALID, organisme: String(1 + (i % 10)), message: `${VALID.message} (${i})` });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    codes.add(res.json.code);
  }
  assert.equal(codes.size, 1000);
  const [{ n }] = await sql(worker.dir, `SELECT count(DISTINCT code) AS n FROM requests WHERE message LIKE '%(%)'`);
  assert.ok(n >= 1000);
});

test('an unknown or foreign confirmation key shows nothing', async () => {
  for (const f of ['', 'x', 'A'.repeat(22)]) {
    const res = await fetch(`${worker.url}/requete/enregistree?f=${f}`);
    assert.equal(res.status, 404);
    await res.arrayBuffer();
  }
});

async function countRequests() {
  return (await sql(worker.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
}
