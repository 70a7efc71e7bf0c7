// Helpers for the offline tests: a citizen's browser whose pages the service worker controls, the
// form filled in, and the device's records (IndexedDB) read through the page's own store.
import { eventually } from './eventually.mjs';
import { PDF, JPEG } from './forms.mjs';

export const FILES = [
  { name: 'recu.pdf', mimeType: 'application/pdf', buffer: PDF },
  { name: 'guichet.jpg', mimeType: 'image/jpeg', buffer: JPEG },
];

export const QUEUED = 'Pas de connexion : votre requête partira automatiquement dès le retour du réseau.';

/** Resolves once the service worker controls the page. */
export async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
}

/**
 * A citizen's browser (a phone's screen), its first page visited and the service worker in
 * control; every «Etes-vous sûr…» is answered OK. CSP is bypassed only so that axe can be injected.
 */
export async function citizen(browser, w, { locale = 'fr-FR', notifications = false, path = '/' } = {}) {
  const context = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 390, height: 844 } });
  // Background Sync is granted to every site by a browser's default settings; notifications are asked.
  await context.grantPermissions(notifications ? ['background-sync', 'notifications'] : ['background-sync'], { origin: w.url });
  const page = await context.newPage();
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto(w.url + path);
  await controlled(page);
  return { context, page };
}

/** Fills the form in (French labels); `theme` is an option's label. */
export async function fill(page, { message, email, theme, files = FILES, firstNames = 'Awa' }) {
  await page.getByLabel('Commune ou S/Préfecture').selectOption({ label: 'Yopougon' });
  if (theme) await page.getByLabel('Thème').selectOption({ label: theme });
  await page.getByLabel('Message').fill(message);
  if (files.length) await page.getByLabel('Pièces jointes').setInputFiles(files);
  await page.getByLabel('Nom', { exact: true }).fill('Koné');
  await page.getByLabel('Prénoms').fill(firstNames);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/J'accepte l'ensemble des termes/).check();
}

/** The device's records (drafts, queued, refused, sent), as the page's store reads them. */
export function records(page) {
  return page.evaluate(() => store.all().then((all) => all.map((r) => ({
    key: r.key, state: r.state, body: r.body, gone: !!r.gone, updated: r.updated, code: r.code,
    fields: Object.fromEntries((r.fields || []).map((f) => [f[0], f[1]])),
    files: (r.files || []).map((f) => f.name),
  }))));
}

/** Waits until the device holds a record for which `predicate` holds; returns it. */
export function recordWhere(page, predicate, what, worker) {
  return eventually(async (seen) => {
    const all = await records(page);
    seen(all.map((r) => ({ ...r, fields: Object.keys(r.fields) })));
    return all.find(predicate);
  }, { what, worker });
}

/** «Soumettre votre requête» (the confirmation is answered by `citizen`). */
export async function submit(page) {
  await page.getByRole('button', { name: 'Soumettre votre requête' }).click({ noWaitAfter: true });
}

/**
 * The form's POSTs that went to the network (the service worker's fetches; a page's post it
 * answers itself is not counted), as `answered` (the server's response came back) or `failed`.
 */
export function formPosts(context) {
  const posts = { answered: 0, failed: 0 };
  const form = (req) => req.method() === 'POST' && new URL(req.url()).pathname === '/requete/nouvelle';
  context.on('requestfinished', async (req) => {
    if (form(req) && !(await req.response())?.fromServiceWorker()) posts.answered += 1;
  });
  context.on('requestfailed', (req) => { if (form(req) && req.serviceWorker()) posts.failed += 1; });
  return posts;
}
