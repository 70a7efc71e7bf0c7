// make deploy-check: the deployed environments' configuration, checked offline before anything
// leaves the machine. Runs `wrangler deploy --dry-run --env <env>` on both workers (it bundles and
// lists the bindings without contacting Cloudflare) and reads their environment sections:
// wrangler.toml (the citizens' worker) and wrangler.office.toml (the back office behind it).
//
//   node scripts/deploy/check.mjs [--env production|staging|all] [--for-deploy]
//
// Fails (exit 1, one line per problem) if a binding is missing, a URL points at this machine, a
// test-only variable is set, a setting the code reads is absent, a secret the code reads is not
// in SECRETS, or (--for-deploy) a database id is still a placeholder.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every secret an environment needs: set each with `wrangler secret put NAME --env <env>`. */
export const SECRETS = {
  MAIL_API_KEY: 'bearer key of the mail API (Resend)',
  SMS_CLIENT_ID: "Orange SMS API's OAuth2 client id",
  SMS_CLIENT_SECRET: "Orange SMS API's OAuth2 client secret",
  TRACKING_SECRET: 'HMAC key of tracking links, sessions and sign-in links (≥ 32 random bytes)',
  TRACKING_SECRET_PREVIOUS: 'the key before the last rotation, accepted for 30 days (optional: empty when none)',
  TURNSTILE_SECRET: 'Turnstile secret key (turns the human check on)',
  USSD_CALLBACK_SECRET: "the USSD gateway's callback path secret (POST /canaux/ussd/<secret>; ≥ 16 characters), on the back office",
  SMS_CALLBACK_SECRET: "the inbound-SMS gateway's callback path secret (POST /canaux/sms/<secret>; ≥ 16 characters), on the back office",
};
/**
 * The channels without mobile data: each is on when its [vars] value is set, and then its
 * callback secret must be among the back office's required secrets (`[env.<env>.secrets]
 * required`), which `wrangler deploy` refuses to deploy without.
 */
const CHANNELS = [
  { name: 'USSD', variable: 'USSD_SHORT_CODE', secret: 'USSD_CALLBACK_SECRET', shape: /^\*[0-9*]+#$/ },
  { name: 'SMS', variable: 'SMS_NUMBER', secret: 'SMS_CALLBACK_SECRET', shape: /^\+?[0-9]{3,15}$/ },
];
/** Variables that exist for tests only and must never reach a deployed environment. */
// The fault injection of D1 and R2 (`FAULT_*_RATE`) and the per-invocation cost lines
// (`COUNT_INVOCATIONS`) are development tools (src/app/meter.rs).
const TEST_ONLY = ['ALLOW_CLOCK_OVERRIDE', 'TURNSTILE_VERIFY_URL', 'FAULT_D1_RATE', 'FAULT_R2_RATE', 'COUNT_INVOCATIONS', 'JOB_SLICE_ROWS', 'TEST_HOOKS', 'LOG_STATEMENTS', 'JOB_LEASE_SECONDS'];
/** Read by the code but optional: Turnstile is on when its keys are set (OPERATIONS.md). */
const OPTIONAL = ['TURNSTILE_SITE_KEY'];
const BINDINGS = [['NOTIFICATIONS', 'Queue'], ['DB', 'D1 Database'], ['FILES', 'R2 Bucket'], ['ASSETS', 'Assets'], ['OFFICE', 'Worker']];
const OFFICE_BINDINGS = [['NOTIFICATIONS', 'Queue'], ['DB', 'D1 Database'], ['FILES', 'R2 Bucket']];
const LOCAL = /localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0/i;
const PLACEHOLDER_ID = /^00000000-0000-4000-8000-/;

/** wrangler.toml as sections → { key: raw value } (enough for the checks; not a TOML parser). */
function sections(toml) {
  const out = {};
  let current = '';
  for (const line of toml.split('\n')) {
    const header = line.match(/^\s*\[\[?([^\]]+)\]\]?\s*$/);
    if (header) { current = header[1].trim(); out[current] ??= {}; continue; }
    const kv = line.match(/^\s*([A-Za-z0-9_]+)\s*=\s*(.+?)\s*$/);
    if (kv && !line.trim().startsWith('#')) (out[current] ??= {})[kv[1]] = kv[2];
  }
  return out;
}

