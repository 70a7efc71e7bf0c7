// The full lifecycle with the real UIs in Chromium: the citizen submits → the analyst sends it back
// → the citizen edits → the analyst validates → the focal point treats → the citizen is «Non
// satisfait» → the analyst clarifies → the citizen reads the reply. Every mail arrives once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { launch, axe, staffPage, clickAndLoad } from './support/browser.mjs';

let w;
let browser;
before(async () => { [w, browser] = await Promise.all([startWorker({ vars: { SIGN_IN_LIMIT_PER_HOUR: '100' } }), launch()]); });
after(async () => { await browser?.close(); await w?.stop(); });

const mailTo = (address, subject) => w.mailTo(address, subject);

test('the whole lifecycle through the citizen\'s and the staff\'s pages', async () => {
  const citizenContext = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const citizen = await citizenContext.newPage();
  const analyst = await staffPage(browser, w, 'analyste@milie.local');
  const focal = await staffPage(browser, w, 'point-focal.education@milie.local');
  try {
    // The citizen submits (no JavaScript: review page).
    await citizen.goto(w.url + '/requete/nouvelle?nature=reclamation&organisme=5');
    await citizen.getByLabel('Message').fill("Mon diplôme n'a pas été délivré malgré trois passages au guichet.");
    await citizen.getByLabel('Téléphone portable').fill('07 00 11 22 33');
    await citizen.getByLabel('Email').fill('cycle.navigateur@example.ci');
    await citizen.getByLabel(/J'accepte l'ensemble des termes/).check();
    await citizen.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await citizen.getByRole('button', { name: 'Soumettre votre requête' }).click();
    const code = await citizen.locator('#request-code').innerText();

    // The analyst finds it in the queue and sends it back.
    await analyst.page.goto(w.url + '/agent');
    await clickAndLoad(analyst.page, analyst.page.getByRole('link', { name: code }));
    assert.deepEqual(await axe(analyst.page).catch((e) => [String(e)]), [], 'axe on the staff request page');
    // Sending back is not the main action: it waits under «Autres actions».
    await analyst.page.getByText('Autres actions').click();
    await analyst.page.getByLabel('Message au citoyen').first().fill("Précisez l'année du diplôme et l'établissement.");
    await analyst.page.getByRole('button', { name: 'Rejeter pour reformulation' }).click();
    assert.equal(await analyst.page.locator('.success').innerText(), 'Requête renvoyée au citoyen pour reformulation.');

    // The citizen follows the mail link and edits.
    const returned = await mailTo('cycle.navigateur@example.ci', 'à reformuler');
    await citizen.goto(returned.text.match(/http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+)/)[1].replace(/^/, w.url));
    assert.equal(await citizen.locator('#analyst-return').innerText(), "Précisez l'année du diplôme et l'établissement.");
    await citizen.getByLabel('Message', { exact: true }).fill('Diplôme de BTS 2022, lycée technique de Cocody, toujours pas délivré.');
    await citizen.getByRole('button', { name: 'Enregistrer la modification' }).click();
    assert.match(await citizen.locator('.success').innerText(), /Votre modification est enregistrée/);

    // The analyst validates; the focal point treats.
    await analyst.page.goto(`${w.url}/agent/requetes/${code}`);
    assert.equal(await analyst.page.locator('#message').innerText(), 'Diplôme de BTS 2022, lycée technique de Cocody, toujours pas délivré.');
    await analyst.page.getByRole('button', { name: 'Valider (recevable) et transmettre à l\'organisme' }).click();
    assert.equal(await analyst.page.locator('.success').innerText(), 'Réclamation validée et transmise à l\'organisme.');
    await focal.page.goto(w.url + '/agent');
    await focal.page.getByRole('link', { name: code }).click();
    await focal.page.getByLabel('Message de traitement').fill('Votre diplôme est disponible au service des examens, bureau 12.');
    await focal.page.getByRole('button', { name: 'Prévisualiser la réponse' }).click();
    assert.match(await focal.page.locator('.mail-preview').innerText(), /bureau 12/);
    await focal.page.getByRole('button', { name: 'Confirmer et envoyer la réponse' }).click();
    assert.equal(await focal.page.locator('.success').innerText(), 'Réponse envoyée au citoyen.');

    // The citizen is not satisfied.
    const answered = await mailTo('cycle.navigateur@example.ci', 'Réponse à votre réclamation');
    await citizen.goto(answered.text.match(/http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+)/)[1].replace(/^/, w.url));
    assert.equal(await citizen.locator('#treatment-message').innerText(), 'Votre diplôme est disponible au service des examens, bureau 12.');
    await citizen.getByLabel('Non satisfait').check();
    await citizen.getByRole('button', { name: 'Donner mon avis' }).click();
    assert.equal(await citizen.locator('#verdict').innerText(), 'Non satisfait');

    // The analyst sees it come back and clarifies; the citizen reads «Lire le retour».
    await analyst.page.goto(w.url + '/agent?file=avis');
    await analyst.page.getByRole('link', { name: code }).click();
    await analyst.page.getByLabel('Message au citoyen').fill('Le bureau 12 est ouvert du lundi au jeudi, de 8 h à 15 h.');
    await analyst.page.getByRole('button', { name: 'Envoyer une clarification au citoyen' }).click();
    const reply = await mailTo('cycle.navigateur@example.ci', 'Message de l\'analyste');
    await citizen.goto(reply.text.match(/http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+)/)[1].replace(/^/, w.url));
    await citizen.getByRole('link', { name: 'Lire le retour' }).click();
    assert.equal(await citizen.locator('#analyst-reply').innerText(), 'Le bureau 12 est ouvert du lundi au jeudi, de 8 h à 15 h.');

    // Every mail arrived once.
    const subjects = w.inbox.state.mails.filter((m) => m.to[0] === 'cycle.navigateur@example.ci').map((m) => m.subject);
    // One mail per step; a queue does not promise their order.
    assert.deepEqual([...subjects].sort(), [
      `Miliê — Votre réclamation n° ${code} est enregistrée`,
      `Miliê — Votre requête n° ${code} est à reformuler`,
      `Miliê — Votre réclamation n° ${code} est transmise`,
      `Miliê — Réponse à votre réclamation n° ${code}`,
      `Miliê — Message de l'analyste sur votre requête n° ${code}`,
    ].sort());
    assert.equal(new Set(w.inbox.state.mails.map((m) => m.idempotencyKey)).size, w.inbox.state.mails.length);
  } finally {
    await citizenContext.close();
    await analyst.context.close();
    await focal.context.close();
  }
});

