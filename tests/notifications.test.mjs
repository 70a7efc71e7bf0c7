// Notifications through the real local queue to a local server speaking the providers' APIs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { startWorker, sql } from './support/worker.mjs';
import { startInbox } from '../scripts/dev-inbox.mjs';
import { eventually } from './support/eventually.mjs';
import { VALID, apiSubmit, openForm, postForm, confirmationCode } from './support/forms.mjs';

const running = [];
after(async () => { for (const w of running) await w.stop(); });
async function worker(options = {}) {
  const w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000' }, ...options });
  running.push(w);
  return w;
}


test('one web submission → exactly one confirmation mail and one SMS, with the code and the link', async () => {
  const w = await worker();
  const form = await openForm(w.url);
  const res = await postForm(w.url, form, { ...VALID, action: 'soumettre' });
  const { code } = await confirmationCode(w.url, res);
  const inbox = w.inbox.state;
  // Once the outbox has nothing left to send, nothing more can arrive.
  const rowsOfRequest = `request_id = (SELECT id FROM requests WHERE code = '${code}')`;
  assert.deepEqual((await w.settled(rowsOfRequest)).map((r) => [r.channel, r.status]), [['email', 'sent'], ['sms', 'sent']]);
  assert.equal(inbox.mails.length, 1);
  assert.equal(inbox.sms.length, 1);
  const [mail] = inbox.mails;
  assert.deepEqual(mail.to, ['aya.kouassi@example.ci']);
  assert.equal(mail.from, 'Miliê <ne-pas-repondre@milie.ci>');
  assert.equal(mail.subject, `Miliê — Votre réclamation n° ${code} est enregistrée`);
  assert.match(mail.text, new RegExp(`Votre Réclamation a bien été enregistrée\\. Le numéro de la demande est : ${code}\\.`));
  assert.match(mail.text, /Organisme : Vice-Premier Ministre, Ministre de la Défense\./);
  // The signed tracking link (its checks are the tracking tests').
  assert.match(mail.html, new RegExp(`href="http://localhost:8787/suivi/${code}\\?t=[\\w-]{27}"`));
  // The provider's idempotency key names the request by its public id, never by its code.
  const [{ public_id: publicId }] = await sql(w.dir, `SELECT public_id FROM requests WHERE code = '${code}'`);
  assert.equal(mail.idempotencyKey, `request_registered:${publicId}:email`);
  const [sms] = inbox.sms;
  assert.equal(sms.to, '+2250707123456');
  assert.equal(sms.sender, 'tel:+2250000000000');
  assert.match(sms.text, new RegExp(`^Milie : votre réclamation est enregistrée sous le numéro ${code}\\. Suivi : http://localhost:8787/suivi/${code}\\?t=[\\w-]{27}$`));
  assert.ok(sms.text.length <= 160);

  const rows = await sql(w.dir, `SELECT o.channel, o.status, o.provider_id, o.attempts, d.status AS attempt_status
    FROM outbox o JOIN delivery_attempts d ON d.outbox_id = o.id
    WHERE o.request_id = (SELECT id FROM requests WHERE code = '${code}') ORDER BY o.channel`);
  assert.deepEqual(rows.map((r) => [r.channel, r.status, r.attempts, r.attempt_status]), [['email', 'sent', 1, 'delivered'], ['sms', 'sent', 1, 'delivered']]);
  assert.equal(rows[0].provider_id, mail.id);
  assert.match(rows[1].provider_id, new RegExp(`/requests/${sms.id}$`));
  // Personal data never reaches the logs in clear.
  assert.doesNotMatch(w.output, /aya\.kouassi@example\.ci|2250707123456/);

  // The consumer is idempotent: the same row delivered again by the queue (here: the sweeper
  // finding it "stuck") is checked against the delivery log and not sent twice.
  // (The cron also sends the analyst's hourly summary of new requests: counted apart.)
  const toCitizen = () => inbox.mails.filter((m) => m.to[0] === 'aya.kouassi@example.ci').length;
  const summaries = () => inbox.mails.filter((m) => m.subject.includes('Résumé')).length;
  const calls = inbox.mailCalls - summaries();
  await sql(w.dir, `UPDATE outbox SET status = 'enqueued', enqueued_at = 0 WHERE ${rowsOfRequest}`);
  await w.cron('*/5 * * * *');
  // Delivered again by the queue, each row is found in the delivery log and marked sent without a
  // provider call: once both rows are sent, the consumer is done with them.
  await w.settled(rowsOfRequest);
  assert.equal(inbox.mailCalls - summaries(), calls, 'no second provider call');
  assert.equal(toCitizen(), 1);
  assert.equal(inbox.sms.length, 1);
  // The SMS token was fetched once and reused.
  assert.equal(inbox.tokenCalls, 1);
});

