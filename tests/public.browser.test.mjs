// Every citizen page in Chromium: axe-core (WCAG 2.2 AA) in French and English, the bytes a first
// visit transfers (budget 30 KB), and keyboard-only walkthroughs of submitting and tracking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { launch, axe } from './support/browser.mjs';
import { VALID, apiSubmit } from './support/forms.mjs';

const BUDGET = 30 * 1024;
let worker;
let browser;
let code;
before(async () => {
  [worker, browser] = await Promise.all([startWorker({ media: true, vars: { ALLOW_CLOCK_OVERRIDE: '1' } }), launch()]);
  // Some requests, so the statistics page has charts, and one code to track.
  for (let i = 0; i < 6; i++) code = (await apiSubmit(worker.url, { ...VALID, organisme: String(1 + (i % 2)) })).json.code;
  await worker.daily();
});
after(async () => { await browser?.close(); await worker?.stop(); });

/** Every citizen page a first visit can land on (the tracking and done pages are reached below). */
const PAGES = [
  '/', '/organismes', '/requete/nouvelle', '/requete/nouvelle?nature=reclamation',
  '/requete/nouvelle?nature=reclamation&organisme=5', '/suivi', '/suivi/oubli', '/statistiques', '/informations',
  '/guide', '/a-propos', '/donnees-personnelles', '/conditions-utilisation', '/nulle-part',
];

test('axe-core finds no WCAG 2.2 AA violation on any citizen page, in French and in English', async () => {
  for (const locale of ['fr-CI', 'en-GB']) {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await context.newPage();
    try {
      for (const path of PAGES) {
        await page.goto(worker.url + path);
        assert.equal(await page.evaluate(() => document.documentElement.lang), locale.slice(0, 2), path);
        assert.deepEqual(await axe(page), [], `${locale} ${path}`);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, `${locale} ${path}: no sideways scrolling`);
      }
    } finally {
      await context.close();
    }
  }
});

test('every citizen page transfers at most 30 KB on a first visit (HTML, CSS, scripts, images)', async () => {
  const report = [];
  for (const path of PAGES) {
    // A fresh context each time: an empty cache, as on a first visit.
    const context = await browser.newContext({ locale: 'fr-CI', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const sizes = [];
    page.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
    try {
      await page.goto(worker.url + path, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle');
      const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
      report.push(`${path}: ${total} B in ${sizes.length} responses`);
      assert.ok(total <= BUDGET, `${path}: ${total} B > ${BUDGET} B`);
      assert.ok(total > 1000, `${path}: measured something`);
    } finally {
      await context.close();
    }
  }
  console.log(report.join('\n'));
});

/** Presses Tab until `selector` has the focus (at most `max` times); returns how many presses. */
async function tabTo(page, selector, max = 80) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('keyboard only, without JavaScript: skip link, menu, a suggestion submitted, the code shown', async () => {
  const context = await browser.newContext({ locale: 'fr-CI', javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(worker.url + '/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Aller au contenu');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => location.hash), '#main');
    // The focus is visible: the outline the stylesheet draws for :focus-visible.
    await tabTo(page, 'a[href="/requete/nouvelle?nature=suggestion"]');
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
    await page.keyboard.press('Enter');
    await page.waitForURL(/nature=suggestion/);
    await tabTo(page, 'a[href*="organisme=8"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/organisme=8/);
    // Fields come in reading order: place, theme, message, voice note, files, names, country, phone, email, terms.
    const order = ['#localite', '#theme', '#message', '#vocal', '#pieces', '#nom', '#prenoms', '#pays', '#telephone', '#email', '#conditions'];
    const positions = await page.evaluate((ids) => {
      const focusable = [...document.querySelectorAll('a[href], input:not([type=hidden]), select, textarea, button')];
      return ids.map((id) => focusable.indexOf(document.querySelector(id)));
    }, order);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'tab order follows the form');
    await tabTo(page, '#message');
    await page.keyboard.type('Il faudrait planter des arbres le long des routes du parc national du Banco.');
    await tabTo(page, '#telephone');
    await page.keyboard.type('0707070707');
    await tabTo(page, '#email');
    await page.keyboard.type('clavier@example.ci');
    await tabTo(page, '#conditions');
    await page.keyboard.press('Space');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/requete\/nouvelle$/);
    await tabTo(page, 'button[value="soumettre"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/requete\/enregistree/);
    const shown = await page.locator('#request-code').innerText();
    assert.match(shown, /^\d{8}$/);
    assert.equal((await sql(worker.dir, `SELECT nature, body_id FROM requests WHERE code = '${shown}'`))[0].nature, 'suggestion');
  } finally {
    await context.close();
  }
});

test('keyboard only: a citizen follows a request, and its page passes axe in both languages', async () => {
  for (const locale of ['fr-CI', 'en-GB']) {
    const context = await browser.newContext({ locale, bypassCSP: true });
    const page = await context.newPage();
    try {
      await page.goto(worker.url + '/suivi');
      await tabTo(page, '#code');
      await page.keyboard.type(code);
      await tabTo(page, '#email');
      await page.keyboard.type(VALID.email);
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/suivi/${code}`));
      assert.match(await page.locator('main').innerText(), new RegExp(code));
      assert.deepEqual(await axe(page), [], `${locale} tracking page`);
    } finally {
      await context.close();
    }
  }
});

test('the statistics page works with the keyboard and at 200 % zoom', async () => {
  const context = await browser.newContext({ locale: 'fr-CI', viewport: { width: 640, height: 800 }, deviceScaleFactor: 2, bypassCSP: true });
  const page = await context.newPage();
  try {
    await page.goto(worker.url + '/statistiques');
    // 200 % zoom of a 1280-px window is a 640-CSS-px layout: nothing wider than the screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 640);
    await tabTo(page, '#organisme');
    // Down the list to the body with requests (the Ministry of Finances, id 1).
    const presses = await page.locator('#organisme').evaluate((s) => [...s.options].findIndex((o) => o.value === '1'));
    for (let i = 0; i < presses; i++) await page.keyboard.press('ArrowDown');
    await tabTo(page, '.filters button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/organisme=/);
    assert.match(await page.locator('h2#chiffres-cles + p').innerText(), /Requêtes reçues du/);
    assert.ok(await page.locator('svg[role="img"] title').count() >= 1, 'charts have titles');
    assert.deepEqual(await axe(page), []);
  } finally {
    await context.close();
  }
});
