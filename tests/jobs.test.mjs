// Cron jobs fired by hand through wrangler's /__scheduled, against the real local runtime.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { r2Keys } from './support/r2.mjs';
import { PDF, JPEG, VALID, openForm, postForm, apiSubmit } from './support/forms.mjs';

let worker;
before(async () => { worker = await startWorker(); });
after(async () => { await worker?.stop(); });

const fire = async (cron) => {
  const res = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent(cron)}`);
  await res.arrayBuffer();
  assert.equal(res.status, 200);
};

test('files staged with a form never submitted are deleted after a day, R2 objects included', async () => {
  const old = await openForm(worker.url);
  const fresh = await openForm(worker.url);
  // An error (neither a mobile nor an email) keeps the uploaded files staged with each form.
  assert.equal((await postForm(worker.url, old, { ...VALID, email: '', telephone: '' }, [['a.pdf', PDF]])).status, 422);
  assert.equal((await postForm(worker.url, fresh, { ...VALID, email: '', telephone: '' }, [['b.jpg', JPEG]])).status, 422);
  const [oldFile] = await sql(worker.dir, `SELECT id, r2_key FROM attachments WHERE form_key = '${old.formKey}'`);
  const [freshFile] = await sql(worker.dir, `SELECT id, r2_key FROM attachments WHERE form_key = '${fresh.formKey}'`);
  await sql(worker.dir, `UPDATE attachments SET created_at = created_at - 25 * 3600 * 1000 WHERE id = ${oldFile.id}`);

  await fire('*/5 * * * *');
  assert.deepEqual(await sql(worker.dir, `SELECT id FROM attachments WHERE id = ${oldFile.id}`), []);
  const keys = await r2Keys(worker.dir);
  assert.ok(!keys.includes(oldFile.r2_key), 'old object deleted');
  assert.ok(keys.includes(freshFile.r2_key), 'recent staged file kept');
  assert.equal((await sql(worker.dir, `SELECT count(*) AS n FROM attachments WHERE id = ${freshFile.id}`))[0].n, 1);
  // Running again finds nothing more to do.
  await fire('*/5 * * * *');
  assert.ok((await r2Keys(worker.dir)).includes(freshFile.r2_key));
});

test('old rate-limit windows are dropped daily, the current one kept', async () => {
  const now = Date.now();
  await sql(worker.dir, `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('submit:x', ${now - 3 * 86400000}, 5), ('submit:y', ${now - 3600000}, 1)`);
  await worker.daily();
  assert.deepEqual((await sql(worker.dir, "SELECT bucket FROM rate_limits WHERE bucket IN ('submit:x', 'submit:y')")).map((r) => r.bucket), ['submit:y']);
});

test('expired one-time tracking codes are dropped daily', async () => {
  const { json: { code } } = await apiSubmit(worker.url, { ...VALID, organisme: '3', email: '', telephone: '05 12 12 12 12' });
  const ask = () => fetch(`${worker.url}/api/v1/suivi`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, telephone: '0512121212' }) });
  const ofRequest = `request_id = (SELECT id FROM requests WHERE code = '${code}')`;
  // The code is issued after the answer (waitUntil), tried again by the worker after a passing
  // database failure.
  const askUntil = async (check, what) => {
    assert.equal((await ask()).status, 202);
    await eventually(check, { what, worker });
  };
  const codes = () => sql(worker.dir, `SELECT expires_at FROM tracking_otps WHERE ${ofRequest}`);
  await askUntil(async () => (await codes()).length >= 1, 'the first code');
  // The first code expired three days ago (the clock set through SQL); a second one is fresh.
  await sql(worker.dir, `UPDATE tracking_otps SET created_at = created_at - 3 * 86400000, expires_at = expires_at - 3 * 86400000 WHERE ${ofRequest}`);
  await askUntil(async () => (await codes()).some((c) => c.expires_at > Date.now()), 'a fresh code');
  assert.ok((await codes()).some((c) => c.expires_at < Date.now() - 86400000), 'the expired one is still there');
  await worker.daily();
  const left = await codes();
  assert.ok(left.length >= 1, 'the fresh code stays');
  assert.ok(left.every((c) => c.expires_at > Date.now()), 'every expired code is gone');
});

test('the sweeper re-sends an enqueued notification only once it is presumed lost (OUTBOX_STUCK_SECONDS)', async () => {
  // Rows enqueued to a queue that never delivered them (a lost message), without a provider call yet.
  const now = Date.now();
  const insert = (key, enqueuedAt) => `INSERT INTO outbox (idempotency_key, channel, recipient, template, lang, payload, created_at, status, enqueued_at)
    VALUES ('${key}', 'email', 'balayage@example.ci', 'forgotten_codes', 'fr', '{"items":["12345678"]}', ${enqueuedAt}, 'enqueued', ${enqueuedAt})`;
  await sql(worker.dir, insert('balayage:recent', now - 30 * 60_000));
  await sql(worker.dir, insert('balayage:lost', now - 2 * 3600_000));
  await fire('*/5 * * * *');
  await worker.mailTo('balayage@example.ci');
  await worker.settled("idempotency_key = 'balayage:lost'");
  const status = async (key) => (await sql(worker.dir, `SELECT status FROM outbox WHERE idempotency_key = '${key}'`))[0].status;
  assert.equal(await status('balayage:lost'), 'sent', 'two hours: presumed lost, sent again');
  assert.equal(await status('balayage:recent'), 'enqueued', 'half an hour: still trusted to the queue (default one hour)');
  assert.equal(worker.inbox.state.mails.filter((m) => m.to[0] === 'balayage@example.ci').length, 1);
});
