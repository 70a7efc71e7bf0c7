// A form that survives the connection, in Chromium with its network emulated (CDP
// Network.emulateNetworkConditions, on the page and the service worker): drafts kept on the device
// and offered back, a request submitted offline sent once when the network returns, a replay
// after the server's success stored once, and every way the server can say no (422, the human
// check, a body closed, a new browser session) brought back to the citizen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { launch, axe } from './support/browser.mjs';
import { eventually } from './support/eventually.mjs';
import { FILES, QUEUED, citizen, fill, records, recordWhere, submit, formPosts } from './support/offline.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const form = (body) => `/requete/nouvelle?nature=reclamation&organisme=${body}`;
const stored = (where) => sql(w.dir, `SELECT id, code, body_id, idempotency_key AS key FROM requests WHERE ${where}`);
// Once the page's store has answered, app.js has made its choice (its reading came first).
const draftsLoaded = (page) => page.evaluate(() => !!document.querySelector('script[src*="/assets/drafts."]'));
const attachments = async (id) => (await sql(w.dir, `SELECT file_name FROM attachments WHERE request_id = ${id} ORDER BY file_name`)).map((f) => f.file_name);

test('a draft is kept as the citizen types and attaches, offered back, and nothing of it leaves the device', async () => {
  const { context, page } = await citizen(browser, w);
  const sent = [];
  context.on('request', (req) => { if (/Kofi|mairie de Cocody/.test(req.url() + (req.postData() ?? ''))) sent.push(req.url()); });
  try {
    await page.goto(w.url + form(5));
    await fill(page, { message: 'Mon acte de naissance demandé à la mairie de Cocody attend depuis trois mois.', email: 'kofi@example.ci', theme: 'Accueil : Temps d\'attente', firstNames: 'Kofi' });
    const draft = await recordWhere(page, (r) => r.state === 'draft' && r.fields.prenoms === 'Kofi' && r.files.length === 2, 'the draft with its two files', w);
    assert.equal(draft.body, '5');
    assert.equal(draft.fields.csrf, undefined, 'only what the citizen typed');
    assert.match(await page.locator('#brouillon-etat').innerText(), /gardé sur cet appareil jusqu'à l'envoi/);

    // Back to the form: the draft is offered, and comes back whole (its files included).
    await page.reload();
    await page.getByRole('button', { name: 'Reprendre mon brouillon' }).waitFor();
    assert.match(await page.locator('#brouillon').innerText(), /^Vous avez un brouillon du \d+ \S+ à \d\d:\d\d\./);
    assert.deepEqual(await axe(page), [], 'axe with the offer');
    assert.equal(await page.getByLabel('Message').inputValue(), '', 'nothing filled in before the citizen chooses');
    await page.getByRole('button', { name: 'Reprendre mon brouillon' }).click();
    assert.equal(await page.getByLabel('Message').inputValue(), 'Mon acte de naissance demandé à la mairie de Cocody attend depuis trois mois.');
    assert.equal(await page.getByLabel('Prénoms').inputValue(), 'Kofi');
    assert.equal(await page.locator('#localite option:checked').innerText(), 'Yopougon');
    assert.equal(await page.locator('#theme option:checked').innerText(), 'Accueil : Temps d\'attente');
    assert.equal(await page.getByLabel(/J'accepte l'ensemble des termes/).isChecked(), true);
    assert.deepEqual(await page.locator('#pieces').evaluate((i) => Array.from(i.files, (f) => `${f.name} ${f.size}`)), FILES.map((f) => `${f.name} ${f.buffer.length}`));
    assert.equal(await page.locator('input[name=form_key]').inputValue(), draft.key, 'the draft keeps its key');
    assert.match(await page.locator('#brouillon-etat').innerText(), /Votre brouillon est repris/);

    // «Recommencer» deletes it.
    await page.reload();
    await page.getByRole('button', { name: 'Recommencer' }).click();
    await eventually(async () => !(await records(page)).some((r) => r.key === draft.key), { what: 'the draft deleted' });
    await page.reload();
    assert.deepEqual(await records(page), []);
    assert.equal(await draftsLoaded(page), false, 'nothing to offer: the drafts script is not even loaded');

    // A draft not touched for 30 days is deleted, never offered.
    await page.evaluate(() => store.put({ key: 'AAAAAAAAAAAAAAAAAAAAAA', state: 'draft', body: '5', url: '/', fields: [['message', 'vieux']], labels: {}, files: [], updated: Date.now() - 31 * 864e5 }));
    await page.reload();
    assert.deepEqual(await records(page), []);
    assert.equal(await draftsLoaded(page), false);
    assert.deepEqual(sent, [], 'no request carried the draft');
  } finally {
    await context.close();
  }
});

