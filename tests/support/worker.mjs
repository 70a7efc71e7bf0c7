// Starts the real worker under `wrangler dev` (workerd, local D1/R2/Queues) on free ports with a
// fresh state directory, migrations and seed applied. Used by every integration and browser test.
import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startInbox } from '../../scripts/dev-inbox.mjs';
import { localChannels } from '../../scripts/dev-phone.mjs';
import { writeOfficeConfig } from '../../scripts/dev/office.mjs';
import { eventually } from './eventually.mjs';
import { sql, own, disown } from './state.mjs';

export { sql, bucket } from './state.mjs';
import { VALID, apiSubmit } from './forms.mjs';
import { signIn as signInAs } from './agent.mjs';

/** The development accounts of schema/seed/04_staff.sql, by the role tests speak of. */
export const STAFF = {
  admin: 'admin@milie.local',
  analyst: 'analyste@milie.local',
  focal: 'point-focal.education@milie.local', // body 5, Éducation nationale
  'focal-defense': 'point-focal.defense@milie.local', // body 2, Défense
  operator: 'telephone@milie.local',
};
let citizens = 0;

/** The gateways' callback secrets every test worker has (`tests/support/gateway.mjs` uses them). */
export const CALLBACK_SECRETS = { ussd: 'test-ussd-callback-secret-0123456789', sms: 'test-sms-callback-secret-0123456789' };

const run = promisify(execFile);
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRANGLER = join(ROOT, 'node_modules', '.bin', 'wrangler');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const live = new Set();

// Each worker's output and its dev inbox's calls, time-stamped, in a file of its own. A test file
// that fails keeps them (its path is printed) as the run's artefact; a green one removes them
// (unless TEST_KEEP_LOGS is set).
export const LOG_DIR = process.env.TEST_LOG_DIR ?? join(ROOT, 'target', 'test-logs');
const TEST_FILE = basename(process.argv[1] ?? 'test').replace(/\.m?js$/, '');
const logs = [];
function openLog() {
  mkdirSync(LOG_DIR, { recursive: true });
  const file = join(LOG_DIR, `${TEST_FILE}.${process.pid}.${logs.length + 1}.log`);
  const stream = createWriteStream(file);
  logs.push({ file, stream });
  const write = (text) => {
    const stamp = new Date().toISOString();
    for (const line of String(text).split('\n')) if (line.trim()) stream.write(`${stamp} ${line}\n`);
  };
  return { file, write };
}
// What each invocation cost (`event: "invocation"` lines, src/app/meter.rs), against Cloudflare's
// per-invocation limits: the free plan's 50 D1 statements and 50 subrequests for what citizens
// reach, the paid plan's 1 000 for the back office, the queue and the jobs.
export const BUDGETS = {
  citizen: { d1_statements: 50, subrequests: 50 },
  office: { d1_statements: 1000, subrequests: 1000 },
  queue: { d1_statements: 1000, subrequests: 1000 },
  cron: { d1_statements: 1000, subrequests: 1000 },
};
/** The paid plan's limits for every kind (Queues need that plan): what a run with injected D1 and
 * R2 faults is held to, its retries counted (`startWorker({ budgets: PAID_PLAN })`). */
export const PAID_PLAN = Object.fromEntries(Object.keys(BUDGETS).map((k) => [k, { d1_statements: 1000, subrequests: 1000 }]));
const COST_DIR = process.env.TEST_COST_DIR ?? join(ROOT, 'target', 'test-costs');
// Every distinct SQL text the workers prepared (`event: "statement"` lines, `LOG_STATEMENTS`):
// `make bench` reads each one's query plan over a million stored requests (scripts/bench/plans.py).
export const STATEMENT_DIR = process.env.TEST_STATEMENT_DIR ?? join(ROOT, 'target', 'test-statements');

/** The distinct statements of a worker's output. */
export function statements(output) {
  const found = new Set();
  for (const line of output.split('\n')) {
    if (!line.includes('"event":"statement"')) continue;
    try { found.add(JSON.parse(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1)).sql); } catch { /* a cut line */ }
  }
  return [...found];
}

