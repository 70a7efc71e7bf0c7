// A citizen with a phone and no email, in Chromium: submits, tracks with the code sent by SMS, and
// lets the form find the place from the position; every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { launch, axe, staffPage } from './support/browser.mjs';
import { eventually } from './support/eventually.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '1000' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });


test('phone only: submit, get the code by SMS, track with the one-time code', async () => {
  // CSP bypassed only so that axe can be injected for the accessibility checks.
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  // «Etes-vous sûr de vouloir soumettre ces informations ?»: yes.
  let dialogs = 0;
  page.on('dialog', (dialog) => { dialogs += 1; dialog.accept(); });
  try {
    await page.goto(`${w.url}/requete/nouvelle?nature=reclamation&organisme=2`);
    assert.match(await page.locator('#contact-either').innerText(), /au moins l'un des deux/);
    await page.getByLabel('Message').fill('La route de mon village est coupée depuis les pluies de la semaine dernière.');
    // The village is not in the page: typing asks the server, which adds it to the list.
    await page.getByLabel('Chercher une ville ou un village').fill('zyogou');
    // Enter in the search box searches; it does not submit the request (no confirmation asked).
    await page.getByLabel('Chercher une ville ou un village').press('Enter');
    await page.locator('#localite option', { hasText: 'Zyogouiné' }).waitFor({ state: 'attached' });
    assert.equal(dialogs, 0, 'no confirmation asked');
    assert.match(page.url(), /\/requete\/nouvelle\?/);
    assert.match(await page.locator('#localite-trouvees').innerText(), /Villes et villages trouvés, ajoutés à la liste : 1\./);
    await page.getByLabel('Commune ou S/Préfecture').selectOption({ label: 'Zyogouiné (Ziogouiné)' });
    assert.deepEqual(await axe(page), []);
    await page.getByLabel('Téléphone portable').fill('07 11 22 33 44');
    await page.getByLabel("J'accepte l'ensemble des termes").check();
    // The registration can take a while on a loaded 2-core CI machine: wait for the page itself.
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click({ noWaitAfter: true });
    await page.waitForURL(/\/requete\/enregistree/, { timeout: 90_000 });
    assert.deepEqual(await axe(page), []);
    const code = await page.locator('#request-code').innerText();
    assert.match(code, /^\d{8}$/);
    assert.match(await page.locator('main').innerText(), /Un SMS avec ce numéro et un lien de suivi est envoyé au \+2250711223344/);
    await eventually(() => w.inbox.state.sms.find((s) => s.to === '+2250711223344' && s.text.includes(code)), { what: 'the confirmation SMS' });
    assert.equal(w.inbox.state.mails.filter((m) => m.subject.includes(code)).length, 0, 'no mail');
    assert.deepEqual(await sql(w.dir, `SELECT p.name FROM requests r JOIN places p ON p.id = r.place_id WHERE r.code = '${code}'`), [{ name: 'Zyogouiné' }]);

    await page.goto(`${w.url}/suivi`);
    await page.getByLabel('Code requête').fill(code);
    await page.getByLabel('Ou numéro de portable utilisé').fill('07 11 22 33 44');
    await page.getByRole('button', { name: 'Valider' }).click();
    assert.match(await page.locator('.success').innerText(), /code de vérification à 6 chiffres/);
    assert.deepEqual(await axe(page), []);
    const sms = await eventually(() => w.inbox.state.sms.find((s) => s.to === '+2250711223344' && /code pour suivre/.test(s.text)), { what: 'the one-time code' });
    const otp = sms.text.match(/^Milie : (\d{6}) /)[1];
    await page.getByLabel('Code de vérification reçu par SMS').fill(otp);
    await page.getByRole('button', { name: 'Valider' }).click();
    assert.equal(await page.locator('h1').innerText(), `Votre requête ${code}`);
    assert.equal(await page.locator('#stage').innerText(), 'En attente de traitement');
    assert.deepEqual(await axe(page), []);
  } finally {
    await context.close();
  }
});

test('without JavaScript: «Chercher» brings the village into the list, then the request is about it', async () => {
  // The form's script never loads (as on a browser without JavaScript); axe still runs.
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  const page = await context.newPage();
  await page.route('**/assets/submit.*.js', (route) => route.abort());
  try {
    await page.goto(`${w.url}/requete/nouvelle?nature=reclamation&organisme=2`);
    assert.deepEqual(await axe(page), []);
    await page.getByLabel('Message').fill('Le pont qui mène au marché du village est tombé pendant la nuit.');
    await page.getByLabel('Chercher une ville ou un village').fill('zyogou');
    await page.getByRole('button', { name: 'Chercher', exact: true }).click();
    assert.equal(await page.locator('#localite-trouvees').innerText(), 'Villes et villages trouvés, ajoutés à la liste : 1.');
    assert.equal(await page.getByLabel('Message').inputValue(), 'Le pont qui mène au marché du village est tombé pendant la nuit.');
    assert.deepEqual(await axe(page), []);
    await page.getByLabel('Commune ou S/Préfecture').selectOption({ label: 'Zyogouiné (Ziogouiné)' });
    await page.getByLabel('Téléphone portable').fill('07 22 33 44 55');
    await page.getByLabel("J'accepte l'ensemble des termes").check();
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    assert.match(await page.locator('main').innerText(), /Zyogouiné \(Ziogouiné\)/, 'the review names the village');
  } finally {
    await context.close();
  }
});

test('«Utiliser ma position» picks the nearest place, or «À l\'étranger» outside Côte d\'Ivoire', async () => {
  const context = await browser.newContext({
    locale: 'fr-FR', bypassCSP: true, permissions: ['geolocation'], geolocation: { latitude: 9.45803, longitude: -5.62961 },
  });
  const page = await context.newPage();
  try {
    await page.goto(`${w.url}/requete/nouvelle?nature=reclamation&organisme=2`);
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await eventually(async () => (await page.locator('#localite').evaluate((s) => s.options[s.selectedIndex].text)) === 'Korhogo', { what: 'Korhogo chosen' });
    assert.match(await page.locator('#localite-position').innerText(), /Lieu le plus proche de votre position : Korhogo/);
    assert.deepEqual(await axe(page), []);
  } finally {
    await context.close();
  }
  const paris = await browser.newContext({ locale: 'fr-FR', permissions: ['geolocation'], geolocation: { latitude: 48.8566, longitude: 2.3522 } });
  const abroad = await paris.newPage();
  try {
    await abroad.goto(`${w.url}/requete/nouvelle?nature=reclamation&organisme=2`);
    await abroad.getByRole('button', { name: 'Utiliser ma position' }).click();
    await eventually(async () => (await abroad.locator('#localite').inputValue()) === 'etranger', { what: 'abroad chosen' });
    assert.equal(await abroad.locator('#abroad').isVisible(), true, 'the abroad fields appear');
    assert.match(await abroad.locator('#localite-position').innerText(), /hors de Côte d'Ivoire/);
  } finally {
    await paris.close();
  }
});

test('a phone operator registers a caller without email in the staff layout and reads the code aloud', async () => {
  const { context, page } = await staffPage(browser, w, 'telephone@milie.local');
  page.on('dialog', (dialog) => dialog.accept());
  try {
    await page.goto(`${w.url}/agent/telephone?nature=reclamation&organisme=3`);
    // The workspace header, the operator's words, and no «Utiliser ma position» (the operator's
    // position says nothing of the caller's).
    assert.equal(await page.locator('nav a[aria-current="page"]').textContent(), 'Saisie téléphonique');
    assert.equal(await page.locator('h1').innerText(), "Requête d'un appelant");
    assert.equal(await page.getByRole('button', { name: 'Utiliser ma position' }).count(), 0);
    assert.deepEqual(await axe(page), []);
    await page.getByLabel("Ce que dit l'appelant").fill("L'appelant signale que le centre de santé du village est fermé depuis un mois.");
    await page.getByLabel("Portable de l'appelant").fill('05 66 77 88 99');
    await page.getByLabel("L'appelant accepte les conditions").check();
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click({ noWaitAfter: true });
    await page.waitForURL(/\/agent\/telephone\/enregistree/, { timeout: 90_000 });
    const code = await page.locator('#request-code').innerText();
    const digits = code.split('');
    assert.equal(await page.locator('.code-spoken').innerText(), `${digits.slice(0, 4).join(' ')} — ${digits.slice(4).join(' ')}`);
    assert.equal(await page.locator('nav a[aria-current="page"]').textContent(), 'Saisie téléphonique');
    assert.deepEqual(await axe(page), []);
    await eventually(() => w.inbox.state.sms.find((s) => s.to === '+2250566778899' && s.text.includes(code)), { what: 'the caller\'s SMS' });
  } finally {
    await context.close();
  }
});