test('with the mail API failing 30 % of calls, 500 submissions → exactly 500 mails, none twice, every attempt logged', async () => {
  // Batched, 500 mails take only a few calls: the first two fail whatever the draw.
  const inbox = await startInbox({ mailFailRate: 0.3, mailFailFirst: 2 });
  const w = await worker({ inbox });
  try {
    const codes = [];
    for (let i = 0; i < 500; i++) {
      const res = await apiSubmit(w.url, { ...VALID, organisme: String(1 + (i % 10)), email: `citoyen${i}@example.ci` });
      assert.equal(res.status, 201);
      codes.push(res.json.code);
    }
    await eventually(() => inbox.state.mails.length >= 500, { timeout: 180_000, what: '500 mails' });
    await eventually(async () => (await sql(w.dir, "SELECT count(*) AS n FROM outbox WHERE channel = 'email' AND status != 'sent'"))[0].n === 0,
      { timeout: 60_000, what: 'every email row sent' });
    assert.equal(inbox.state.mails.length, 500);
    const keys = new Set(inbox.state.mails.map((m) => m.idempotencyKey));
    assert.equal(keys.size, 500, 'no mail accepted twice');
    const ids = await sql(w.dir, `SELECT public_id FROM requests WHERE code IN (SELECT value FROM json_each('${JSON.stringify(codes)}'))`);
    assert.deepEqual(new Set(ids.map((r) => `request_registered:${r.public_id}:email`)), keys, 'one per code');
    // Mails go to the provider in batches (POST /emails/batch): one failed call fails every mail
    // it carried, each logged as its own attempt.
    assert.ok(inbox.state.mailFailures >= 2, `failures were injected (${inbox.state.mailFailures})`);
    assert.ok(inbox.state.batchCalls > 0, 'the batch endpoint was used');
    const [{ attempts, failures }] = await sql(w.dir, `SELECT count(*) AS attempts,
      sum(d.status = 'temporary_failure') AS failures FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id WHERE o.channel = 'email'`);
    assert.ok(failures >= inbox.state.mailFailures, `every failed call recorded (${failures} failed attempts, ${inbox.state.mailFailures} failed calls)`);
    assert.equal(attempts, 500 + failures, 'every attempt recorded: one success per mail, and each failure');
  } finally {
    await inbox.stop();
  }
});

test('an invalid recipient is a permanent failure: recorded, not retried', async () => {
  const w = await worker();
  // The domain accepts the address; the provider refuses it (422), as real providers do for some.
  await sql(w.dir, `INSERT INTO requests (code, body_id, nature, message, country, phone, email, channel, created_at, updated_at)
    VALUES ('11111111', 1, 'reclamation', 'Message de test assez long.', 'CI', '+2250707123456', 'x', 'web', 0, 0)`);
  await sql(w.dir, `INSERT INTO outbox (idempotency_key, request_id, channel, recipient, template, lang, payload, created_at)
    VALUES ('t:1', (SELECT id FROM requests WHERE code = '11111111'), 'email', 'not-an-address', 'request_registered', 'fr',
    '{"code":"11111111","nature":"reclamation","body":"Ministère"}', 0)`);
  await w.cron('*/5 * * * *');
  // Settled: sent or failed, nothing can try it again (a later delivery of the same message finds
  // the row finished, and the dead-letter queue never rewrites a provider's refusal).
  const [row] = await w.settled("idempotency_key = 't:1'");
  assert.equal(row.status, 'failed');
  assert.match(row.last_error, /^HTTP 422/);
  assert.equal(row.attempts, 1, 'not retried');
  assert.deepEqual(await sql(w.dir, "SELECT d.status FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id WHERE o.idempotency_key = 't:1'"),
    [{ status: 'permanent_failure' }]);
});

test('a template missing a value is never sent blank', async () => {
  const w = await worker();
  await sql(w.dir, `INSERT INTO outbox (idempotency_key, channel, recipient, template, lang, payload, created_at)
    VALUES ('t:blank', 'email', 'a@example.ci', 'treated', 'fr', '{"code":"12345678","nature":"reclamation","body":"Ministère"}', 0)`);
  await w.cron('*/5 * * * *');
  const [row] = await w.settled("idempotency_key = 't:blank'");
  assert.equal(row.status, 'failed');
  assert.equal(row.last_error, 'render: payload lacks note');
  assert.deepEqual(await sql(w.dir, "SELECT d.status, d.error FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id WHERE o.idempotency_key = 't:blank'"),
    [{ status: 'permanent_failure', error: 'render: payload lacks note' }], 'the refusal is in the delivery log');
  assert.equal(w.inbox.state.mailCalls, 0);
});

