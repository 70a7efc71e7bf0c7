// Voice notes (issue 30): recorded in Chromium (its fake microphone), sent with the form instead
// of a written message, kept as an attachment with its length, played on the staff page; without
// JavaScript the file field does the same; recordings refused by their bytes, next to the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql, STAFF } from './support/worker.mjs';
import { launch, axe, staffPage } from './support/browser.mjs';
import { r2Keys } from './support/r2.mjs';
import { openForm, postForm, confirmationCode, fieldError, VALID, PDF } from './support/forms.mjs';

let worker;
let browser;
before(async () => { [worker, browser] = await Promise.all([startWorker(), launch({ microphone: true })]); });
after(async () => { await browser?.close(); await worker?.stop(); });

/** A PCM WAV of `seconds` at 8 kHz, 8-bit mono: a recorder's plainest file. */
function wav(seconds) {
  const data = 8000 * seconds;
  const b = Buffer.alloc(44 + data, 0x80);
  b.write('RIFF', 0); b.writeUInt32LE(36 + data, 4); b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24); b.writeUInt32LE(8000, 28); b.writeUInt16LE(1, 32); b.writeUInt16LE(8, 34);
  b.write('data', 36); b.writeUInt32LE(data, 40);
  return b;
}

const filesOf = (code) => sql(worker.dir, `SELECT a.file_name, a.kind, a.duration_ms, a.r2_key, r.message FROM attachments a
  JOIN requests r ON r.id = a.request_id WHERE r.code = '${code}' ORDER BY a.id`);

test('recorded in the browser: timer, play-back, «Recommencer», sent without a written message, played by staff', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 }, bypassCSP: true });
  await context.grantPermissions(['microphone'], { origin: worker.url });
  const page = await context.newPage();
  try {
    const res = await page.goto(`${worker.url}/requete/nouvelle?nature=reclamation&organisme=5`);
    assert.match(res.headers()['permissions-policy'], /microphone=\(self\)/, 'the form may use the microphone');
    const record = page.getByRole('button', { name: 'Enregistrer' });
    await record.click();
    // The timer runs while recording; «Arrêter» ends it.
    await page.locator('#vocal-enregistreur .timer').filter({ hasText: /^0:02 \/ 3:00$/ }).waitFor();
    assert.equal(await page.locator('#vocal-enregistreur [role=status]').innerText(), 'Enregistrement en cours');
    await page.getByRole('button', { name: 'Arrêter' }).click();
    await page.locator('#vocal-enregistreur [role=status]').filter({ hasText: /^Message enregistré \(0:0\d\)$/ }).waitFor();
    assert.ok(await page.locator('#vocal-enregistreur audio').isVisible(), 'the recording plays back');
    // «Recommencer» takes it off; a second recording replaces it.
    await page.getByRole('button', { name: 'Recommencer' }).click();
    assert.equal(await page.locator('#vocal').evaluate((i) => i.files.length), 0);
    assert.equal(await page.locator('#vocal-enregistreur audio').isVisible(), false);
    await record.click();
    await page.locator('#vocal-enregistreur .timer').filter({ hasText: /^0:03 \/ 3:00$/ }).waitFor();
    await page.getByRole('button', { name: 'Arrêter' }).click();
    await page.locator('#vocal-enregistreur [role=status]').filter({ hasText: /^Message enregistré/ }).waitFor();
    const file = await page.locator('#vocal').evaluate((i) => [i.files.length, i.files[0].name, i.files[0].type]);
    assert.deepEqual(file.slice(0, 2), [1, 'message-vocal.webm']);
    assert.deepEqual(await axe(page), [], 'the form with its recorder');

    // No written message: the voice note says it.
    await page.getByLabel('Téléphone portable').fill('05 44 33 22 11');
    await page.getByLabel(/J'accepte l'ensemble des termes/).check();
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Soumettre votre requête' }).click();
    await page.waitForURL(/\/requete\/enregistree/);
    const code = await page.locator('#request-code').innerText();
    const [stored] = await filesOf(code);
    assert.equal(stored.message, '', 'no stand-in words for the message');
    assert.equal(stored.kind, 'weba');
    assert.ok(stored.duration_ms >= 2000 && stored.duration_ms <= 6000, `a recording of about three seconds: ${stored.duration_ms} ms`);
    assert.ok((await r2Keys(worker.dir)).includes(stored.r2_key), 'the recording in R2');

    // Staff play it on the request page, where it counts among the attachments.
    const analyst = await staffPage(browser, worker, STAFF.analyst);
    try {
      await analyst.page.goto(`${worker.url}/agent/requetes/${code}`);
      assert.match(await analyst.page.locator('#message').innerText(), /le citoyen a laissé un message vocal/);
      assert.equal(await analyst.page.locator('ul.files > li').count(), 1);
      assert.match(await analyst.page.locator('ul.files > li').first().innerText(), /message-vocal\.webm \(.+, message vocal, \d s\)/);
      const player = analyst.page.getByLabel('Écouter : message-vocal.webm');
      const loaded = await player.evaluate((audio) => new Promise((resolve) => {
        audio.addEventListener('loadedmetadata', () => resolve(audio.readyState), { once: true });
        audio.addEventListener('error', () => resolve(`error ${audio.error?.code}`), { once: true });
        audio.preload = 'auto';
        audio.load();
      }));
      assert.ok(loaded >= 1, `the staff page's player reads the recording (${loaded})`);
      assert.equal(await analyst.page.getByRole('link', { name: 'Ajouter une transcription (note interne)' }).getAttribute('href'), '#note-message');
      assert.deepEqual(await axe(analyst.page), [], 'the staff page with its player');
    } finally {
      await analyst.context.close();
    }
  } finally {
    await context.close();
  }
});

