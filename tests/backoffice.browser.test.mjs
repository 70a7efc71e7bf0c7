// Issue 31 in Chromium: two people of one body share a queue; one takes a request, the other sees
// it held; a supervisor reassigns it; «Mes dossiers» and the alert follow. Duplicates offered at
// triage and merged through the confirmation page. axe finds nothing on every new page (queue
// with holders, request page with the holding and duplicates panels, the confirmation page, the
// dashboard, the journal, the data-rights pages), in French and in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { adminForm } from './support/agent.mjs';
import { launch, axe, staffPage, clickAndLoad } from './support/browser.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '100', SUBMIT_LIMIT_PER_HOUR: '100000' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const clean = async (page, what) => assert.deepEqual(await axe(page).catch((e) => [String(e)]), [], `axe: ${what}`);
const SECOND = 'pf2.navigateur@milie.local';
const BOSS = 'superviseur.navigateur@milie.local';

test('two people of one body, a supervisor, and the new pages, in French and English', async () => {
  const admin = await w.signIn('admin');
  for (const [nom, email, role] of [['Awa Bamba', SECOND, 'focal_point'], ['Yao Koffi', BOSS, 'supervisor']]) {
    assert.equal((await adminForm(w, admin, '/agent/admin/agents', { nom, email, role, organisme: '5' }, { from: '/agent/admin/agents' })).status, 303);
  }
  const { code } = await w.newRequest({ message: 'Les résultats du BTS ne sont pas affichés au lycée technique.' });
  const analyst = await staffPage(browser, w, 'analyste@milie.local');
  const focal = await staffPage(browser, w, 'point-focal.education@milie.local');
  const second = await staffPage(browser, w, SECOND);
  const boss = await staffPage(browser, w, BOSS);
  try {
    await analyst.page.goto(`${w.url}/agent/requetes/${code}`);
    await analyst.page.getByRole('button', { name: "Valider (recevable) et transmettre à l'organisme" }).click();
    // One takes it.
    await focal.page.goto(`${w.url}/agent/requetes/${code}`);
    await clean(focal.page, 'request page with «Je m\'en charge»');
    await focal.page.getByRole('button', { name: "Je m'en charge" }).click();
    assert.equal(await focal.page.locator('#holder').innerText(), 'Vous vous en chargez');
    // The other sees it held, in the shared queue.
    await second.page.goto(`${w.url}/agent?file=a-traiter`);
    await clean(second.page, 'queue with holders');
    const row = second.page.locator('tr', { has: second.page.getByRole('link', { name: code }) });
    assert.match(await row.innerText(), /Prise en charge par Point focal/);
    await second.page.goto(`${w.url}/agent/requetes/${code}`);
    assert.match(await second.page.locator('#holder').innerText(), /^Prise en charge par /);
    assert.equal(await second.page.getByRole('button', { name: "Je m'en charge" }).count(), 0);
    // The supervisor gives it to the other, with the reason.
    await boss.page.goto(`${w.url}/agent/requetes/${code}`);
    await clean(boss.page, 'request page with «Attribuer à un collègue»');
    await boss.page.getByLabel('Collègue de l\'organisme').selectOption({ label: 'Awa Bamba' });
    await boss.page.getByLabel("Motif de l'attribution").fill('Awa suit ce lycée.');
    await boss.page.getByRole('button', { name: 'Attribuer à un collègue' }).click();
    assert.equal(await boss.page.locator('.success').innerText(), 'Requête attribuée ; la personne en est avertie.');
    await w.mailTo(SECOND, 'Requête qui vous est attribuée');
    await second.page.goto(`${w.url}/agent?file=mes-dossiers`);
    await clean(second.page, '«Mes dossiers»');
    assert.equal(await second.page.getByRole('link', { name: code }).count(), 1);
    await focal.page.goto(`${w.url}/agent?file=mes-dossiers`);
    assert.equal(await focal.page.getByRole('link', { name: code }).count(), 0);

    // Duplicates at triage, merged through the confirmation page.
    const place = (await sql(w.dir, "SELECT id FROM places WHERE kind = 'commune' ORDER BY id LIMIT 1 OFFSET 7"))[0].id;
    const same = { localite: String(place), message: 'Le pont du quartier est coupé, les enfants ne peuvent plus aller à l\'école.' };
    const main = await w.newRequest(same);
    const dup = await w.newRequest({ ...same, message: `${same.message} Depuis lundi.` });
    await analyst.page.goto(`${w.url}/agent/requetes/${main.code}`);
    await clean(analyst.page, 'request page with possible duplicates');
    await analyst.page.getByLabel(`Rattacher ${dup.code}`).check();
    await clickAndLoad(analyst.page, analyst.page.getByRole('button', { name: 'Rattacher les requêtes cochées à celle-ci' }));
    await clean(analyst.page, 'merge confirmation page');
    await analyst.page.getByRole('button', { name: 'Fusionner' }).click();
    await analyst.page.waitForURL(/rattachees=1/);
    assert.match(await analyst.page.locator('#rattachees').innerText(), new RegExp(dup.code));
    await analyst.page.goto(`${w.url}/agent/requetes/${dup.code}`);
    assert.match(await analyst.page.locator('#principale').innerText(), new RegExp(main.code));

    // Every new page, in French and English, is clean.
    const adminPage = await staffPage(browser, w, 'admin@milie.local');
    for (const lang of ['fr', 'en']) {
      for (const [who, path] of [[boss, '/agent/tableau-de-bord'], [adminPage, '/agent/admin/journal'], [adminPage, '/agent/admin/donnees'], [analyst, `/agent/requetes/${dup.code}/defusionner`], [second, '/agent']]) {
        await who.page.goto(`${w.url}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        await clean(who.page, `${path} (${lang})`);
      }
    }
    // The data-rights pages: the requests found, then the confirmation.
    await adminPage.page.goto(`${w.url}/agent/admin/donnees?lang=fr`);
    await adminPage.page.getByLabel('Code de la requête').fill(code);
    const email = (await sql(w.dir, `SELECT email FROM requests WHERE code = '${code}'`))[0].email;
    await adminPage.page.getByLabel('Adresse électronique ou mobile donné sur la requête').fill(email);
    await clickAndLoad(adminPage.page, adminPage.page.getByRole('button', { name: 'Vérifier' }));
    await clean(adminPage.page, 'data rights: the requests found');
    await clickAndLoad(adminPage.page, adminPage.page.getByRole('button', { name: 'Effacer' }));
    await clean(adminPage.page, 'data rights: the erasure confirmation');
    assert.match(await adminPage.page.locator(`#en-cours-${code}`).innerText(), /encore en cours de traitement/);
    for (const p of [analyst, focal, second, boss, adminPage]) await p.context.close();
  } catch (e) {
    for (const p of [analyst, focal, second, boss]) await p.context.close().catch(() => {});
    throw e;
  }
});
