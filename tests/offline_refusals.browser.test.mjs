// What of a draft or a queued request no longer fits, in Chromium with its network emulated: the
// server's refusal (422) brought back to the form with its reasons and the files it kept, an
// expired human check asked again, a body closed meanwhile, a draft whose choices or fields changed
// — marked, never sent as it is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { launch, axe } from './support/browser.mjs';
import { startSiteverify } from './support/siteverify.mjs';
import { QUEUED, citizen, fill, records, recordWhere, submit, formPosts } from './support/offline.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const form = (body) => `/requete/nouvelle?nature=reclamation&organisme=${body}`;
const theme = async (w, label) => (await sql(w.dir, `SELECT id FROM themes WHERE body_id IS NULL AND label_fr = '${label.replaceAll("'", "''")}'`))[0].id;

/** Fills the form, waits for its draft, then submits it offline: the request waits on the device. */
async function queueOffline(context, page, fields) {
  await fill(page, fields);
  await recordWhere(page, (r) => r.state === 'draft' && r.fields.email === fields.email && r.files.length === (fields.files ?? [1, 2]).length, 'the draft');
  await context.setOffline(true);
  await submit(page);
  await page.getByText(QUEUED).waitFor();
  return (await records(page)).find((r) => r.state === 'queued');
}

test('a queued request the server refuses (422) comes back to the form with its reasons and its files', async () => {
  const { context, page } = await citizen(browser, w);
  const id = await theme(w, 'Délivrance d\'un document');
  try {
    await page.goto(w.url + form(7));
    const queued = await queueOffline(context, page, { message: 'Mon casier judiciaire demandé en ligne n\'est jamais arrivé.', email: 'refused@example.ci', theme: 'Délais : Délivrance d\'un document' });
    // Meanwhile the theme is withdrawn: the server will refuse the request as it is.
    await sql(w.dir, `UPDATE themes SET active = 0 WHERE id = ${id}`);
    await context.setOffline(false);
    await page.locator('#error-summary').waitFor();
    assert.match(page.url(), /\/requete\/nouvelle\?nature=reclamation&organisme=7$/);
    assert.match(await page.locator('#error-summary').innerText(), /Choisissez un thème dans la liste\./);
    assert.equal(await page.locator('#error-summary a[href="#theme"]').count(), 1);
    assert.equal(await page.getByLabel('Message').inputValue(), 'Mon casier judiciaire demandé en ligne n\'est jamais arrivé.');
    assert.match(await page.locator('ul.files').innerText(), /recu\.pdf[\s\S]*guichet\.jpg/, 'the files, kept by the server');
    assert.equal(await page.locator('input[name=form_key]').inputValue(), queued.key);
    assert.deepEqual(await sql(w.dir, `SELECT id FROM requests WHERE email = 'refused@example.ci'`), []);
    assert.deepEqual(await axe(page), []);
    // Corrected, it goes: its files with it, once each.
    await page.getByLabel('Thème').selectOption({ label: 'Accueil : Temps d\'attente' });
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    const [request] = await sql(w.dir, `SELECT id, idempotency_key AS key FROM requests WHERE email = 'refused@example.ci'`);
    assert.equal(request.key, queued.key);
    assert.deepEqual((await sql(w.dir, `SELECT file_name FROM attachments WHERE request_id = ${request.id} ORDER BY file_name`)).map((f) => f.file_name), ['guichet.jpg', 'recu.pdf']);
  } finally {
    await sql(w.dir, `UPDATE themes SET active = 1 WHERE id = ${id}`);
    await context.close();
  }
});

