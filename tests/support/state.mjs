// The local D1 and R2 of a state directory, as the tests read and write them: through the live
// worker that owns the directory (its test hooks: `app::test_hooks`, on with TEST_HOOKS=1), or,
// when none runs (a state prepared, or kept between two workers), through wrangler's platform
// proxy — then nothing else has the SQLite files open.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPlatformProxy } from 'wrangler';
import { beforeDeadline, scaled } from './eventually.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const proxies = new Map();
/** A proxy unused this long is closed, so a test process never waits on one to exit. */
const PROXY_IDLE_MS = 4000;
/** How long one statement through the proxy may take before the proxy is taken for dead: short
 * enough that a replaced proxy still answers within one `eventually` wait (120 s). */
const SQL_ATTEMPT_MS = 30_000;

/**
 * The bindings of a state directory through wrangler's platform proxy (Miniflare, the same
 * persisted D1 and R2 the worker under test uses): one runtime per directory, started on first
 * use and closed when the worker stops or after a few idle seconds, instead of one CLI process
 * per query.
 */
export function platform(dir) {
  return use(dir, (env) => env);
}

/** Runs `work` with the directory's bindings; the idle countdown starts when no work is left. */
async function use(dir, work) {
  let entry = proxies.get(dir);
  if (!entry) {
    entry = { proxy: getPlatformProxy({ configPath: join(ROOT, 'wrangler.toml'), persist: { path: join(dir, 'v3') }, remoteBindings: false, envFiles: [] }), timer: null, busy: 0 };
    proxies.set(dir, entry);
  }
  clearTimeout(entry.timer);
  entry.busy += 1;
  try {
    const { env } = await entry.proxy;
    return await work(env);
  } finally {
    entry.busy -= 1;
    if (entry.busy === 0 && entry.retired) (await entry.proxy).dispose().catch(() => {});
    else if (entry.busy === 0) entry.timer = setTimeout(() => closePlatform(dir), PROXY_IDLE_MS);
  }
}

/**
 * Miniflare's proxy answers its synchronous calls over one message channel; once a call reads
 * another call's answer (its own `assert(message?.id === id)` fails, seen once under the parallel
 * suite) that channel is out of step for good. The directory gets a fresh proxy; the old one is
 * closed when its last call returns.
 */
function outOfStep(err) {
  return err?.code === 'ERR_ASSERTION' && /SynchronousFetcher/.test(err?.stack ?? '');
}
/** A proxy that stopped answering: forgotten and disposed even while a query still waits on it. */
function abandon(dir) {
  const entry = proxies.get(dir);
  if (!entry) return;
  proxies.delete(dir);
  clearTimeout(entry.timer);
  entry.retired = true;
  entry.proxy.then((p) => p.dispose()).catch(() => {});
}

function retire(dir) {
  const entry = proxies.get(dir);
  if (!entry) return;
  proxies.delete(dir);
  clearTimeout(entry.timer);
  entry.retired = true;
  if (entry.busy === 0) entry.proxy.then((p) => p.dispose()).catch(() => {});
}

export async function closePlatform(dir) {
  const entry = proxies.get(dir);
  if (!entry) return;
  proxies.delete(dir);
  clearTimeout(entry.timer);
  try { await (await entry.proxy).dispose(); } catch { /* already gone */ }
}

/**
 * Runs SQL against the worker's local D1 (to set a clock, or to inspect what was stored): through
 * the live worker that owns `dir` (its test hook), or, when none runs (a state prepared or kept
 * between two workers), through wrangler's platform proxy — then nothing else writes the files.
 */
export async function sql(dir, command) {
  const hooks = hooksOf(dir);
  if (hooks) return hookSql(hooks, command);
  for (let attempt = 1; ; attempt++) {
    try {
      // A proxy whose workerd died mid-query (seen after SQLITE_BUSY) never answers: each attempt
      // has a deadline, and a silent proxy is replaced.
      const work = use(dir, async (env) => (await env.DB.prepare(command).all()).results);
      return await beforeDeadline(work, Date.now() + scaled(SQL_ATTEMPT_MS), `SQL «${command.trim().slice(0, 80)}»`);
    } catch (err) {
      if (err?.code === 'NO_ANSWER') {
        abandon(dir);
        if (attempt < 3) continue;
        throw err;
      }
      if (outOfStep(err)) {
        retire(dir);
        // A read is asked again of the fresh proxy; a write may have run already: it fails the test.
        if (/^\s*SELECT\b/i.test(command) && attempt < 3) continue;
        throw err;
      }
      // The worker writing at the same moment: SQLITE_BUSY, which D1 reports as an «internal error».
      if (attempt >= 10 || !/SQLITE_BUSY|database is locked|internal error/.test(String(err?.message ?? err))) throw err;
      await new Promise((r) => setTimeout(r, 150 * attempt));
    }
  }
}

/** Each state directory's live worker that serves the test hooks: its address. */
const owners = new Map();
/** `dir`'s worker answers at `url` (its hooks on); a proxy still open on the files is closed. */
export async function own(dir, url) {
  await closePlatform(dir);
  owners.set(dir, url);
}
/** `dir`'s worker has stopped. */
export function disown(dir) {
  owners.delete(dir);
}
function hooksOf(dir) {
  return owners.get(dir);
}

/**
 * One statement through the worker's own test hook (`app::test_hooks`): the query joins the
 * worker's own on the same database object, so neither side ever meets SQLITE_BUSY — the cause
 * of the silent proxies and of the deliveries failed by a test's read (#34). D1's error (a
 * constraint's name, a trigger's RAISE) is the thrown message.
 */
async function hookSql(url, command) {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(`${url}/__test/d1`, { method: 'POST', body: command, signal: AbortSignal.timeout(scaled(SQL_ATTEMPT_MS)) });
    } catch (err) {
      // No answer: a read is asked again; a write may have run, so it fails the test.
      if (/^\s*SELECT\b/i.test(command) && attempt < 3) continue;
      throw new Error(`SQL «${command.trim().slice(0, 80)}»: the worker did not answer (${err?.message ?? err})`);
    }
    const text = await res.text();
    if (res.ok) return JSON.parse(text);
    throw new Error(`SQL «${command.trim().slice(0, 80)}»: ${text}`);
  }
}

/** The worker's R2 bucket through its test hook: every key (sorted), one object, or a put. */
export function bucket(dir) {
  const url = hooksOf(dir);
  if (!url) throw new Error(`no live worker serves the test hooks for ${dir}`);
  const call = async (method, path, body) => {
    const res = await fetch(`${url}/__test/r2${path}`, { method, body, signal: AbortSignal.timeout(scaled(SQL_ATTEMPT_MS)) });
    // Only the hook's own «no such object» means absent: any other 404 (a wrong route) fails.
    if (res.status === 404 && res.headers.get('x-test-hook') === 'missing') return null;
    if (!res.ok) throw new Error(`R2 ${method} ${path || 'list'}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  return {
    async keys() { return (await call('GET', '')).json(); },
    async get(key) { const res = await call('GET', `/${key}`); return res && new Uint8Array(await res.arrayBuffer()); },
    async put(key, value) { await call('PUT', `/${key}`, value); },
  };
}