test('the worker stopped after the D1 batch, before the queue send: after restart the sweeper delivers', async () => {
  const inbox = await startInbox();
  const w = await startWorker({ inbox, keepState: true, vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } });
  const dir = w.dir;
  // What the registering batch leaves when the process dies before `queue.send`: the request and
  // its outbox rows, pending.
  await w.stop();
  await sql(dir, `INSERT INTO requests (code, body_id, nature, message, country, phone, email, channel, created_at, updated_at)
    VALUES ('22222222', 4, 'suggestion', 'Une suggestion pour les inscriptions.', 'CI', '+2250505050505', 'awa@example.ci', 'web', 0, 0)`);
  const now = Date.now() - 120_000;
  for (const [channel, recipient] of [['email', 'awa@example.ci'], ['sms', '+2250505050505']]) {
    await sql(dir, `INSERT INTO outbox (idempotency_key, request_id, channel, recipient, template, lang, payload, created_at)
      VALUES ('request_registered:22222222:${channel}', (SELECT id FROM requests WHERE code = '22222222'), '${channel}', '${recipient}',
      'request_registered', 'fr', '{"code":"22222222","nature":"suggestion","body":"Ministère de l''Enseignement Supérieur"}', ${now})`);
  }
  const restarted = await startWorker({ stateDir: dir, inbox, vars: { SUBMIT_LIMIT_PER_HOUR: '100000' } });
  running.push(restarted);
  after(() => rm(dir, { recursive: true, force: true }));
  await restarted.cron('*/5 * * * *');
  await restarted.settled();
  assert.equal(inbox.state.mails.length, 1);
  assert.equal(inbox.state.sms.length, 1);
  assert.equal(inbox.state.mails[0].subject, 'Miliê — Votre suggestion n° 22222222 est enregistrée');
  assert.match(inbox.state.sms[0].text, /22222222/);
  await inbox.stop();
});

test('a mail the provider never accepts ends in the dead-letter queue and is marked failed', async () => {
  const inbox = await startInbox({ mailFailRate: 1 });
  const w = await worker({ inbox });
  try {
    const res = await apiSubmit(w.url, { ...VALID, organisme: '1' });
    assert.equal(res.status, 201);
    const [row] = await eventually(async () => {
      const rows = await sql(w.dir, `SELECT status, last_error, attempts FROM outbox WHERE channel = 'email' AND request_id = (SELECT id FROM requests WHERE code = '${res.json.code}')`);
      return rows[0].status === 'failed' && rows;
    }, { what: 'the mail given up by the queue', worker: w });
    assert.equal(row.last_error, "given up after the queue's retries");
    // The first delivery and the ten retries of wrangler.office.toml: at most eleven attempts. A
    // delivery that finds the row still held by another waits for the hold to end instead of
    // spending a retry, and every attempt — even one whose outcome a consumer never wrote — is in
    // the delivery log, each refused by the provider.
    assert.ok(row.attempts >= 1 && row.attempts <= 11, `the queue's retries bound the attempts (${row.attempts} attempts)`);
    const logged = await sql(w.dir, `SELECT status, error FROM delivery_attempts WHERE outbox_id = (SELECT id FROM outbox WHERE channel = 'email' AND request_id = (SELECT id FROM requests WHERE code = '${res.json.code}'))`);
    assert.equal(logged.length, row.attempts, `every attempt is in the delivery log (${logged.length} of ${row.attempts})`);
    assert.ok(logged.every((a) => a.status === 'temporary_failure'), JSON.stringify(logged));
    assert.equal(inbox.state.mails.length, 0);
    // The SMS of the same request went out regardless.
    await w.settled();
    assert.equal(inbox.state.sms.length, 1);
  } finally {
    await inbox.stop();
  }
});