test('without JavaScript: an audio file in the voice field, the written message optional; bad recordings refused next to the field', async () => {
  const form = await openForm(worker.url);
  assert.match(form.html, /<input type="file" id="vocal" name="vocal" accept="audio\/\*" capture/);
  const keysBefore = await r2Keys(worker.dir);
  const count = async () => (await sql(worker.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
  const requestsBefore = await count();

  // Refused by their bytes: a document, a recording over three minutes, a cut recording.
  for (const [name, bytes, error] of [
    ['note.wav', PDF, "Le fichier « note.wav » n'est pas un enregistrement audio (OGG, Opus, WebM, M4A, AAC, AMR, MP3 ou WAV)."],
    ['long.wav', wav(181), "L'enregistrement « long.wav » dure plus de 3 minutes : raccourcissez-le."],
    ['coupe.wav', wav(2).subarray(0, 40), "L'enregistrement « coupe.wav » est illisible (abîmé ou incomplet) : enregistrez-le à nouveau."],
  ]) {
    const res = await postForm(worker.url, form, { ...VALID, message: '', action: 'soumettre' }, [[name, bytes, 'vocal']]);
    assert.equal(res.status, 422, name);
    assert.equal(fieldError(res.html, 'vocal'), error);
    assert.equal(fieldError(res.html, 'message'), 'Saisissez votre message, ou joignez un message vocal.', 'no voice note kept: the message is needed');
    assert.ok(res.html.includes(`value="${VALID.email}"`), 'the rest of the form kept');
  }
  assert.deepEqual(await r2Keys(worker.dir), keysBefore, 'nothing refused reaches R2');
  assert.equal(await count(), requestsBefore, 'no request written');

  // Three minutes exactly, no written message: registered, the recording kept with its length.
  const posted = await postForm(worker.url, form, { ...VALID, message: '', action: 'soumettre' }, [['appel.wav', wav(180), 'vocal']]);
  assert.equal(posted.status, 303, posted.html.slice(0, 300));
  const { code } = await confirmationCode(worker.url, posted);
  assert.deepEqual((await filesOf(code)).map((f) => [f.file_name, f.kind, f.duration_ms, f.message]), [['appel.wav', 'wav', 180_000, '']]);

  // A voice note staged on an earlier post (the form sent back for another field) still counts.
  const again = await openForm(worker.url);
  const first = await postForm(worker.url, again, { ...VALID, message: '', email: 'pas-un-email', action: 'soumettre' }, [['note.wav', wav(3), 'vocal']]);
  assert.equal(first.status, 422);
  assert.equal(fieldError(first.html, 'message'), undefined, 'the staged voice note makes the message optional');
  assert.match(first.html, /note\.wav/);
  const second = await postForm(worker.url, again, { ...VALID, message: '', action: 'soumettre' });
  assert.equal(second.status, 303);
  const staged = await confirmationCode(worker.url, second);
  assert.deepEqual((await filesOf(staged.code)).map((f) => [f.file_name, f.duration_ms]), [['note.wav', 3000]]);
});