test('a queued request to a body closed meanwhile comes back as a draft, its body marked, sent nowhere as it is', async () => {
  const { context, page } = await citizen(browser, w);
  try {
    await page.goto(w.url + form(3));
    await queueOffline(context, page, { message: 'Le renouvellement de mon passeport au consulat est bloqué.', email: 'closed.body@example.ci', files: [] });
    await sql(w.dir, 'UPDATE bodies SET active = 0 WHERE id = 3');
    await context.setOffline(false);
    // The body choice: the draft waits on the device.
    await page.waitForURL(/\/requete\/nouvelle\?nature=reclamation$/);
    assert.equal((await records(page)).filter((r) => r.state === 'draft' && r.gone).length, 1);
    await page.getByRole('link', { name: 'Ministère de l\'Éducation nationale, de l\'Alphabétisation et de l\'Enseignement technique' }).click();
    await page.getByRole('button', { name: 'Reprendre mon brouillon' }).waitFor();
    assert.match(await page.locator('#brouillon').innerText(), /adressé à Ministère d'État, Ministère des Affaires étrangères et de la Coopération internationale\./);
    await page.getByRole('button', { name: 'Reprendre mon brouillon' }).click();
    assert.match(await page.locator('#brouillon-resume').innerText(),
      /Votre brouillon était adressé à Ministère d'État, Ministère des Affaires étrangères et de la Coopération internationale, qui ne reçoit plus de requêtes : il sera adressé à l'organisme ci-dessus\./);
    assert.equal(await page.getByLabel('Message').inputValue(), 'Le renouvellement de mon passeport au consulat est bloqué.');
    assert.deepEqual(await axe(page), []);
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    assert.deepEqual(await sql(w.dir, `SELECT body_id FROM requests WHERE email = 'closed.body@example.ci'`), [{ body_id: 5 }]);
  } finally {
    await sql(w.dir, 'UPDATE bodies SET active = 1 WHERE id = 3');
    await context.close();
  }
});

test('a draft that no longer fits the form comes back with the fields marked, and is not submitted as it is', async () => {
  const { context, page } = await citizen(browser, w);
  const posts = formPosts(context);
  const id = await theme(w, 'Coût ou frais demandés');
  try {
    await page.goto(w.url + form(8));
    await fill(page, { message: 'On m\'a demandé de payer des frais non prévus pour un certificat.', email: 'misfit@example.ci', theme: 'Prestations : Coût ou frais demandés', files: [] });
    const draft = await recordWhere(page, (r) => r.state === 'draft' && r.fields.email === 'misfit@example.ci' && r.fields.theme, 'the draft');
    // Since: the theme withdrawn, «prenoms» renamed (a later form), a field gone.
    await sql(w.dir, `UPDATE themes SET active = 0 WHERE id = ${id}`);
    await page.evaluate((key) => store.update(key, (r) => {
      r.fields = r.fields.map((f) => (f[0] === 'prenoms' ? ['prenom', f[1]] : f)).concat([['quartier', 'Sicogi']]);
      r.labels.prenom = r.labels.prenoms;
      r.labels.quartier = 'Quartier';
      return r;
    }), draft.key);
    await page.reload();
    await page.getByRole('button', { name: 'Reprendre mon brouillon' }).click();
    const summary = page.locator('#brouillon-resume');
    assert.equal(await summary.locator('h2').innerText(), 'Votre brouillon ne correspond plus tout à fait au formulaire');
    assert.deepEqual(await summary.locator('li').allInnerTexts(), [
      'Thème : Le choix de votre brouillon («Prestations : Coût ou frais demandés») n\'est plus proposé : choisissez de nouveau.',
      'Prénoms : Ce champ a changé depuis votre brouillon : vérifiez-le.',
      'Ces éléments de votre brouillon n\'ont plus de place dans le formulaire : Quartier : Sicogi',
    ]);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'brouillon-resume');
    assert.equal(await page.getByLabel('Thème').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Thème').inputValue(), '');
    assert.equal(await page.getByLabel('Prénoms').inputValue(), 'Awa');
    assert.equal(await page.getByLabel('Prénoms').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axe(page), []);

    // Not submitted as it is: the summary again.
    await page.locator('#message').focus();
    await submit(page);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'brouillon-resume');
    assert.deepEqual(posts, { answered: 0, failed: 0 });
    // Each marked field looked at, it goes.
    await page.getByLabel('Thème').selectOption({ label: 'Accueil : Temps d\'attente' });
    await page.getByLabel('Prénoms').fill('Awa Marie');
    assert.equal(await page.locator('[aria-invalid=true]').count(), 0);
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    assert.deepEqual(await sql(w.dir, `SELECT first_names FROM requests WHERE email = 'misfit@example.ci'`), [{ first_names: 'Awa Marie' }]);
  } finally {
    await sql(w.dir, `UPDATE themes SET active = 1 WHERE id = ${id}`);
    await context.close();
  }
});

test('a human check that expired while the request waited is asked again, not failed silently', async () => {
  const siteverify = await startSiteverify();
  const tw = await startWorker({ vars: { TURNSTILE_SECRET: 'test-secret', TURNSTILE_SITE_KEY: 'site-key-123', TURNSTILE_VERIFY_URL: siteverify.url } });
  const { context, page } = await citizen(browser, tw, { notifications: true });
  // Cloudflare's widget, played locally: it leaves the token of the moment in the form.
  let token = 'expired-token';
  await context.route('https://challenges.cloudflare.com/turnstile/v0/api.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: `document.querySelectorAll('.cf-turnstile').forEach(function (d) { var i = document.createElement('input');
      i.type = 'hidden'; i.name = 'cf-turnstile-response'; i.value = ${JSON.stringify(token)}; d.appendChild(i); });`,
  }));
  try {
    await page.goto(tw.url + form(2));
    await page.locator('input[name=cf-turnstile-response]').waitFor({ state: 'attached' });
    await queueOffline(context, page, { message: 'Ma pension d\'ancien militaire n\'est plus versée depuis mars.', email: 'human@example.ci', files: [] });
    token = 'good-token';
    await context.setOffline(false);
    // Sent with the token of an hour ago: the server asks for the check again, and so does the page.
    await page.locator('#cf-turnstile-response-error').waitFor();
    assert.match(await page.locator('#cf-turnstile-response-error').innerText(), /La vérification anti-robot n'a pas abouti/);
    assert.equal(await page.getByLabel('Message').inputValue(), 'Ma pension d\'ancien militaire n\'est plus versée depuis mars.');
    // The service worker shows its notification once it has read the answer: waited for.
    const shown = await eventually(async (seen) => {
      const list = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((all) => all.map((n) => n.body)));
      seen(list);
      return list.length > 0 && list;
    }, { what: "the service worker's notification that the human check is asked again", worker: tw });
    assert.deepEqual(shown, ['Votre requête à Vice-Premier Ministre, Ministre de la Défense attend : confirmez que vous n\'êtes pas un robot.']);
    assert.deepEqual(await sql(tw.dir, `SELECT id FROM requests WHERE email = 'human@example.ci'`), []);
    await page.locator('input[name=cf-turnstile-response][value=good-token]').waitFor({ state: 'attached' });
    await submit(page);
    await page.waitForURL(/\/requete\/enregistree\?f=/);
    assert.equal((await sql(tw.dir, `SELECT id FROM requests WHERE email = 'human@example.ci'`)).length, 1);
    assert.deepEqual(siteverify.calls.map((c) => c.response), ['expired-token', 'good-token']);
  } finally {
    await context.close();
    await tw.stop();
    await siteverify.stop();
  }
});