test('offline, «Soumettre» queues the request; back online it leaves once: one request, one code, one confirmation', async () => {
  const { context, page } = await citizen(browser, w, { notifications: true });
  const posts = formPosts(context);
  try {
    await page.goto(w.url + form(5));
    await fill(page, { message: 'Le guichet des bourses est fermé depuis lundi, sans aucun avis affiché.', email: 'ama.offline@example.ci' });
    await recordWhere(page, (r) => r.state === 'draft' && r.files.length === 2, 'the draft', w);
    await context.setOffline(true);
    await submit(page);
    await page.getByText(QUEUED).waitFor();
    // The request is visible as it was submitted, and locked.
    assert.equal(await page.getByLabel('Message').inputValue(), 'Le guichet des bourses est fermé depuis lundi, sans aucun avis affiché.');
    assert.equal(await page.getByLabel('Message').isDisabled(), true);
    assert.deepEqual(await page.locator('#pieces').evaluate((i) => Array.from(i.files, (f) => f.name)), ['recu.pdf', 'guichet.jpg']);
    assert.deepEqual(await axe(page), [], 'axe on the waiting request');
    const [queued] = (await records(page)).filter((r) => r.state === 'queued');
    assert.equal(queued.fields.action, 'soumettre');
    assert.deepEqual(queued.files, ['recu.pdf', 'guichet.jpg']);
    // Reloaded before the network returns (the page from the service worker's copy): still there.
    await page.reload();
    await page.getByText(QUEUED).waitFor();
    assert.equal(await page.getByLabel('Message').inputValue(), 'Le guichet des bourses est fermé depuis lundi, sans aucun avis affiché.');
    assert.deepEqual(await stored(`email = 'ama.offline@example.ci'`), [], 'nothing reached the server');
    // A second tab is open too: both ask the service worker to send when the network returns.
    const other = await context.newPage();
    await other.goto(w.url + '/guide');

    await context.setOffline(false);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    const code = await page.locator('#request-code').innerText();
    const rows = await stored(`email = 'ama.offline@example.ci'`);
    assert.deepEqual(rows.map((r) => [r.code, r.key, r.body_id]), [[code, queued.key, 5]], 'one request, under the form key');
    assert.deepEqual(await attachments(rows[0].id), ['guichet.jpg', 'recu.pdf']);
    await w.mailTo('ama.offline@example.ci', code);
    const outbox = await w.settled(`request_id = ${rows[0].id} AND recipient = 'ama.offline@example.ci'`);
    assert.deepEqual(outbox.map((o) => [o.template, o.channel, o.status]), [['request_registered', 'email', 'sent']], 'one confirmation');
    assert.equal(w.inbox.state.mails.filter((m) => m.to.includes('ama.offline@example.ci')).length, 1);
    const shown = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) => list.map((n) => n.body)));
    assert.deepEqual(shown, [`Votre requête est partie. Son code : ${code}.`]);
    assert.deepEqual(await records(page), [], 'sent: nothing of it is kept');
    assert.ok(posts.failed >= 1, 'offline, the posts never left');
    assert.equal(posts.answered, 1, 'one post reached the server');
  } finally {
    await context.close();
  }
});

