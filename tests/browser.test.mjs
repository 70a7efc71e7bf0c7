// The portal in a real browser: home, menu, bodies directory, without JavaScript and with a phone-sized screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { launch, axe } from './support/browser.mjs';

let worker;
let browser;
before(async () => {
  [worker, browser] = await Promise.all([startWorker(), launch()]);
});
after(async () => {
  await browser?.close();
  await worker?.stop();
});

test('a citizen on a phone, without JavaScript, finds a body from the home page', async () => {
  // CSP violations or script errors would show up as console errors.
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'fr-CI' });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.goto(worker.url + '/');
    assert.equal(await page.title(), 'Accueil — Miliê');
    assert.equal(await page.locator('h1').innerText(), "Votre voix auprès de l'Administration publique");
    // The stylesheet applied: the header is the portal's green.
    const bg = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(0, 107, 63)');

    // The submission menu opens without JavaScript (<details>) and offers the three natures.
    await page.locator('nav summary').click();
    const entries = await page.locator('nav details li a').allInnerTexts();
    assert.deepEqual(entries, ['Réclamation', 'Observation', 'Suggestion']);

    await page.getByRole('link', { name: 'Organismes', exact: true }).click();
    await page.waitForURL('**/organismes');
    assert.match(await page.locator('#count').innerText(), /Nombre de résultats : 47/);
    assert.equal(await page.locator('tbody tr').count(), 10, 'ten a page');

    await page.getByLabel('Rechercher un organisme').fill('eaux forêts');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/q=eaux/);
    assert.equal(await page.locator('tbody tr').count(), 1);
    const row = page.locator('tbody tr').first();
    assert.equal(await row.locator('th').innerText(), 'Ministère des Eaux et Forêts\nGouvernement du 23 janvier 2026');
    assert.equal(await row.locator('a[href^="tel:"]').first().getAttribute('href'), 'tel:+2252720217267');

    // Narrow screens get one card per body: the row is laid out as a block, labels shown.
    assert.equal(await row.evaluate((el) => getComputedStyle(el).display), 'block');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the per-page selector and pagination work by keyboard alone', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  try {
    await page.goto(worker.url + '/organismes');
    await page.getByLabel('Afficher').selectOption('5');
    await page.getByLabel('Afficher').focus();
    await page.keyboard.press('Tab'); // to the OK button
    await page.keyboard.press('Enter');
    await page.waitForURL(/per_page=5/);
    assert.equal(await page.locator('tbody tr').count(), 5);
    await page.getByRole('link', { name: /Page suivante/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/page=2/);
    assert.equal(await page.locator('tbody tr').count(), 5);
    assert.equal(await page.locator('.pagination [aria-current="page"]').innerText(), '2 / 10');
  } finally {
    await context.close();
  }
});

test('home and directory pages have no WCAG A/AA violations, in French and English', async () => {
  // axe is injected as an inline script, which our CSP (rightly) forbids: bypass it for the audit only.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  try {
    for (const path of ['/', '/organismes', '/organismes?lang=en', '/?lang=en', '/page-absente']) {
      await page.goto(worker.url + path);
      assert.deepEqual(await axe(page), [], `axe violations on ${path}`);
    }
  } finally {
    await context.close();
  }
});

test('the language switch shows the same page in English and keeps it', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  try {
    await page.goto(worker.url + '/organismes?per_page=5');
    await page.getByRole('link', { name: 'Read this page in English' }).click();
    await page.waitForURL(/lang=en/);
    assert.equal(await page.locator('h1').innerText(), 'Public bodies');
    assert.equal(await page.locator('tbody tr').count(), 5, 'the query is kept across the switch');
    await page.goto(worker.url + '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  } finally {
    await context.close();
  }
});
