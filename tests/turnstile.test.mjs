// Turnstile on the submission form, verified against a local siteverify server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { startSiteverify } from './support/siteverify.mjs';
import { VALID, openForm, postForm, fieldError, apiSubmit } from './support/forms.mjs';
import { signIn, adminForm } from './support/agent.mjs';

let worker;
let siteverify;
before(async () => {
  siteverify = await startSiteverify();
  worker = await startWorker({
    vars: { SIGN_IN_LIMIT_PER_HOUR: '1000', TURNSTILE_SECRET: 'test-secret', TURNSTILE_SITE_KEY: 'site-key-123', TURNSTILE_VERIFY_URL: siteverify.url },
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

test('the JSON API asks the same human check, or a partner key; nothing is stored without one', async () => {
  const requests = async () => (await sql(worker.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
  const before = await requests();
  const fields = { ...VALID, organisme: '4', email: 'api-humain@example.ci' };
  const none = await apiSubmit(worker.url, fields);
  assert.equal(none.status, 403);
  assert.match(none.json.errors['cf-turnstile-response'], /anti-robot/);
  const forged = await apiSubmit(worker.url, { ...fields, 'cf-turnstile-response': 'forged' });
  assert.equal(forged.status, 403);
  // A real token, but solved on another site's page: its hostname gives it away.
  const foreign = await apiSubmit(worker.url, { ...fields, 'cf-turnstile-response': 'foreign-token' });
  assert.equal(foreign.status, 403);
  assert.equal(await requests(), before, 'nothing stored, nothing sent');
  // Validation still comes first, with its own errors.
  assert.equal((await apiSubmit(worker.url, { ...fields, message: '' })).status, 422);

  const ok = await apiSubmit(worker.url, { ...fields, 'cf-turnstile-response': 'good-token' });
  assert.equal(ok.status, 201);

  // A partner with a key issued by the administrators needs no token.
  const admin = await worker.signIn('admin');
  const created = await adminForm(worker, admin, '/agent/admin/cles-api', { nom: 'Centre d\'appels partenaire' });
  const key = created.html.match(/(milie_[A-Za-z0-9_-]{43})/)[1];
  const partner = await apiSubmit(worker.url, { ...fields, email: 'api-partenaire@example.ci' }, [], { authorization: `Bearer ${key}` });
  assert.equal(partner.status, 201);
  const wrongKey = await apiSubmit(worker.url, fields, [], { authorization: 'Bearer milie_not-a-key' });
  assert.equal(wrongKey.status, 401);
  assert.equal(await requests(), before + 2);
});
