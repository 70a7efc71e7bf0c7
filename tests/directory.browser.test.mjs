// The directory and the places in Chromium, with axe (WCAG 2.2 AA) in French and English: an
// administrator exports the bodies, imports the file edited, reads the preview and confirms; the
// places' export imported back says there is nothing to change; the public directory, the form's
// «Commune ou S/Préfecture» (filtered as one types, «Utiliser ma position» naming the
// sous-préfecture's town) and the statistics by région and département.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { launch, axe, staffPage } from './support/browser.mjs';
import { eventually } from './support/eventually.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '100' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const clean = async (page, what) => assert.deepEqual(await axe(page).catch((e) => [String(e)]), [], `axe: ${what}`);

test('an administrator exports the directory, imports it edited, previews and confirms; the places\' export imports back to nothing', async () => {
  const { context, page } = await staffPage(browser, w, 'admin@milie.local', { width: 1280 });
  try {
    for (const lang of ['fr', 'en']) {
      for (const path of ['/agent/admin/organismes', '/agent/admin/organismes/1', '/agent/admin/lieux']) {
        await page.goto(`${w.url}${path}?lang=${lang}`);
        await clean(page, `${path} (${lang})`);
      }
    }
    await page.goto(`${w.url}/agent/admin/organismes?lang=fr`);
    assert.match(await page.locator('main').innerText(), /Guide de l'utilisateur Miliê, front-office \(4 février 2019\)|https:\/\/lebanco\.net/);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Exporter l\'annuaire (CSV)' }).click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    const csv = (await readFile(file, 'utf8')).replace('Groupement des Sapeurs-Pompiers Militaires,GSPM,secours,,,180,', 'Groupement des Sapeurs-Pompiers Militaires,GSPM,secours,,,180 (gratuit),');
    await page.getByLabel('Fichier CSV').first().setInputFiles({ name: 'annuaire.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Importer' }).first().click();
    await page.waitForURL(/\/agent\/admin\/organismes\/import\/\d+$/);
    assert.match(await page.locator('#import-summary').innerText(), /0 à ajouter, 1 à modifier, 0 à fermer, 46 inchangés\./);
    await clean(page, 'the bodies\' import preview (fr)');
    await page.goto(page.url() + '?lang=en');
    assert.match(await page.locator('#import-summary').innerText(), /0 to add, 1 to change, 0 to close, 46 unchanged\./);
    await clean(page, 'the bodies\' import preview (en)');
    await page.goto(page.url().replace('?lang=en', '?lang=fr'));
    await page.getByRole('button', { name: 'Confirmer l\'import' }).click();
    await page.waitForURL(/\/agent\/admin\/organismes$/);
    assert.match(await page.locator('#notice').innerText(), /Import enregistré : 0 ajoutés, 1 modifiés, 0 fermés\./);
    await clean(page, 'the directory after the import');

    // A bad file: each line named, in an alert next to the form.
    await page.getByLabel('Fichier CSV').first().setInputFiles({ name: 'mauvais.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\nOffice A,abc\nOffice A,\n') });
    await page.getByRole('button', { name: 'Importer' }).first().click();
    const alert = await page.getByRole('alert').innerText();
    assert.match(alert, /Ligne 2 : numéro de téléphone illisible : « abc »/);
    assert.match(alert, /Ligne 3 : nom en double/);
    await clean(page, 'a refused import');

    await page.goto(`${w.url}/agent/admin/lieux`);
    const placesDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Exporter les lieux (CSV)' }).click();
    const places = await readFile(await (await placesDownload).path());
    await page.getByLabel('Fichier CSV').setInputFiles({ name: 'lieux.csv', mimeType: 'text/csv', buffer: places });
    await page.getByRole('button', { name: 'Importer' }).click();
    await page.waitForURL(/\/agent\/admin\/lieux\/import\/\d+$/);
    assert.match(await page.locator('#import-summary').innerText(), /Rien à changer/);
    assert.equal(await page.getByRole('button', { name: 'Confirmer l\'import' }).count(), 0);
    await clean(page, 'the places\' import preview');
  } finally {
    await context.close();
  }
});

test('the public directory, the form\'s places and the statistics, in French and English', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, permissions: ['geolocation'], geolocation: { latitude: 7.6938, longitude: -5.0303 } });
  const page = await context.newPage();
  try {
    for (const lang of ['fr', 'en']) {
      for (const path of ['/organismes?per_page=50', '/organismes?q=portefeuille', '/statistiques', '/a-propos']) {
        await page.goto(`${w.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await clean(page, `${path} (${lang})`);
      }
    }
    await page.goto(`${w.url}/a-propos?lang=fr`);
    assert.match(await page.locator('main').innerText(), /CNTIG, OCHA, ITOS — CC BY 3\.0 IGO/);
    await page.goto(`${w.url}/requete/nouvelle?nature=reclamation&organisme=5&lang=fr`);
    await clean(page, 'the form with «Commune ou S/Préfecture»');
    // Typed with accents or without: the list keeps what matches, group labels included.
    await page.getByLabel('Chercher une ville ou un village').fill('bouake');
    const shown = await page.locator('#localite optgroup:not([hidden]) option:not([hidden])').allTextContents();
    assert.ok(shown.includes('Bouaké') && shown.includes('Bouaké (S/P)') && shown.includes('Brobo'), shown.join(', '));
    await page.getByLabel('Commune ou S/Préfecture').selectOption({ label: 'Bouaké (S/P)' });
    await page.getByLabel('Chercher une ville ou un village').fill('');
    // «Utiliser ma position» in Bouaké: the sous-préfecture's polygon, the town inside it.
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await eventually(async () => (await page.locator('#localite').evaluate((s) => s.options[s.selectedIndex].text)) === 'Bouaké', { what: 'Bouaké chosen' });
    assert.match(await page.locator('#localite-position').innerText(), /Lieu le plus proche de votre position : Bouaké/);
    await clean(page, 'the form after «Utiliser ma position»');
  } finally {
    await context.close();
  }
});
