// The way to Cloudflare, checked offline: the deploy check passes on the committed configuration
// and refuses a broken one; `make admin` creates the first administrator, idempotently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, prepareState, startWorker, sql } from './support/worker.mjs';
import { check, SECRETS } from '../scripts/deploy/check.mjs';
import { signIn } from './support/agent.mjs';

const run = promisify(execFile);

test('deploy-check: the staging and production configuration is in order, offline', async () => {
  assert.deepEqual(await check('production'), []);
  assert.deepEqual(await check('staging'), []);
  for (const name of ['MAIL_API_KEY', 'SMS_CLIENT_ID', 'SMS_CLIENT_SECRET', 'TRACKING_SECRET', 'TURNSTILE_SECRET', 'USSD_CALLBACK_SECRET', 'SMS_CALLBACK_SECRET']) assert.ok(name in SECRETS, name);
  // The placeholders of the repository are refused when it is time to deploy for real.
  assert.match((await check('production', { forDeploy: true })).join('\n'), /database_id is still the placeholder/);
});

/**
 * Runs `checks` on a copy of the configuration `file` whose text from `from` on is changed by
 * `breakIt` (beside the original, so its relative paths hold), then removes the copy.
 */
async function withBroken(file, from, breakIt, checks) {
  const copy = join(ROOT, `.deploy-check-test-${file}`);
  const original = await readFile(join(ROOT, file), 'utf8');
  const start = original.indexOf(from);
  await writeFile(copy, original.slice(0, start) + breakIt(original.slice(start)));
  try {
    await checks(copy);
  } finally {
    await rm(copy, { force: true });
  }
}

test('deploy-check: a local URL, a test-only variable or a secret among the vars fails it', async () => {
  await withBroken('wrangler.toml', '[env.production.vars]', (text) => text
    .replace('PUBLIC_URL = "https://milie.ci"', 'PUBLIC_URL = "http://localhost:8787"')
    .replace('[env.production.vars]', '[env.production.vars]\nALLOW_CLOCK_OVERRIDE = "1"\nFAULT_D1_RATE = "0.1"\nFAULT_R2_RATE = "0.1"\nTEST_HOOKS = "1"\nMAIL_API_KEY = "oops"'), async (config) => {
    const problems = (await check('production', { config })).join('\n');
    assert.match(problems, /PUBLIC_URL points at this machine/);
    assert.match(problems, /ALLOW_CLOCK_OVERRIDE is for tests only/);
    assert.match(problems, /FAULT_D1_RATE is for tests only/, 'fault injection never reaches production');
    assert.match(problems, /FAULT_R2_RATE is for tests only/);
    assert.match(problems, /TEST_HOOKS is for tests only/, "the suite's view of D1 and R2 never reaches production");
    assert.match(problems, /MAIL_API_KEY is a secret and must not be a \[vars\] value/);
    assert.deepEqual(await check('staging', { config }), [], 'staging untouched');
  });
});

test('deploy-check: the back office with other settings than the portal, a route, or no consumer fails it', async () => {
  await withBroken('wrangler.office.toml', '[env.production]', (text) => text
    .replace('SIGN_IN_LIMIT_PER_HOUR = "5"', 'SIGN_IN_LIMIT_PER_HOUR = "50"')
    .replace('[env.production]\nname = "milie-office"\nworkers_dev = false', '[env.production]\nname = "milie-office"\nworkers_dev = false\nroutes = [{ pattern = "agents.milie.ci", custom_domain = true }]')
    .replaceAll('[[env.production.queues.consumers]]', '[[env.production.queues.unused]]'), async (office) => {
    const problems = (await check('production', { office })).join('\n');
    assert.match(problems, /\[vars\] SIGN_IN_LIMIT_PER_HOUR differs between wrangler.toml and wrangler.office.toml/);
    assert.match(problems, /the back office must have no route and no workers.dev address/);
    assert.match(problems, /production: no queue consumer/);
    assert.deepEqual(await check('staging', { office }), [], 'staging untouched');
  });
});

