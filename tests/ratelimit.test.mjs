// The per-client submission limit, on a worker whose limit is set low.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sameHour } from './support/clock.mjs';
import { startWorker, sql } from './support/worker.mjs';
import { VALID, PDF, openForm, postForm, apiSubmit } from './support/forms.mjs';
import { r2Keys } from './support/r2.mjs';

let worker;
before(async () => { worker = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '2' } }); });
after(async () => { await worker?.stop(); });

test('past the hourly limit, submissions get a clear «réessayez dans N minutes»', async () => {
  await sameHour();
  for (let i = 0; i < 2; i++) {
    const form = await openForm(worker.url);
    assert.equal((await postForm(worker.url, form, { ...VALID, action: 'soumettre' })).status, 303);
  }
  const stored = await sql(worker.dir, 'SELECT (SELECT count(*) FROM requests) AS requests, (SELECT count(*) FROM outbox) AS outbox');
  const objects = await r2Keys(worker.dir);
  const form = await openForm(worker.url);
  const res = await postForm(worker.url, form, { ...VALID, action: 'soumettre' });
  assert.equal(res.status, 429);
  assert.match(res.html, /Réessayez dans \d+ minutes\./);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  const api = await apiSubmit(worker.url, { ...VALID, organisme: '2' });
  assert.equal(api.status, 429);
  assert.ok(api.json.retry_after_minutes >= 1);
  // Refused submissions leave nothing behind: no request, no notification, and the counter stays
  // at the two it admitted (counted and checked in one batch, undone when over the limit).
  assert.deepEqual(await sql(worker.dir, 'SELECT (SELECT count(*) FROM requests) AS requests, (SELECT count(*) FROM outbox) AS outbox'), stored);
  assert.deepEqual(await sql(worker.dir, "SELECT hits FROM rate_limits WHERE bucket LIKE 'submit:client%'"), [{ hits: 2 }]);
  // With an attachment the API counts in a round trip of its own, before the file would reach R2.
  const withFile = await apiSubmit(worker.url, { ...VALID, organisme: '2' }, [['recu.pdf', PDF]]);
  assert.equal(withFile.status, 429);
  assert.deepEqual(await r2Keys(worker.dir), objects, 'no file of a refused submission in R2');
  assert.deepEqual(await sql(worker.dir, 'SELECT (SELECT count(*) FROM requests) AS requests, (SELECT count(*) FROM outbox) AS outbox'), stored);
});

test('sign-in links: at most SIGN_IN_LIMIT_PER_HOUR per address, and the same page past it', async () => {
  await sameHour();
  // This worker keeps the default limit of five links per address and hour.
  const { requestLink } = await import('./support/agent.mjs');
  const pages = [];
  for (let i = 0; i < 7; i++) pages.push((await requestLink(worker, 'telephone@milie.local')).html);
  // Each ask resolves once the worker has handled it and what it sent has left.
  const links = worker.inbox.state.mails.filter((m) => m.to[0] === 'telephone@milie.local');
  assert.equal(links.length, 5, 'five links, not seven');
  const text = (html) => html.replace(/name="csrf" value="[^"]*"/g, '');
  assert.equal(text(pages[6]), text(pages[0]), 'the refusal looks like a success');
});
