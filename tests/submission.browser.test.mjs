// The whole submission path in Chromium: with JavaScript (the guide's confirmation dialog) and
// without (the review page, «Retour» keeping everything, attachments included).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { launch, axe } from './support/browser.mjs';
import { r2Keys } from './support/r2.mjs';
import { PDF, JPEG } from './support/forms.mjs';

let worker;
let browser;
before(async () => { [worker, browser] = await Promise.all([startWorker(), launch()]); });
after(async () => { await browser?.close(); await worker?.stop(); });

const FILES = [
  { name: 'recu.pdf', mimeType: 'application/pdf', buffer: PDF },
  { name: 'guichet.jpg', mimeType: 'image/jpeg', buffer: JPEG },
];

async function fillForm(page) {
  await page.getByLabel('Commune ou S/Préfecture').selectOption({ label: 'Yopougon' });
  await page.getByLabel('Thème').selectOption({ label: 'Accueil : Temps d\'attente' });
  await page.getByLabel('Message').fill("J'ai attendu six heures au guichet sans être reçu, malgré mon rendez-vous.");
  await page.getByLabel('Pièces jointes').setInputFiles(FILES);
  await page.getByLabel('Nom', { exact: true }).fill('Koné');
  await page.getByLabel('Prénoms').fill('Awa');
  await page.getByLabel('Téléphone portable').fill('05 44 33 22 11');
  await page.getByLabel('Email').fill('awa.kone@example.ci');
  await page.getByLabel(/J'accepte l'ensemble des termes/).check();
}

async function assertStored(code) {
  const [request] = await sql(worker.dir, `SELECT id, body_id, nature, phone, email, last_name FROM requests WHERE code = '${code}'`);
  assert.ok(request, `request ${code} in D1`);
  assert.deepEqual([request.nature, request.phone, request.email, request.last_name], ['reclamation', '+2250544332211', 'awa.kone@example.ci', 'Koné']);
  const files = await sql(worker.dir, `SELECT file_name, kind, r2_key FROM attachments WHERE request_id = ${request.id} ORDER BY file_name`);
  assert.deepEqual(files.map((f) => [f.file_name, f.kind]), [['guichet.jpg', 'jpeg'], ['recu.pdf', 'pdf']]);
  const keys = await r2Keys(worker.dir);
  for (const f of files) assert.ok(keys.includes(f.r2_key), `${f.file_name} in R2`);
}

test('with JavaScript: menu → body → form → «Etes-vous sûr…» OK → the code', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  try {
    await page.goto(worker.url + '/');
    await page.locator('nav summary').click();
    await page.getByRole('link', { name: 'Réclamation' }).first().click();
    await page.getByRole('link', { name: 'Ministère de l\'Éducation nationale, de l\'Alphabétisation et de l\'Enseignement technique' }).click();
    await page.waitForURL(/organisme=/);
    assert.equal(await page.locator('h1').innerText(), 'Exprimez votre préoccupation');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'no sideways scrolling on a phone');
    // The abroad fields only show when «À l'étranger» is chosen.
    assert.equal(await page.locator('#abroad').isVisible(), false);
    await page.getByLabel('Commune ou S/Préfecture').selectOption('etranger');
    assert.equal(await page.locator('#abroad').isVisible(), true);
    // The place filter narrows the long list.
    await page.getByLabel('Chercher une ville ou un village').fill('bouake');
    // The département of Bouaké matches: its commune and sous-préfectures stay, nothing else.
    assert.deepEqual(await page.locator('#localite option:not([hidden])').allInnerTexts(), ['Sélectionnez…', 'À l\'étranger', 'Bouaké', 'Bouaké (S/P)', 'Bounda', 'Brobo', 'Djébonoua', 'Mamini']);
    await page.getByLabel('Chercher une ville ou un village').fill('');
    await fillForm(page);
    assert.match(await page.locator('#message-count').innerText(), /^\d+ caractères restants$/);

    let question = '';
    page.once('dialog', async (dialog) => { question = dialog.message(); await dialog.dismiss(); });
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    assert.match(question, /^Etes-vous sûr de vouloir soumettre ces informations \?/);
    assert.match(page.url(), /organisme=/, 'Annuler stays on the form');

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await page.waitForURL(/\/requete\/enregistree/);
    assert.equal(await page.locator('h1').innerText(), 'Votre Réclamation a bien été enregistrée.');
    const code = await page.locator('#request-code').innerText();
    assert.match(code, /^\d{8}$/);
    await assertStored(code);
  } finally {
    await context.close();
  }
});