test('deploy-check: a dead-letter queue the consumer would not recognise (its name\'s -dlq suffix) fails it', async () => {
  await withBroken('wrangler.office.toml', '[env.production]', (text) => text.replaceAll('milie-notifications-production-dlq', 'milie-notifications-production-dead'), async (office) => {
    const problems = (await check('production', { office })).join('\n');
    assert.match(problems, /production: the dead-letter queue milie-notifications-production-dead must be named …-dlq/);
    assert.deepEqual(await check('staging', { office }), [], 'staging untouched');
  });
});

test('deploy-check: a channel on without its callback secret required by the back office, or a malformed short code, fails it', async () => {
  await withBroken('wrangler.office.toml', '[env.production]', (text) => text
    .replace('required = ["USSD_CALLBACK_SECRET", "SMS_CALLBACK_SECRET"]', 'required = ["SMS_CALLBACK_SECRET"]'), async (office) => {
    const problems = (await check('production', { office })).join('\n');
    assert.match(problems, /production: the USSD channel is on \(USSD_SHORT_CODE\) but USSD_CALLBACK_SECRET is not among the back office's required secrets/);
    assert.doesNotMatch(problems, /SMS channel/);
    assert.deepEqual(await check('staging', { office }), [], 'staging untouched');
  });
  // Turned off in both files (an empty short code), the channel needs no secret.
  const off = (text) => text.replace(/(\[env\.production\.vars\][\s\S]*?)USSD_SHORT_CODE = "[^"]*"/, '$1USSD_SHORT_CODE = ""');
  await withBroken('wrangler.office.toml', '[env.production]', (text) => off(text).replace('required = ["USSD_CALLBACK_SECRET", "SMS_CALLBACK_SECRET"]', 'required = ["SMS_CALLBACK_SECRET"]'), async (office) => {
    await withBroken('wrangler.toml', '[env.production]', off, async (config) => {
      assert.deepEqual(await check('production', { config, office }), []);
    });
  });
  await withBroken('wrangler.toml', '[env.production.vars]', (text) => text.replace('USSD_SHORT_CODE = "*384*7117#"', 'USSD_SHORT_CODE = "7117"'), async (config) => {
    assert.match((await check('production', { config })).join('\n'), /USSD_SHORT_CODE \(7117\) is not a USSD short code/);
  });
});

test('make admin creates the first administrator, idempotently, who can then sign in', async () => {
  const dir = await prepareState({ seed: false });
  const admin = (email) => run('node', [join(ROOT, 'scripts/deploy/admin.mjs'), '--email', email, '--env', 'local', '--persist-to', dir], { cwd: ROOT });
  await admin('Premiere.Admin@Example.ci');
  await admin('premiere.admin@example.ci');
  assert.deepEqual(await sql(dir, "SELECT email, role, active FROM staff"), [{ email: 'premiere.admin@example.ci', role: 'admin', active: 1 }]);
  await assert.rejects(admin("x'); DROP TABLE staff; --"), /EMAIL must be an email address/);
  // As deployed: without TEST_HOOKS, the suite's view of D1 and R2 is not there at all.
  const w = await startWorker({ stateDir: dir, vars: { SIGN_IN_LIMIT_PER_HOUR: '100', TEST_HOOKS: '0' } });
  try {
    // Their paths are unknown pages, answered as any other: 404, or 405 for a method no page takes.
    for (const [method, path, body, status] of [['POST', '/__test/d1', 'SELECT email FROM staff', 404], ['GET', '/__test/r2', undefined, 404],
      ['GET', '/__test/r2/attachments/x', undefined, 404], ['PUT', '/__test/r2/attachments/x', 'x', 405]]) {
      const res = await fetch(`${w.url}${path}`, { method, body });
      assert.equal(res.status, status, `${method} ${path}`);
      assert.equal(res.headers.get('x-test-hook'), null);
      assert.doesNotMatch(await res.text(), /admin@example|\[/);
    }
    const cookie = await signIn(w, 'premiere.admin@example.ci');
    assert.equal((await fetch(`${w.url}/agent/admin`, { headers: { cookie }, redirect: 'manual' })).status, 200);
  } finally {
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