/** The names the code reads: `[vars]` through app/settings.rs, secrets wherever `secret("…")` is called. */
async function namesInCode() {
  const settings = await readFile(join(ROOT, 'src/app/settings.rs'), 'utf8');
  const vars = [...settings.matchAll(/(?:text|number)\("([A-Z0-9_]+)"/g)].map((m) => m[1]);
  const secrets = new Set();
  const walk = async (dir) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (path.endsWith('.rs')) for (const m of (await readFile(path, 'utf8')).matchAll(/secret\("([A-Z0-9_]+)"\)/g)) secrets.add(m[1]);
    }
  };
  await walk(join(ROOT, 'src/app'));
  for (const m of (await readFile(join(ROOT, 'src/app/delivery/providers.rs'), 'utf8')).matchAll(/"((?:MAIL|SMS)_[A-Z_]+(?:KEY|ID|SECRET))"/g)) secrets.add(m[1]);
  return { vars: [...new Set(vars)], secrets: [...secrets] };
}

/** What `wrangler deploy --dry-run` says a configuration binds: name → { value, kind }. */
async function dryRun(env, config) {
  const outdir = await mkdtemp(join(tmpdir(), 'milie-dry-run-'));
  try {
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--env', env, '--outdir', outdir, '--config', config],
      { cwd: ROOT, env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }, maxBuffer: 16 << 20 });
    return new Map([...stdout.matchAll(/^env\.([A-Z0-9_]+)(?: \((.*?)\))?\s{2,}(.+?)\s*$/gm)].map((m) => [m[1], { value: m[2], kind: m[3] }]));
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

const varsOf = (bound) => new Map([...bound].filter(([, b]) => b.kind === 'Environment Variable').map(([k, b]) => [k, (b.value ?? '').replace(/^"|"$/g, '')]));

/** Every value `key` takes in an environment's sections (a quoted string without its quotes). */
async function envValues(config, env, key) {
  let inEnv = false;
  const values = [];
  for (const line of (await readFile(config, 'utf8')).split('\n')) {
    const header = line.match(/^\s*\[\[?([^\]]+)\]\]?\s*$/);
    if (header) inEnv = header[1] === `env.${env}` || header[1].startsWith(`env.${env}.`);
    else if (inEnv) {
      const m = line.match(new RegExp(`^\\s*${key}\\s*=\\s*(.*?)\\s*$`));
      if (m) values.push(m[1].replace(/^"(.*)"$/, '$1'));
    }
  }
  return values;
}

/** Whether an environment section of a configuration has a `key = …` line (arrays of tables too). */
async function envHasLine(config, env, key) {
  return (await envValues(config, env, key)).length > 0;
}