/** The invocation lines of a worker's output, parsed. */
export function invocations(output) {
  const found = [];
  for (const line of output.split('\n')) {
    if (!line.includes('"event":"invocation"')) continue;
    try { found.push(JSON.parse(line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1))); } catch { /* a cut line */ }
  }
  return found;
}

/** Records a worker's invocations and says which went over their budget. */
function costs(output, logFile, budgets = BUDGETS) {
  const seen = invocations(output);
  if (!seen.length) return [];
  mkdirSync(COST_DIR, { recursive: true });
  writeFileSync(join(COST_DIR, `${TEST_FILE}.${process.pid}.${Date.now()}.json`), JSON.stringify(seen));
  const sqls = statements(output);
  if (sqls.length) {
    mkdirSync(STATEMENT_DIR, { recursive: true });
    writeFileSync(join(STATEMENT_DIR, `${TEST_FILE}.${process.pid}.${Date.now()}.json`), JSON.stringify(sqls));
  }
  return seen.filter((i) => {
    const budget = budgets[i.kind];
    return budget && (i.d1_statements > budget.d1_statements || i.subrequests > budget.subrequests);
  }).map((i) => `${i.kind} ${i.label}: ${i.d1_statements} D1 statements, ${i.subrequests} subrequests (budget ${JSON.stringify(budgets[i.kind])}; log ${logFile})`);
}