test('an observation: citizen → analyst «Transmettre» → the focal point\'s «Transmises» → «Prendre en compte» → the citizen', async () => {
  const citizenContext = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false, bypassCSP: true });
  const citizen = await citizenContext.newPage();
  const analyst = await staffPage(browser, w, 'analyste@milie.local');
  const focal = await staffPage(browser, w, 'point-focal.education@milie.local');
  try {
    await citizen.goto(w.url + '/requete/nouvelle?nature=observation&organisme=5');
    await citizen.getByLabel('Message').fill('Les toilettes du lycée moderne de Treichville sont fermées depuis la rentrée.');
    await citizen.getByLabel('Téléphone portable').fill('07 00 44 55 66');
    await citizen.getByLabel('Email').fill('observation.navigateur@example.ci');
    await citizen.getByLabel(/J'accepte l'ensemble des termes/).check();
    await citizen.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await citizen.getByRole('button', { name: 'Soumettre votre requête' }).click();
    const code = await citizen.locator('#request-code').innerText();

    // The analyst reads it and passes it on to the body.
    await analyst.page.goto(`${w.url}/agent/requetes/${code}`);
    await analyst.page.getByRole('button', { name: 'Marquer lue et transmise' }).click();
    assert.equal(await analyst.page.locator('.success').innerText(), 'Requête transmise à l\'organisme.');
    assert.equal(await analyst.page.locator('#stage').innerText(), 'Transmise à l\'organisme, à prendre en compte');

    // The focal point is told, and finds it under «Transmises» with its message.
    await mailTo('point-focal.education@milie.local', code);
    for (const lang of ['fr', 'en']) {
      await focal.page.goto(`${w.url}/agent?file=transmises&lang=${lang}`);
      assert.deepEqual(await axe(focal.page).catch((e) => [String(e)]), [], `axe on the focal point's queue (${lang})`);
    }
    await focal.page.goto(`${w.url}/agent?file=transmises&lang=fr`);
    const forwarded = focal.page.locator('main');
    assert.match(await forwarded.innerText(), /Les toilettes du lycée moderne de Treichville/);
    await clickAndLoad(focal.page, forwarded.getByRole('link', { name: code }));
    assert.deepEqual(await axe(focal.page).catch((e) => [String(e)]), [], 'axe on the request page with «Prendre en compte»');
    await focal.page.getByLabel('Message au citoyen (facultatif)').fill('Les travaux de réparation commencent lundi.');
    await focal.page.getByRole('button', { name: 'Prendre en compte' }).click();
    assert.match(await focal.page.locator('.success').innerText(), /Prise en compte enregistrée/);
    assert.equal(await focal.page.locator('#stage').innerText(), 'Prise en compte par l\'organisme');

    // The citizen's mail, and the tracking page it leads to.
    const mail = await mailTo('observation.navigateur@example.ci', 'prise en compte');
    await citizen.goto(mail.text.match(/http:\/\/localhost:8787(\/suivi\/\d{8}\?t=[\w-]+)/)[1].replace(/^/, w.url));
    assert.match(await citizen.locator('#stage').innerText(), /^Prise en compte par Ministère de l'Éducation nationale, de l'Alphabétisation et de l'Enseignement technique le \d+\/\d+\/\d{4}$/);
    assert.equal(await citizen.locator('#taken-message').innerText(), 'Les travaux de réparation commencent lundi.');
    // (axe needs script: the same page in a browser with JavaScript.)
    const viewer = await browser.newContext({ locale: 'fr-FR', bypassCSP: true });
    const view = await viewer.newPage();
    await view.goto(citizen.url());
    assert.deepEqual(await axe(view).catch((e) => [String(e)]), [], 'axe on the tracking page');
    await viewer.close();
  } finally {
    await citizenContext.close();
    await analyst.context.close();
    await focal.context.close();
  }
});