export async function check(env, { forDeploy = false, config = join(ROOT, 'wrangler.toml'), office = join(ROOT, 'wrangler.office.toml') } = {}) {
  const problems = [];
  let bound;
  let officeBound;
  try {
    [bound, officeBound] = await Promise.all([dryRun(env, config), dryRun(env, office)]);
  } catch (err) {
    return [`${env}: wrangler deploy --dry-run failed: ${err.stderr || err.message}`];
  }
  for (const [name, kind] of BINDINGS) {
    if (bound.get(name)?.kind !== kind) problems.push(`${env}: binding ${name} (${kind}) is missing`);
  }
  for (const [name, kind] of OFFICE_BINDINGS) {
    if (officeBound.get(name)?.kind !== kind) problems.push(`${env}: the back office's binding ${name} (${kind}) is missing`);
  }
  const vars = varsOf(bound);
  // Both workers read the same settings: a difference would make them disagree (links, limits…).
  const officeVars = varsOf(officeBound);
  for (const name of new Set([...vars.keys(), ...officeVars.keys()])) {
    if (vars.get(name) !== officeVars.get(name)) problems.push(`${env}: [vars] ${name} differs between wrangler.toml and wrangler.office.toml`);
  }
  const code = await namesInCode();
  for (const name of code.vars) if (!vars.has(name) && !TEST_ONLY.includes(name) && !OPTIONAL.includes(name)) problems.push(`${env}: [vars] ${name} (read by the code) is not set`);
  for (const [name, value] of vars) {
    if (LOCAL.test(value)) problems.push(`${env}: ${name} points at this machine (${value})`);
    if (TEST_ONLY.includes(name)) problems.push(`${env}: ${name} is for tests only`);
    if (name in SECRETS) problems.push(`${env}: ${name} is a secret and must not be a [vars] value`);
    if (name.endsWith('_URL') && !value.startsWith('https://')) problems.push(`${env}: ${name} must be an https:// URL (${value})`);
  }
  for (const name of code.secrets) if (!(name in SECRETS)) problems.push(`the code reads secret ${name}, which scripts/deploy/check.mjs does not name`);
  const toml = sections(await readFile(config, 'utf8'));
  const officeToml = sections(await readFile(office, 'utf8'));
  const required = [...((officeToml[`env.${env}.secrets`] ?? {}).required ?? '').matchAll(/"([A-Z0-9_]+)"/g)].map((m) => m[1]);
  for (const name of required) if (!(name in SECRETS)) problems.push(`${env}: the back office requires secret ${name}, which scripts/deploy/check.mjs does not name`);
  for (const channel of CHANNELS) {
    const value = vars.get(channel.variable) ?? '';
    if (!value) continue;
    if (!channel.shape.test(value)) problems.push(`${env}: ${channel.variable} (${value}) is not a ${channel.name === 'USSD' ? 'USSD short code such as *384*7117#' : 'phone number or short number'}`);
    if (!required.includes(channel.secret)) problems.push(`${env}: the ${channel.name} channel is on (${channel.variable}) but ${channel.secret} is not among the back office's required secrets ([env.${env}.secrets] required in wrangler.office.toml): a deploy without it would refuse every callback`);
  }
  const own = (suffix) => toml[`env.${env}.${suffix}`] ?? {};
  const officeOwn = (suffix) => officeToml[`env.${env}.${suffix}`] ?? {};
  if (!own('triggers').crons) problems.push(`${env}: no cron triggers`);
  // The back office consumes the queue and is reached only through the binding.
  if (!officeToml[`env.${env}.queues.consumers`]) problems.push(`${env}: no queue consumer`);
  const deadLetter = await envValues(office, env, 'dead_letter_queue');
  if (!deadLetter.length) problems.push(`${env}: the notifications queue has no dead-letter queue`);
  // The consumer tells the dead-letter queue's batches by the name's suffix (app::consumer).
  for (const name of deadLetter) if (!name.endsWith('-dlq')) problems.push(`${env}: the dead-letter queue ${name} must be named …-dlq (the consumer tells it by that suffix)`);
  for (const name of await envValues(office, env, 'queue')) {
    if (name.endsWith('-dlq') && !deadLetter.includes(name)) problems.push(`${env}: queue ${name} ends in -dlq but is not the dead-letter queue (the consumer would only mark its messages failed)`);
  }
  if ((officeToml[`env.${env}`] ?? {}).workers_dev !== 'false' || (await envHasLine(office, env, 'routes'))) problems.push(`${env}: the back office must have no route and no workers.dev address`);
  const officeName = (officeToml[`env.${env}`] ?? {}).name?.replace(/"/g, '');
  if (own('services').service?.replace(/"/g, '') !== officeName) problems.push(`${env}: binding OFFICE must name the back office (${officeName})`);
  if (officeOwn('d1_databases').database_id !== own('d1_databases').database_id) problems.push(`${env}: the two workers must share one D1 database`);
  const id = own('d1_databases').database_id?.replace(/"/g, '') ?? '';
  if (!id) problems.push(`${env}: D1 database_id missing`);
  else if (forDeploy && PLACEHOLDER_ID.test(id)) problems.push(`${env}: D1 database_id is still the placeholder; put the id \`wrangler d1 create\` printed (OPERATIONS.md)`);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  const which = arg('--env') ?? 'all';
  const envs = which === 'all' ? ['staging', 'production'] : [which];
  let failed = false;
  for (const env of envs) {
    const problems = await check(env, { forDeploy: process.argv.includes('--for-deploy'), ...(arg('--config') ? { config: arg('--config') } : {}) });
    for (const p of problems) console.error(`deploy-check: ${p}`);
    if (problems.length) failed = true;
    else console.log(`deploy-check: ${env}: bindings, variables, triggers and secrets' names are in order`);
  }
  if (!failed) console.log(`deploy-check: secrets to set with \`wrangler secret put NAME --env <env>\`: ${Object.keys(SECRETS).join(', ')}`);
  process.exit(failed ? 1 : 0);
}