process.on('exit', () => {
  if (!logs.length) return;
  if (process.exitCode || process.env.TEST_KEEP_LOGS) {
    process.stderr.write(`worker and dev-inbox logs of this failed test file, kept: ${logs.map((l) => l.file).join(' ')}\n`);
  } else {
    for (const { file } of logs) rmSync(file, { force: true });
  }
});

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function wrangler(args, dir) {
  try {
    return await run(WRANGLER, [...args, '--local', '--persist-to', dir], { cwd: ROOT, env: ENV, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`wrangler ${args.join(' ')} failed:\n${err.stdout}\n${err.stderr}`);
  }
}

/** Applies migrations (and the seed) to `dir` the way `make db` does. */
async function buildState(dir, seed, media) {
  await wrangler(['d1', 'migrations', 'apply', 'DB'], dir);
  if (seed) {
    // The seed files in order, as one file: one wrangler start instead of one per file.
    const seeds = join(ROOT, 'schema', 'seed');
    const files = (await readdir(seeds)).filter((f) => f.endsWith('.sql')).sort();
    const all = (await Promise.all(files.map((f) => readFile(join(seeds, f), 'utf8')))).join('\n');
    await writeFile(join(dir, 'seed.sql'), all);
    await wrangler(['d1', 'execute', 'DB', '--file', join(dir, 'seed.sql')], dir);
  }
  if (media) {
    await wrangler(['r2', 'object', 'put', 'milie-files/media/video-institutionnelle.webm', '--file',
      join(ROOT, 'schema', 'media', 'video-institutionnelle.webm'), '--content-type', 'video/webm'], dir);
  }
}

/** What a prepared state depends on: the configuration, every migration and seed file. */
async function stateFingerprint(seed, media) {
  const hash = createHash('sha256').update(`${seed}:${media}`);
  hash.update(await readFile(join(ROOT, 'wrangler.toml')));
  for (const sub of ['migrations', 'seed']) {
    const folder = join(ROOT, 'schema', sub);
    for (const f of (await readdir(folder)).sort()) hash.update(f).update(await readFile(join(folder, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A new state directory with migrations applied (and the seed unless `seed: false`; `media: true`
 * also puts the institutional video in local R2, as `make db` does). The first test process to
 * need a given schema builds it once, through wrangler, into a template every later worker copies.
 */
export async function prepareState({ seed = true, media = false } = {}) {
  const template = join(tmpdir(), `milie-template-${await stateFingerprint(seed, media)}`);
  if (!existsSync(template)) {
    const building = await mkdtemp(join(tmpdir(), 'milie-building-'));
    await buildState(building, seed, media);
    // Another test process may have finished first: either copy is the same.
    try { await rename(building, template); } catch { await rm(building, { recursive: true, force: true }); }
  }
  const dir = await mkdtemp(join(tmpdir(), 'milie-state-'));
  await cp(template, dir, { recursive: true });
  return dir;
}

/**
 * Starts the worker; resolves once it answers. `stop()` kills the whole process group and removes
 * the state directory; it is also called on process exit so a failing test never leaks a server.
 */
export async function startWorker(options = {}) {
  const dir = options.stateDir ?? (await prepareState(options));
  // Every worker gets its own provider server, so no mail or SMS ever leaves the test.
  const inbox = options.inbox ?? (await startInbox(options.inboxOptions));
  // A free port can be taken by another test file between our look and wrangler's bind: then
  // wrangler exits at once, and it is started again on other ports (the state and inbox kept).
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, dir, inbox);
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= 4) {
        if (!options.stateDir && !options.keepState) await rm(dir, { recursive: true, force: true });
        if (!options.inbox) await inbox.stop();
        throw e;
      }
    }
  }
}

class PortTaken extends Error {}

async function launch(options, dir, inbox) {
  const port = await freePort();
  const inspector = await freePort();
  const vars = {
    MAIL_API_URL: inbox.url,
    SMS_API_URL: inbox.url,
    MAIL_API_KEY: 'dev-mail-key',
    SMS_CLIENT_ID: 'dev-sms-client',
    SMS_CLIENT_SECRET: 'dev-sms-secret',
    TRACKING_SECRET: 'test-tracking-secret-0123456789abcdef',
    USSD_CALLBACK_SECRET: CALLBACK_SECRETS.ussd,
    SMS_CALLBACK_SECRET: CALLBACK_SECRETS.sms,
    NOTIFY_RETRY_BASE_SECONDS: '1',
    NOTIFY_RETRY_MAX_SECONDS: '2',
    // Most suites register many requests for the same test number and address and count their
    // messages; tests/security.test.mjs checks the production limit (3) on its own worker.
    CONFIRMATIONS_PER_RECIPIENT_PER_HOUR: '100000',
    // Every invocation logs what it cost (D1 statements, subrequests): checked at stop().
    COUNT_INVOCATIONS: '1',
    // A daily job's slice that failed (a test injecting D1 faults) is tried again after a second,
    // not a minute; and one whose failure could not even be written (its lease still held) is
    // picked up after 20 s, not 4 minutes.
    JOB_RETRY_BASE_SECONDS: '1',
    JOB_LEASE_SECONDS: '20',
    // The suite reads and writes D1 and R2 through the worker itself (`sql`, `bucket`).
    TEST_HOOKS: '1',
    // Each distinct SQL text is logged once per isolate, for the query-plan check of `make bench`.
    LOG_STATEMENTS: '1',
    ...options.vars,
  };
  // Miliê is two workers in one `wrangler dev`: the citizens' (first: the port, `--var`) and the
  // back office behind its service binding, which reads the same variables from its own .dev.vars.
  // Another worker's configuration (the benchmark's baseline) runs alone, when given.
  const configs = options.config
    ? ['--config', options.config]
    : ['--config', join(ROOT, 'wrangler.toml'), '--config', await writeOfficeConfig(join(dir, 'office'), vars)];
  const args = ['dev', ...configs, '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspector),
    '--persist-to', dir, '--test-scheduled', '--show-interactive-dev-session=false', '--log-level', 'log'];
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = openLog();
  log.write(`wrangler dev on port ${port}, state ${dir}, inbox ${inbox.url}`);
  const unlisten = inbox.listen?.(log.write);
  let output = '';
  child.stdout.on('data', (d) => { output += d; log.write(d); });
  child.stderr.on('data', (d) => { output += d; log.write(d); });
  const url = `http://127.0.0.1:${port}`;
  const worker = {
    url,
    dir,
    hooks: !options.config && vars.TEST_HOOKS === '1',
    inbox,
    pid: child.pid,
    logFile: log.file,
    get output() { return output; },
    /**
     * A citizen's request through the JSON API, as the form's rules take it: a fresh citizen each
     * time (their own address and mobile) unless `fields` say otherwise; body 5 by default.
     * Resolves with its code, address and mobile once it is registered (201, or the test fails).
     */
    async newRequest(fields = {}, files = []) {
      citizens += 1;
      const n = String(citizens).padStart(4, '0');
      const values = { ...VALID, organisme: '5', email: `citoyen.${process.pid}.${n}@example.ci`, telephone: `07 ${n.slice(0, 2)} ${n.slice(2)} ${String(process.pid % 100).padStart(2, '0')} 99`, ...fields };
      const res = await apiSubmit(url, values, files);
      if (res.status !== 201) throw new Error(`the request was not registered (${res.status}): ${JSON.stringify(res.json)}`);
      const digits = values.telephone.replace(/\D/g, '');
      return { code: res.json.code, email: values.email, phone: digits ? `+225${digits.slice(-10)}` : '', json: res.json };
    },
    /** The session cookie of a staff member who signed in through the mailed link («analyst», «focal»… or an address). */
    signIn(who) {
      return signInAs(worker, STAFF[who] ?? who);
    },
    // Fires a cron as the platform would («*/5 * * * *», «0 6 * * *»); resolves once its jobs ran.
    async cron(expression) {
      const res = await fetch(`${url}/__scheduled?cron=${encodeURIComponent(expression)}`);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`cron ${expression}: HTTP ${res.status}`);
    },
    /**
     * Sets the jobs' test clock (ALLOW_CLOCK_OVERRIDE) to `time`, moving on with the real clock
     * from now (`clock_set_at`); resolves with that now.
     */
    async setClock(time) {
      const setAt = Date.now();
      await sql(dir, `INSERT INTO settings (key, value) VALUES ('clock', '${Math.trunc(time)}'), ('clock_set_at', '${setAt}') ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      return setAt;
    },
    /**
     * Fires the 06:00 trigger as if it were `time` (the jobs' clock, when the worker runs with
     * ALLOW_CLOCK_OVERRIDE; else the real time) and resolves once every daily job of that day is
     * done — the jobs go on a slice per queue message after the trigger. A job waiting after a
     * failed slice is resumed as the five-minute cron would; so is one stalled (its queue message
     * lost, as a fault-injection test may make it) for a few seconds. Each call is a new run, as
     * the next day's would be (the jobs' idempotency keys still carry the clock's day), unless
     * `sameRun`: then the trigger finds the day's run begun and starts nothing. The test clock
     * moves on from `time` with the real one (`setClock`). A trigger that started nothing (its
     * clock read or its start lost to injected faults, after their retries) is fired again.
     * Resolves with the jobs' rows.
     */
    async daily(time = Date.now(), { sameRun = false } = {}) {
      if (!sameRun) await sql(dir, "UPDATE job_runs SET day = ''");
      const setAt = await worker.setClock(time);
      // The jobs must have run as of the clock's day when the trigger fired (with a test clock,
      // never the real day instead); a trigger fired again just before midnight may see the next.
      const override = vars.ALLOW_CLOCK_OVERRIDE === '1';
      const day = (ms) => new Date(ms).toISOString().slice(0, 10);
      const clockDay = () => day(override ? time + (Date.now() - setAt) : Date.now());
      const days = new Set([clockDay()]);
      const trigger = async () => {
        await worker.cron('0 6 * * *');
        days.add(clockDay());
      };
      await trigger();
      let resumed = 0;
      let fired = Date.now();
      return eventually(async (seen) => {
        const rows = await sql(dir, 'SELECT job, day, done, slices, failures, next_at, lease_until, updated_at, last_error FROM job_runs ORDER BY job');
        seen(rows);
        const now = Date.now();
        const stalled = (r) => !r.done && r.next_at <= now && r.lease_until <= now && (r.failures > 0 || r.updated_at < now - 5000);
        // A trigger that started nothing (its clock read or its start lost to injected faults,
        // after their retries) is fired again, as the next day's would be; a begun run ignores it.
        if (!rows.some((r) => days.has(r.day)) && now - fired > 3000) {
          fired = now;
          await trigger();
        }
        if (rows.some(stalled) && now - resumed > 3000) {
          resumed = now;
          await worker.cron('*/5 * * * *');
        }
        return rows.length > 0 && rows.every((r) => r.done === 1 && days.has(r.day)) && rows;
      }, { what: `every daily job of ${[...days].join(' or ')} done (seen: job_runs)`, worker, every: 500 });
    },
    /** The first mail to `address` whose subject contains `subject` (any, without it), once it arrived. */
    mailTo(address, subject = '') {
      const wanted = (m) => m.to.includes(address) && m.subject.includes(subject);
      return eventually((seen) => {
        seen(inbox.state.mails.filter((m) => m.to.includes(address)).map((m) => m.subject));
        return inbox.state.mails.find(wanted);
      }, { what: `a mail to ${address}${subject ? ` about «${subject}»` : ''} (seen: the subjects of its mails)`, worker });
    },
    /** The first SMS to `number` whose text contains `text` (any, without it), once it arrived. */
    smsTo(number, text = '') {
      return eventually((seen) => {
        seen(inbox.state.sms.filter((m) => m.to === number).map((m) => m.text));
        return inbox.state.sms.find((m) => m.to === number && m.text.includes(text));
      }, { what: `an SMS to ${number}${text ? ` saying «${text}»` : ''} (seen: the texts it got)`, worker });
    },
    /**
     * Waits until the outbox has nothing left to send (every row sent or failed: no provider call
     * can follow), then resolves with its rows — how a test knows that nothing more will arrive.
     */
    async settled(where = '1 = 1') {
      await eventually(async (seen) => {
        const open = await sql(dir, `SELECT id, template, channel, status, attempts FROM outbox WHERE status IN ('pending', 'enqueued', 'sending') AND (${where})`);
        seen(open);
        return open.length === 0;
      }, { what: `every notification sent or failed${where === '1 = 1' ? '' : ` (${where})`} (seen: the rows still open)`, worker });
      return sql(dir, `SELECT id, template, channel, recipient, status, attempts, last_error FROM outbox WHERE ${where} ORDER BY id`);
    },
    async stop() {
      if (!live.delete(worker)) return;
      disown(dir);
      unlisten?.();
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch {} resolve(); }, 5000);
        child.once('exit', () => { clearTimeout(timer); resolve(); });
      });
      if (!options.stateDir && !options.keepState) await rm(dir, { recursive: true, force: true });
      if (!options.inbox) await inbox.stop();
      // An invocation over Cloudflare's per-invocation limits fails the test file.
      const over = costs(output, log.file, options.budgets);
      if (over.length) throw new Error(`invocations over their budget:\n${over.join('\n')}`);
    },
  };
  live.add(worker);
  // The dev inbox's phone calls this worker's callbacks, as the gateway would.
  if (inbox.options && !options.config) inbox.options.worker = { url, ussdSecret: vars.USSD_CALLBACK_SECRET, smsSecret: vars.SMS_CALLBACK_SECRET, ...(await localChannels(ROOT)) };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      live.delete(worker);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      unlisten?.();
      const E = /Address already in use/.test(output) ? PortTaken : Error;
      throw new E(`wrangler dev exited early:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      // Ours, not another file's worker that took this port first: wrangler says it is ready.
      if (res.ok && output.includes(`Ready on ${url}`) && child.exitCode === null) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      // Only the process here: the state and inbox are cleaned up by the caller.
      live.delete(worker);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      unlisten?.();
      throw new Error(`wrangler dev did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (worker.hooks) own(dir, url);
  return worker;
}

// Last resort when a test run dies: no wrangler/workerd may outlive it.
function killAll() {
  for (const w of live) {
    try { process.kill(-w.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { killAll(); process.exit(130); });
