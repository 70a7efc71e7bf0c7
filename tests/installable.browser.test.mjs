// The portal on the phone, in Chromium: installable (Chromium finds nothing missing), what the
// service worker keeps for reading offline and what it never keeps (a tracking answer, a
// confirmation, a staff page, anything no-store), versioned by the build's content hashes so a
// new deployment replaces it, a request that leaves at the next visit where the browser has no
// Background Sync (in English), and a device whose storage is full.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium } from 'playwright-core';
import { startWorker, sql, ROOT } from './support/worker.mjs';
import { launch, axe } from './support/browser.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, openForm, postForm } from './support/forms.mjs';
import { citizen, controlled, fill, records, recordWhere, submit } from './support/offline.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** What the service worker keeps: every cached address, and whether any of them is no-store. */
const kept = (page) => page.evaluate(async () => {
  const out = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out[name] = await Promise.all((await cache.keys()).map(async (req) => {
      const res = await cache.match(req);
      return `${new URL(req.url).pathname}${new URL(req.url).search}${/no-store/.test(res.headers.get('Cache-Control') ?? '') ? ' NO-STORE' : ''}`;
    }));
  }
  return out;
});

/** The registration's workers, each by its script's query and its state (for a wait's message). */
const workers = (page) => page.evaluate(async () => {
  const r = await navigator.serviceWorker.getRegistration();
  const of = (sw) => sw && `${new URL(sw.scriptURL).search || 'first'}: ${sw.state}`;
  return r ? { installing: of(r.installing), waiting: of(r.waiting), active: of(r.active) } : 'none';
});