test('without JavaScript: review page, «Retour» keeps everything, then «Soumettre votre requête»', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(worker.url + '/requete/nouvelle?nature=reclamation');
    await page.getByLabel('Rechercher un organisme').fill('éducation');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('link', { name: 'Ministère de l\'Éducation nationale, de l\'Alphabétisation et de l\'Enseignement technique' }).click();
    await fillForm(page);
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Vérifiez votre requête');
    const review = await page.locator('dl.review').innerText();
    for (const text of ['Yopougon', 'Accueil : Temps d\'attente', 'J\'ai attendu six heures', 'recu.pdf', 'guichet.jpg', 'Koné', '05 44 33 22 11']) {
      assert.ok(review.includes(text), `review shows ${text}`);
    }

    await page.getByRole('button', { name: 'Retour' }).click();
    assert.equal(await page.locator('h1').innerText(), 'Exprimez votre préoccupation');
    assert.equal(await page.getByLabel('Message').inputValue(), "J'ai attendu six heures au guichet sans être reçu, malgré mon rendez-vous.");
    assert.equal(await page.getByLabel('Téléphone portable').inputValue(), '05 44 33 22 11');
    assert.equal(await page.getByLabel('Commune ou S/Préfecture').inputValue(), await page.locator('#localite option', { hasText: 'Yopougon' }).getAttribute('value'));
    assert.equal(await page.getByLabel(/J'accepte l'ensemble des termes/).isChecked(), true);
    assert.match(await page.locator('ul.files').innerText(), /recu\.pdf[\s\S]*guichet\.jpg/, 'attachments kept');

    await page.getByLabel('Prénoms').fill('Awa Marie');
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    assert.match(await page.locator('dl.review').innerText(), /Awa Marie/);
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await page.waitForURL(/\/requete\/enregistree/);
    const code = await page.locator('#request-code').innerText();
    await assertStored(code);
    const [{ first_names: firstNames }] = await sql(worker.dir, `SELECT first_names FROM requests WHERE code = '${code}'`);
    assert.equal(firstNames, 'Awa Marie');
  } finally {
    await context.close();
  }
});

test('errors are announced at the top, linked to their fields, and the pages pass axe', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  const page = await context.newPage();
  try {
    for (const path of ['/conditions-utilisation', '/requete/nouvelle', '/requete/nouvelle?nature=observation', '/requete/nouvelle?nature=observation&organisme=1']) {
      await page.goto(worker.url + path);
      assert.deepEqual(await axe(page), [], `axe on ${path}`);
    }
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await page.waitForSelector('.error-summary');
    assert.match(await page.title(), /^Erreur — /);
    await page.locator('.error-summary a[href="#email"]').click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'email');
    assert.deepEqual(await axe(page), [], 'axe on the form with errors');
    // The review and confirmation pages too.
    await page.getByLabel('Message').fill('Une observation sur la propreté des locaux du ministère.');
    await page.getByLabel('Téléphone portable').fill('0707070707');
    await page.getByLabel('Email').fill('obs@example.ci');
    await page.getByLabel(/J'accepte l'ensemble des termes/).check();
    await page.evaluate(() => { document.querySelector('input[name=action]').value = 'verifier'; document.getElementById('submission').submit(); });
    await page.waitForSelector('dl.review');
    assert.deepEqual(await axe(page), [], 'axe on the review page');
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await page.waitForURL(/\/requete\/enregistree/);
    assert.deepEqual(await axe(page), [], 'axe on the confirmation page');
  } finally {
    await context.close();
  }
});
