// Tracking in Chromium, without JavaScript: from the mail link alone, editing after a
// reformulation request, giving a verdict, reopening; and the pages pass axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { launch, axe } from './support/browser.mjs';
import { VALID, apiSubmit } from './support/forms.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker(), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

async function submitted() {
  const { code } = await w.newRequest({ organisme: '9', email: 'moussa@example.ci' });
  const mail = await w.mailTo('moussa@example.ci', code);
  return { code, link: mail.text.match(/http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+)/)[1] };
}

test('from the mail link alone, the citizen reads, edits after a reformulation request, judges and reopens', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  try {
    const { code, link } = await submitted();
    await page.goto(w.url + link);
    assert.equal(await page.locator('h1').innerText(), `Votre requête ${code}`);
    assert.equal(await page.locator('#stage').innerText(), 'En attente de traitement');
    // On a phone the table is a card: every cell carries its column name.
    assert.equal(await page.locator('.track-table tbody tr').evaluate((el) => getComputedStyle(el).display), 'block');

    // The analyst sends it back (the back office does this; here, the same rows directly).
    await sql(w.dir, `UPDATE requests SET stage = 'returned', version = version + 1 WHERE code = '${code}'`);
    await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, note) VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'sent_back', 'analyst', 'returned', 'Quel guichet exactement ?')`);
    await page.reload();
    assert.equal(await page.locator('#stage').innerText(), 'À reformuler');
    await page.getByRole('link', { name: 'Lire' }).click();
    assert.equal(await page.locator('#analyst-return').innerText(), 'Quel guichet exactement ?');
    await page.getByLabel('Message', { exact: true }).fill('Le guichet 2 du service des passeports, fermé depuis le 3 novembre.');
    await page.getByRole('button', { name: 'Enregistrer la modification' }).click();
    assert.match(await page.locator('.success').innerText(), /Votre modification est enregistrée/);
    assert.equal(await page.locator('#posted-message').innerText(), 'Le guichet 2 du service des passeports, fermé depuis le 3 novembre.');
    assert.equal(await page.locator('#stage').innerText(), 'En attente de traitement');

    // Validated and treated by the body.
    await sql(w.dir, `UPDATE requests SET stage = 'treated', treated_at = ${Date.now()}, version = version + 1 WHERE code = '${code}'`);
    await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, note) VALUES ((SELECT id FROM requests WHERE code = '${code}'), ${Date.now()}, 'treated', 'focal_point', 'treated', 'Le guichet a rouvert.')`);
    await page.reload();
    await page.getByRole('link', { name: 'Cliquer pour lire le message du ministère' }).click();
    assert.equal(await page.locator('#treatment-message').innerText(), 'Le guichet a rouvert.');
    await page.getByRole('link', { name: 'Donner notre avis de fin ou relancer la requête SVP !' }).click();
    await page.getByLabel('Pourquoi relancez-vous la requête ?').fill('Il était encore fermé ce matin.');
    await page.getByRole('button', { name: 'Relancer' }).click();
    assert.match(await page.locator('.success').innerText(), /Votre requête est relancée/);
    assert.equal(await page.locator('#stage').innerText(), 'En cours de traitement');

    // Treated again; this time the citizen gives a verdict.
    await sql(w.dir, `UPDATE requests SET stage = 'treated', treated_at = ${Date.now()}, version = version + 1 WHERE code = '${code}'`);
    await page.reload();
    await page.getByLabel('Partiellement satisfait').check();
    await page.getByLabel('Commentaire (facultatif)').fill('Enfin ouvert, mais après trois semaines.');
    await page.getByRole('button', { name: 'Donner mon avis' }).click();
    assert.equal(await page.locator('#verdict').innerText(), 'Partiellement satisfait');
    const timeline = await page.locator('.timeline').innerText();
    for (const step of ['Requête enregistrée', 'Renvoyée pour reformulation', 'Message modifié', 'Traitée par l\'organisme', 'Relancée par le citoyen', 'Avis du citoyen donné']) {
      assert.ok(timeline.includes(step), step);
    }
  } finally {
    await context.close();
  }
});

test('lookup by code and email in the browser, and the pages pass axe', async () => {
  const { code } = await submitted();
  const context = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
  const page = await context.newPage();
  try {
    await page.goto(w.url + '/suivi');
    assert.deepEqual(await axe(page), [], 'axe on the lookup page');
    await page.getByLabel('Code requête').fill(code);
    await page.getByLabel('Adresse électronique utilisée').fill('MOUSSA@example.ci');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForURL(`**/suivi/${code}`);
    assert.deepEqual(await axe(page), [], 'axe on the request page');
    await page.goto(w.url + '/suivi/oubli');
    assert.deepEqual(await axe(page), [], 'axe on the forgotten-code page');
  } finally {
    await context.close();
  }
});
