// The local D1 and R2 of a state directory, as the tests read and write them: through the live
// worker that owns the directory (its test hooks: `app::test_hooks`, on with TEST_HOOKS=1), or,
// when none runs (a state prepared, or kept between two workers), through wrangler's platform
// proxy — then nothing else has the SQLite files open.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPlatformProxy } from 'wrangler';
import { beforeDeadline, scaled } from './eventually.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How long one statement through the proxy may take before the proxy is taken for dead. */
const SQL_ATTEMPT_MS = 30_000;

/**
 * Runs `work` with the bindings of a state directory through wrangler's platform proxy
 * (Miniflare, the same persisted D1 and R2 the worker uses), a runtime of its own for this one
 * call, closed when it returns: only while no worker runs on the files, so nothing else has them
 * open and nothing lingers after.
 */
async function withProxy(dir, work) {
  const proxy = getPlatformProxy({ configPath: join(ROOT, 'wrangler.toml'), persist: { path: join(dir, 'v3') }, remoteBindings: false, envFiles: [] });
  try {
    return await work((await proxy).env);
  } finally {
    proxy.then((p) => p.dispose()).catch(() => {});
  }
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
      const work = withProxy(dir, async (env) => (await env.DB.prepare(command).all()).results);
      return await beforeDeadline(work, Date.now() + scaled(SQL_ATTEMPT_MS), `SQL «${command.trim().slice(0, 80)}»`);
    } catch (err) {
      // A proxy that never answered: a read is asked again of a new one; a write may have run.
      if (err?.code === 'NO_ANSWER' && /^\s*SELECT\b/i.test(command) && attempt < 3) continue;
      throw err;
    }
  }
}

/** Each state directory's live worker that serves the test hooks: its address. */
const owners = new Map();
/** `dir`'s worker answers at `url`, its hooks on. */
export function own(dir, url) {
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