test('a notification still pending a minute on is re-sent once, then left to the queue; one set back for a retry is swept only once stuck', async () => {
  // Every mail call fails (temporarily), and the queue's retry would come back only in ten minutes:
  // what happens within the test is the sweeper's doing alone.
  const inbox = await startInbox({ mailFailRate: 1 });
  const w = await worker({ inbox, vars: { SUBMIT_LIMIT_PER_HOUR: '100000', NOTIFY_RETRY_BASE_SECONDS: '600', OUTBOX_STUCK_SECONDS: '3600' } });
  try {
    const now = Date.now();
    const insert = (key, createdAt) => `INSERT INTO outbox (idempotency_key, channel, recipient, template, lang, payload, created_at)
      VALUES ('${key}', 'email', '${key.replace(':', '.')}@example.ci', 'forgotten_codes', 'fr', '{"items":["12345678"]}', ${createdAt})`;
    await sql(w.dir, insert('attente:ancienne', now - 2 * 60_000)); // never reached the queue
    await sql(w.dir, insert('attente:recente', now - 10_000)); // may still be on its way
    const row = async (key) => (await sql(w.dir, `SELECT o.status, o.enqueued_at, (SELECT count(*) FROM delivery_attempts d WHERE d.outbox_id = o.id) AS tries
      FROM outbox o WHERE idempotency_key = '${key}'`))[0];
    const sweep = () => w.cron('*/5 * * * *');
    const resent = () => (w.output.match(/outbox sweep: re-sending/g) ?? []).length;

    await sweep();
    const first = await eventually(async (seen) => {
      const r = await row('attente:ancienne');
      seen(r);
      return r.tries === 1 && r.status === 'enqueued' && r;
    }, { what: 'one attempt of the old row, set back for the queue\'s retry', worker: w });
    assert.ok(first.enqueued_at >= now, 'set back for a retry: trusted to the queue from the attempt on');
    await eventually(() => resent() === 1, { what: 'the sweep\'s log line', worker: w });
    assert.deepEqual(await row('attente:recente'), { status: 'pending', enqueued_at: null, tries: 0 }, 'ten seconds old: left to the queue');

    // The next sweeps (each awaited: the cron has run when it answers) find nothing to re-send:
    // the row waits for the queue's retry, ten minutes away.
    await sweep();
    await sweep();
    assert.deepEqual(await row('attente:ancienne'), first, 'not re-sent while the queue holds it');
    assert.equal(resent(), 1);

    // An hour after the failed attempt (the clock set through SQL) the retry is presumed lost.
    await sql(w.dir, "UPDATE outbox SET enqueued_at = enqueued_at - 2 * 3600000 WHERE idempotency_key = 'attente:ancienne'");
    await sweep();
    const second = await eventually(async (seen) => {
      const r = await row('attente:ancienne');
      seen(r);
      return r.tries === 2 && r.status === 'enqueued' && r;
    }, { what: 'a second attempt of the old row', worker: w });
    assert.ok(second.enqueued_at > first.enqueued_at);
    await eventually(() => resent() >= 2, { what: 'the second sweep\'s log line', worker: w });
    assert.equal(resent(), 2);
    assert.equal(inbox.state.mails.length, 0);
  } finally {
    await inbox.stop();
  }
});

test('an attempt whose outcome cannot be written stays in the delivery log, and the provider\'s refusal is what is finally recorded', async () => {
  // What made this file fail one run in two on a loaded machine: the consumer's write of an
  // outcome refused by the (local) database. Before, the attempt was nowhere in the log, the
  // consumer spent the queue's retries waiting on its own hold, and the dead-letter queue wrote
  // «given up» over the provider's 422. Here a trigger refuses that write for one notification.
  const w = await worker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', NOTIFY_CLAIM_SECONDS: '2' } });
  await sql(w.dir, `INSERT INTO outbox (idempotency_key, channel, recipient, template, lang, payload, created_at)
    VALUES ('t:lost', 'email', 'not-an-address', 'forgotten_codes', 'fr', '{"items":["12345678"]}', 0)`);
  await sql(w.dir, `CREATE TRIGGER outcome_lost BEFORE UPDATE OF status ON delivery_attempts
    WHEN NEW.status <> 'sending' AND coalesce(NEW.error, '') NOT LIKE 'interrupted%'
     AND NEW.outbox_id = (SELECT id FROM outbox WHERE idempotency_key = 't:lost')
    BEGIN SELECT RAISE(ABORT, 'injected: the outcome cannot be written'); END`);
  const log = () => sql(w.dir, "SELECT d.attempt, d.status, d.error FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id WHERE o.idempotency_key = 't:lost' ORDER BY d.attempt");
  await w.cron('*/5 * * * *');
  // The first attempt was logged before the provider was called; the next claim, once the hold
  // has ended, closes it as interrupted and tries again.
  await eventually(async (seen) => {
    const rows = await log();
    seen(rows);
    return rows.length >= 2 && rows[0].status === 'temporary_failure' && /^interrupted/.test(rows[0].error);
  }, { what: 'a second attempt, the first closed as interrupted', worker: w });
  assert.match(w.output, /a database step failed, trying again/);
  await sql(w.dir, 'DROP TRIGGER outcome_lost');
  const [row] = await w.settled("idempotency_key = 't:lost'");
  assert.equal(row.status, 'failed');
  assert.match(row.last_error, /^HTTP 422/, 'the provider\'s refusal, not the queue\'s «given up»');
  const rows = await log();
  assert.equal(rows.length, row.attempts, `every attempt is in the delivery log (${rows.length} of ${row.attempts})`);
  assert.deepEqual(rows.at(-1).status, 'permanent_failure');
  assert.ok(rows.slice(0, -1).every((r) => r.status === 'temporary_failure' && /^interrupted/.test(r.error)), JSON.stringify(rows));
});