test('the portal installs to the home screen: Chromium finds nothing missing', async () => {
  // Installability is judged in a profile of its own (never in an incognito one).
  const profile = await mkdtemp(join(tmpdir(), 'milie-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, locale: 'fr-FR' });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(w.url + '/');
    await controlled(page);
    const cdp = await context.newCDPSession(page);
    assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
    const { url, errors } = await cdp.send('Page.getAppManifest');
    assert.equal(url, `${w.url}/manifest.fr.webmanifest`);
    assert.deepEqual(errors, []);
    await page.goto(w.url + '/organismes?lang=en');
    assert.equal((await cdp.send('Page.getAppManifest')).url, `${w.url}/manifest.en.webmanifest`);
    assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
  // The manifests, icons and service worker as served.
  for (const lang of ['fr', 'en']) {
    const res = await fetch(`${w.url}/manifest.${lang}.webmanifest`);
    assert.equal(res.headers.get('content-type'), 'application/manifest+json');
    const manifest = await res.json();
    assert.equal(manifest.lang, lang);
    assert.equal(manifest.id, '/');
    assert.equal(manifest.display, 'standalone');
    assert.deepEqual(manifest.icons.map((i) => [i.src, i.sizes, i.purpose ?? 'any']), [
      ['/img/icon-192.png', '192x192', 'any'], ['/img/icon-512.png', '512x512', 'any'], ['/img/icon-512.png', '512x512', 'maskable']]);
  }
  for (const size of [192, 512]) {
    const png = Buffer.from(await (await fetch(`${w.url}/img/icon-${size}.png`)).arrayBuffer());
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size], `icon-${size}.png is ${size} px`);
  }
  const sw = await fetch(`${w.url}/sw.js`);
  assert.equal(sw.headers.get('cache-control'), 'no-cache', 'a new deployment is seen at once');
  assert.equal(sw.headers.get('content-security-policy'), "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  assert.equal(sw.headers.get('x-content-type-options'), 'nosniff');
});

test('what the service worker keeps: the public pages for reading offline, never an answer of a session or a staff page', async () => {
  const form = await openForm(w.url, { organisme: 9 });
  const created = await postForm(w.url, form, { ...VALID, email: 'suivi.offline@example.ci', action: 'soumettre' });
  const [{ code }] = await sql(w.dir, `SELECT code FROM requests WHERE idempotency_key = '${form.formKey}'`);
  const { context, page } = await citizen(browser, w);
  try {
    const FORM9 = '/requete/nouvelle?nature=reclamation&organisme=9';
    for (const path of ['/', '/guide', '/organismes', '/suivi', FORM9, '/agent/connexion', created.location]) await page.goto(w.url + path);
    // The citizen looks up the request: its page opens (a tracking session).
    await page.goto(w.url + '/suivi');
    await page.getByLabel('Code requête').fill(code);
    await page.getByLabel('Adresse électronique utilisée').fill('suivi.offline@example.ci');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL(new RegExp(`/suivi/${code}$`));
    assert.match(await page.locator('main').innerText(), /Le guichet de l'état civil est resté fermé/);

    // The offline page comes with a page after the first.
    const all = await eventually(async (seen) => {
      const paths = Object.values(await kept(page)).flat();
      seen(paths);
      return paths.includes('/hors-ligne') && paths;
    }, { what: 'the offline page kept' });
    for (const path of ['/', '/guide', '/organismes', '/suivi']) assert.ok(all.includes(path), `${path} kept`);
    assert.deepEqual(all.filter((p) => /NO-STORE|^\/suivi\/|^\/agent|^\/requete\/enregistree|^\/api\//.test(p)), [], 'nothing personal or staff');

    await context.setOffline(true);
    await page.goto(w.url + '/guide');
    assert.equal(await page.locator('h1').first().innerText(), 'Guide d\'utilisation du portail du citoyen « Miliê »');
    // The form offline: its copy, with a form key of its own each time (two requests written on it are two).
    const keys = [];
    for (let i = 0; i < 2; i++) {
      await page.goto(w.url + FORM9);
      keys.push(await page.locator('input[name=form_key]').inputValue());
    }
    assert.match(keys[0], /^[\w-]{22}$/);
    assert.notEqual(keys[0], keys[1]);
    assert.notEqual(keys[0], form.formKey);
    // «Suivre» offline: the lookup form with the code of the request last looked at, never its answer.
    await page.goto(`${w.url}/suivi/${code}`);
    assert.equal(await page.getByLabel('Code requête').inputValue(), code);
    assert.doesNotMatch(await page.locator('main').innerText(), /Le guichet de l'état civil/);
    assert.deepEqual(await axe(page), []);
    // A page never read: the offline page says so, in both languages.
    await page.goto(w.url + '/statistiques');
    assert.equal(await page.locator('h1').innerText(), 'Pas de connexion');
    assert.equal(await page.locator('[lang=en] h2').innerText(), 'No connection');
    assert.deepEqual(await axe(page), []);

    // Signing out ends what was remembered of the session.
    await context.setOffline(false);
    await page.goto(`${w.url}/suivi/${code}`);
    await page.getByRole('button', { name: 'Fermer' }).click();
    await page.waitForURL(/\/suivi$/);
    await context.setOffline(true);
    await page.goto(`${w.url}/suivi/${code}`);
    assert.equal(await page.getByLabel('Code requête').inputValue(), '');
  } finally {
    await context.close();
  }
});

/** The version build.rs gives the service worker: the hash of static/, the templates and the catalogues. */
async function buildVersion() {
  const files = [];
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path); else files.push(relative(ROOT, path));
    }
  };
  for (const dir of ['static', 'src/templates', 'src/i18n']) await walk(join(ROOT, dir));
  // Sorted as paths are (component by component).
  files.sort((a, b) => {
    const [x, y] = [a.split('/'), b.split('/')];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return x.length - y.length;
  });
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(await readFile(join(ROOT, file)));
  return hash.digest('hex').slice(0, 12);
}

test('the service worker is versioned by the build\'s content hashes, and a new deployment drops what the last one kept', async () => {
  const script = await (await fetch(`${w.url}/sw.js`)).text();
  const version = script.match(/^'use strict';\nvar VERSION = '([0-9a-f]{12})';/)[1];
  assert.equal(version, await buildVersion());
  const { context, page } = await citizen(browser, w);
  try {
    const css = await page.locator('link[rel=stylesheet]').getAttribute('href');
    assert.match(css, /^\/assets\/milie\.[0-9a-f]{12}\.css$/);
    assert.ok(script.includes(`var SHELL = ['${css}'];`), 'the shell by its hashed name');
    await page.goto(w.url + '/guide');
    assert.deepEqual(Object.keys(await kept(page)).sort(), [`milie-${version}`, `milie-pages-${version}`]);
    // What an earlier deployment kept: a new worker's activation drops it, keeping its own. (A
    // deployment changes VERSION, so the browser, which asks for /sw.js past its HTTP cache, sees new
    // bytes and installs it; here the same worker at another address stands for it.)
    await page.evaluate(async () => {
      for (const name of ['milie-0123456789ab', 'milie-pages-0123456789ab']) await (await caches.open(name)).put('/guide', new Response('ancien'));
    });
    await page.evaluate(() => navigator.serviceWorker.register('/sw.js?deploiement=2').then(() => true));
    await eventually(async (seen) => {
      const names = Object.keys(await kept(page)).sort();
      seen({ names, workers: await workers(page) });
      return names.join() === `milie-${version},milie-pages-${version}`;
    }, { what: 'the earlier deployment\'s caches dropped', worker: w });
  } finally {
    await context.close();
  }
});

test('where the browser has no Background Sync, a request queued offline leaves at the next visit (in English)', async () => {
  // A browser without Background Sync (as Firefox and Safari are): here it is refused to the site,
  // to its pages and its service worker alike.
  const context = await browser.newContext({ locale: 'en-GB', bypassCSP: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const { targetInfo } = await (await context.newCDPSession(page)).send('Target.getTargetInfo');
  await (await browser.newBrowserCDPSession()).send('Browser.setPermission',
    { permission: { name: 'background-sync' }, setting: 'denied', origin: w.url, browserContextId: targetInfo.browserContextId });
  page.on('dialog', (dialog) => dialog.accept());
  try {
    await page.goto(`${w.url}/?lang=en`);
    await controlled(page);
    assert.equal(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.sync.register('milie-outbox')).then(() => 'registered', (e) => e.name)), 'NotAllowedError', 'no Background Sync here');
    await page.goto(`${w.url}/requete/nouvelle?nature=suggestion&organisme=10`);
    await page.getByLabel('Message').fill('A queue number display at the passport office would spare hours of waiting.');
    await page.getByLabel('Email').fill('next.visit@example.ci');
    await page.getByLabel(/I accept all the terms/).check();
    await recordWhere(page, (r) => r.state === 'draft' && r.fields.email === 'next.visit@example.ci', 'the draft');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Submit your request' }).click({ noWaitAfter: true });
    await page.getByText('No connection: your request will leave automatically as soon as the network is back.').waitFor();
    assert.deepEqual(await axe(page), []);
    await page.close();
    // The network returns with no page open: nothing wakes the service worker.
    await context.setOffline(false);
    assert.deepEqual(await sql(w.dir, `SELECT id FROM requests WHERE email = 'next.visit@example.ci'`), []);
    // The next visit sends it, and says so with its code.
    const next = await context.newPage();
    await next.goto(`${w.url}/guide`);
    const news = next.locator('#main > .success');
    await news.waitFor();
    const [{ code }] = await sql(w.dir, `SELECT code FROM requests WHERE email = 'next.visit@example.ci'`);
    assert.equal(await news.innerText(), `Your request has been sent. Its code: ${code}. See the confirmation`);
    assert.deepEqual(await axe(next), []);
    await eventually(async () => (await records(next)).length === 0, { what: 'the sent request forgotten once seen' });
  } finally {
    await context.close();
  }
});

test('storage full: the page says so, and the form works online as before', async () => {
  const { context, page } = await citizen(browser, w);
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: w.url, quotaSize: 1 });
    await page.goto(`${w.url}/requete/nouvelle?nature=reclamation&organisme=1`);
    await fill(page, { message: 'Le paiement de ma vignette en ligne a été débité deux fois.', email: 'storage.full@example.ci' });
    await page.getByText('Cet appareil ne garde pas votre saisie (stockage plein ou refusé) : elle serait perdue si la page se fermait. Le formulaire fonctionne comme d\'habitude.').waitFor();
    assert.deepEqual(await axe(page), []);
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    assert.equal((await sql(w.dir, `SELECT id FROM requests WHERE email = 'storage.full@example.ci'`)).length, 1);
  } finally {
    await context.close();
  }
});