test('a replay after the server registered the request (its answer lost on the way) is stored once', async () => {
  const { context, page } = await citizen(browser, w);
  const posts = formPosts(context);
  let lost = 0;
  // The first post reaches the server and is registered; its answer never comes back.
  await context.route('**/requete/nouvelle', async (route) => {
    if (route.request().method() !== 'POST' || lost++) return route.continue();
    const answer = await route.fetch({ headers: await route.request().allHeaders(), maxRedirects: 0 });
    assert.equal(answer.status(), 303, 'registered');
    await route.abort('connectionreset');
  });
  try {
    await page.goto(w.url + form(4));
    await fill(page, { message: 'La file d\'attente au service des passeports dépasse six heures chaque matin.', email: 'lost.answer@example.ci' });
    await recordWhere(page, (r) => r.state === 'draft' && r.files.length === 2, 'the draft', w);
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    const code = await page.locator('#request-code').innerText();
    const rows = await stored(`email = 'lost.answer@example.ci'`);
    assert.deepEqual(rows.map((r) => r.code), [code], 'one request, the code of the first post');
    assert.deepEqual(await attachments(rows[0].id), ['guichet.jpg', 'recu.pdf'], 'each file once');
    const outbox = await w.settled(`request_id = ${rows[0].id} AND recipient = 'lost.answer@example.ci'`);
    assert.equal(outbox.length, 1, 'one confirmation');
    assert.equal(posts.answered + posts.failed, 2, 'the post went twice (the first one answered, but not to the browser)');
  } finally {
    await context.close();
  }
});

test('the server unavailable (503) at «Soumettre», or a new browser session meanwhile: sent again, once', async () => {
  const { context, page } = await citizen(browser, w);
  let answered = 0;
  await context.route('**/requete/nouvelle', (route) => (route.request().method() === 'POST' && !answered++
    ? route.fulfill({ status: 503, contentType: 'text/html', body: '<p>Service indisponible</p>' })
    : route.continue()));
  try {
    await page.goto(w.url + form(6));
    await fill(page, { message: 'Le site de téléprocédure du ministère reste inaccessible depuis une semaine.', email: 'unavailable@example.ci', files: [] });
    await recordWhere(page, (r) => r.state === 'draft' && r.fields.email === 'unavailable@example.ci', 'the draft', w);
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    assert.equal((await stored(`email = 'unavailable@example.ci'`)).length, 1);
    await context.unroute('**/requete/nouvelle');

    // Queued offline, then the browser session ends (its cookies, the form's token with them): the
    // server refuses the old token; the service worker posts again with the new one, once.
    await page.goto(w.url + form(6));
    await fill(page, { message: 'Les résultats du concours ne sont toujours pas affichés au ministère.', email: 'new.session@example.ci', files: [] });
    await recordWhere(page, (r) => r.state === 'draft' && r.fields.email === 'new.session@example.ci', 'the draft', w);
    await context.setOffline(true);
    await submit(page);
    await page.getByText(QUEUED).waitFor();
    await context.clearCookies();
    await context.setOffline(false);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    assert.equal((await stored(`email = 'new.session@example.ci'`)).length, 1);
  } finally {
    await context.close();
  }
});

test('a voice note queued offline leaves with its request, the written message left empty', async () => {
  // Two seconds of 8 kHz, 8-bit mono PCM: a phone recorder's plainest file.
  const data = 16000;
  const wav = Buffer.alloc(44 + data, 0x80);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + data, 4); wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24); wav.writeUInt32LE(8000, 28); wav.writeUInt16LE(1, 32); wav.writeUInt16LE(8, 34);
  wav.write('data', 36); wav.writeUInt32LE(data, 40);
  const { context, page } = await citizen(browser, w);
  try {
    await page.goto(w.url + form(5));
    await fill(page, { message: '', email: 'voix.offline@example.ci', files: [] });
    await page.getByLabel('Enregistrement vocal (facultatif)').setInputFiles([{ name: 'note.wav', mimeType: 'audio/wav', buffer: wav }]);
    await recordWhere(page, (r) => r.state === 'draft', 'the draft', w);
    await context.setOffline(true);
    await submit(page);
    await page.getByText(QUEUED).waitFor();
    await context.setOffline(false);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    const rows = await sql(w.dir, `SELECT r.message, a.file_name, a.kind, a.duration_ms FROM requests r
      JOIN attachments a ON a.request_id = r.id WHERE r.email = 'voix.offline@example.ci'`);
    assert.deepEqual(rows, [{ message: '', file_name: 'note.wav', kind: 'wav', duration_ms: 2000 }]);
  } finally {
    await context.close();
  }
});
