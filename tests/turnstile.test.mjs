// Turnstile on the submission form, verified against a local siteverify server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './support/worker.mjs';
import { startSiteverify } from './support/siteverify.mjs';
import { VALID, openForm, postForm, fieldError } from './support/forms.mjs';

let worker;
let siteverify;
before(async () => {
  siteverify = await startSiteverify();
  worker = await startWorker({
    vars: { TURNSTILE_SECRET: 'test-secret', TURNSTILE_SITE_KEY: 'site-key-123', TURNSTILE_VERIFY_URL: siteverify.url },
  });
});
after(async () => { await worker?.stop(); await siteverify?.stop(); });

test('the form shows the widget and its page admits Cloudflare\'s script', async () => {
  const res = await fetch(`${worker.url}/requete/nouvelle?nature=reclamation&organisme=1`, { headers: { 'accept-language': 'fr' } });
  const html = await res.text();
  assert.match(html, /class="cf-turnstile" id="cf-turnstile-response" data-sitekey="site-key-123"/);
  assert.match(html, /<script src="https:\/\/challenges.cloudflare.com\/turnstile\/v0\/api.js" async defer>/);
  assert.match(res.headers.get('content-security-policy'), /script-src 'self' https:\/\/challenges.cloudflare.com/);
  assert.match(res.headers.get('content-security-policy'), /frame-src https:\/\/challenges.cloudflare.com/);
  // Other pages keep the strict policy.
  const home = await fetch(worker.url + '/');
  assert.doesNotMatch(home.headers.get('content-security-policy'), /challenges/);
});

test('a submission needs a token siteverify accepts', async () => {
  const form = await openForm(worker.url);
  const missing = await postForm(worker.url, form, { ...VALID, action: 'soumettre' });
  assert.equal(missing.status, 422);
  assert.match(fieldError(missing.html, 'cf-turnstile-response'), /La vérification anti-robot n'a pas abouti/);

  const rejected = await postForm(worker.url, form, { ...VALID, action: 'soumettre', 'cf-turnstile-response': 'forged' });
  assert.equal(rejected.status, 422);
  const call = siteverify.calls.at(-1);
  assert.equal(call.secret, 'test-secret');
  assert.equal(call.response, 'forged');
  assert.equal(call.contentType, 'application/x-www-form-urlencoded');
  assert.ok(call.remoteip, 'the client address is sent');

  const accepted = await postForm(worker.url, form, { ...VALID, action: 'soumettre', 'cf-turnstile-response': 'good-token' });
  assert.equal(accepted.status, 303);
  assert.equal(siteverify.calls.length, 2, 'no call for the post without a token');
});
