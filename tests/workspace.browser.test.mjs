// The staff workspace in Chromium, at 1280 and 390 px: an analyst's triage with a bulk forward,
// the request page reached by keyboard (its first action within 3 Tab presses after the skip
// link), a search by a word of the message, and axe on every staff and administration page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { VALID, apiSubmit } from './support/forms.mjs';
import { launch, axe, staffPage, clickAndLoad } from './support/browser.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '100', SUBMIT_LIMIT_PER_HOUR: '100000' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const newRequest = async (fields = {}) => (await w.newRequest(fields)).code;

const clean = async (page, what) => assert.deepEqual(await axe(page).catch((e) => [String(e)]), [], `axe: ${what}`);

for (const width of [1280, 390]) {
  test(`an analyst's triage at ${width} px: bulk forward, keyboard to the first action, search`, async () => {
    const suggestions = [await newRequest({ nature: 'suggestion', message: `Suggestion ${width} : ouvrir le guichet le samedi matin.` }), await newRequest({ nature: 'observation', message: `Observation ${width} : la file d'attente déborde sur la rue.` })];
    const complaint = await newRequest({ message: `Réclamation ${width} : mon relevé de notes porte une erreur de nom.` });
    const { context, page } = await staffPage(browser, w, 'analyste@milie.local', { width });
    try {
      await page.goto(w.url + '/agent?file=a-trier&tri=maj');
      await clean(page, `analyst's queue at ${width}`);
      assert.equal(await page.locator('a[aria-current="page"]').first().textContent(), 'Mes requêtes');
      for (const code of suggestions) await page.getByLabel(`Sélection ${code}`).check();
      await page.getByLabel('Action', { exact: true }).selectOption('transmettre');
      await page.getByRole('button', { name: 'Appliquer à la sélection' }).click();
      const report = await page.locator('#rapport').innerText();
      for (const code of suggestions) assert.match(report, new RegExp(`${code} : transmise à l'organisme`));

      // The request page by keyboard: skip link, then the first action within 3 Tab presses.
      await page.goto(`${w.url}/agent/requetes/${complaint}`);
      await clean(page, `request page at ${width}`);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
      await page.keyboard.press('Enter');
      let presses = 0;
      let inAction = false;
      while (presses < 3 && !inAction) {
        await page.keyboard.press('Tab');
        presses += 1;
        inAction = await page.evaluate(() => Boolean(document.activeElement.closest('main #action-valider, main .action')));
      }
      assert.ok(inAction, `the first action is reached in ${presses} Tab presses`);
      assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Valider (recevable) et transmettre à l\'organisme');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('.success').innerText(), 'Réclamation validée et transmise à l\'organisme.');

      // Found again by a word of its message, from the box on every staff page.
      await page.getByLabel('Rechercher une requête').fill('relevé');
      await clickAndLoad(page, page.getByRole('button', { name: 'Rechercher' }));
      await clean(page, `search results at ${width}`);
      assert.ok(await page.getByRole('link', { name: complaint }).isVisible());
    } finally {
      await context.close();
    }
  });
}

test('axe on the focal point\'s pages and every administration page, in French and English', async () => {
  const focal = await staffPage(browser, w, 'point-focal.education@milie.local', { width: 390 });
  const admin = await staffPage(browser, w, 'admin@milie.local', { width: 1280 });
  try {
    for (const lang of ['fr', 'en']) {
      for (const path of ['/agent', '/agent?file=transmises', '/agent?file=traitees']) {
        await focal.page.goto(`${w.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await clean(focal.page, `${path} (${lang})`);
      }
      for (const path of ['/agent/admin', '/agent/admin/agents', '/agent/admin/organismes', '/agent/admin/organismes/5', '/agent/admin/themes', '/agent/admin/lieux',
        '/agent/admin/jours-feries', '/agent/admin/cles-api', '/agent/admin/modeles', '/agent/admin/notifications', '/agent/admin/parametres', '/agent/admin/agents/2/desactiver', '/agent/telephone']) {
        await admin.page.goto(`${w.url}${path}?lang=${lang}`);
        await clean(admin.page, `${path} (${lang})`);
      }
    }
    // The answer's preview, and the sign-in page, in the staff layout too.
    await focal.page.goto(`${w.url}/agent?file=a-traiter&lang=fr`);
    await focal.page.locator('main table a').first().click();
    await focal.page.getByLabel('Message de traitement').fill('Votre relevé corrigé est disponible au secrétariat.');
    await focal.page.getByRole('button', { name: 'Prévisualiser la réponse' }).click();
    assert.match(await focal.page.locator('.mail-preview').innerText(), /relevé corrigé/);
    await clean(focal.page, 'the answer preview');
    const anonymous = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    const signIn = await anonymous.newPage();
    await signIn.goto(`${w.url}/agent/connexion`);
    await clean(signIn, 'the sign-in page');
    await anonymous.close();
    // One sign-out, and the public menu is not shown to staff.
    await admin.page.goto(`${w.url}/agent?lang=fr`);
    assert.equal(await admin.page.getByRole('button', { name: 'Se déconnecter' }).count(), 1);
    assert.equal(await admin.page.getByRole('link', { name: 'Suivre une requête' }).count(), 0);
  } finally {
    await focal.context.close();
    await admin.context.close();
  }
});
