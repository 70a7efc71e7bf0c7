// `make bench`: Miliê measured against baselines in the same run, printed as a table (and saved
// to bench-results.json). Not part of `make test`: figures, not pass/fail, except where a budget
// is named, and those are read from the table into BENCHMARKS.md.
//
//   BENCH_SCALE=1000000  stored requests for the large-scale run (default one million)
//   BENCH_SECONDS=8      seconds per load measurement
import { readFile, readdir, writeFile, rm } from 'node:fs/promises';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { startWorker, prepareState, sql, ROOT, freePort, CALLBACK_SECRETS, statements, STATEMENT_DIR } from '../../tests/support/worker.mjs';
import { launch } from '../../tests/support/browser.mjs';
import { seedRequests, codeOf, emailOf } from './seed.mjs';
import { load } from './load.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/**
 * The dev inbox (Miliê's mail and SMS provider) in a process of its own: inside this one it would
 * share the load generator's event loop, slowing the generator for Miliê and not for the baseline.
 */
async function separateInbox() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'dev-inbox.mjs')], { env: { ...process.env, INBOX_PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { if (String(d).includes('dev inbox on')) resolve(); });
    child.once('exit', (code) => reject(new Error(`dev inbox exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, state: null, stop: async () => { child.kill(); } };
}

/** Load results of several rounds as one: mean throughput and mean percentiles. */
const mean = (list) => {
  const avg = (f) => list.reduce((a, r) => a + f(r), 0) / list.length;
  return { rps: avg((r) => r.rps), p50: avg((r) => r.p50), p99: avg((r) => r.p99), count: list.reduce((a, r) => a + r.count, 0), errors: list.reduce((a, r) => a + r.errors, 0), statuses: Object.assign({}, ...list.map((r) => r.statuses)), rounds: list.map((r) => Math.round(r.rps)) };
};
const KB = 1024;
const rows = [];
const log = (...a) => console.error('[bench]', ...a);

function row(area, figure, value, { baseline = null, ratio = null, budget = '', ok = null } = {}) {
  rows.push({ area, figure, value, baseline, ratio, budget, verdict: ok === null ? '' : ok ? 'within' : 'MISSED' });
}
const fmt = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');

// ---- Bundle and cold start -------------------------------------------------------------------
async function bundle() {
  // The citizens' worker (build/) is what a citizen's request starts; the back office
  // (build-office/, behind its service binding) is reported beside it, without a budget.
  const wasm = await readFile(join(ROOT, 'build', 'index_bg.wasm'));
  const js = await readFile(join(ROOT, 'build', 'index.js'));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const total = gz(wasm) + gz(js);
  row('bundle', "citizens' worker: wasm raw / gzip / brotli", `${fmt(wasm.length / KB)} / ${fmt(gz(wasm) / KB)} / ${fmt(brotliCompressSync(wasm).length / KB)} KB`);
  row('bundle', "citizens' worker: JS raw / gzip", `${fmt(js.length / KB)} / ${fmt(gz(js) / KB)} KB`);
  row('bundle', "citizens' worker: wasm + JS gzipped", `${fmt(total / KB)} KB`, { budget: '≤ 400 KB', ok: total <= 400 * KB });
  const officeWasm = await readFile(join(ROOT, 'build-office', 'index_bg.wasm'));
  const officeJs = await readFile(join(ROOT, 'build-office', 'index.js'));
  row('bundle', 'back office (second worker): wasm + JS gzipped', `${fmt((gz(officeWasm) + gz(officeJs)) / KB)} KB`);
  // Compiling the module is what a cold isolate pays first. Chromium's V8 is as recent as
  // workerd's (the module uses wasm exception handling, which Node 20's V8 lacks).
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const ms = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const t = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await WebAssembly.compile(bytes);
        t.push(performance.now() - s);
      }
      return t.sort((a, b) => a - b)[2];
    }, wasm.toString('base64'));
    row('cold start', 'wasm compile (V8 in Chromium, median of 5)', `${fmt(ms)} ms`);
  } finally {
    await browser.close();
  }
}

// ---- Throughput against the baseline, at two scales --------------------------------------------
const pick = (n) => Math.floor(Math.random() * n);
const lookupBody = (n) => JSON.stringify(((i) => ({ code: codeOf(i), email: emailOf(i) }))(pick(n)));
function submission() {
  const form = new FormData();
  for (const [k, v] of Object.entries({ organisme: '5', nature: 'reclamation', message: 'Le guichet de l\'état civil est resté fermé toute la semaine aux heures affichées.', nom: 'Kouassi', prenoms: 'Aya', pays: 'CI', telephone: '07 07 12 34 56', email: 'bench.submit@example.ci', conditions: 'on' })) form.set(k, v);
  return form;
}

/**
 * A USSD gateway's callback, as Africa's Talking sends it: a new session on a random Orange number,
 * half of them just dialled (the first screen), half dialled with three inputs (language, «Soumettre»,
 * nature: the bodies' list) — the screens that read and write the most.
 */
function ussdScreen(url, i) {
  const number = `+22507${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const body = new URLSearchParams({ sessionId: `ATUid_bench_${i}_${Math.random()}`, serviceCode: '*384*7117#', phoneNumber: number, networkCode: '62001', text: i % 2 ? '1*1*1' : '' });
  return [`${url}/canaux/ussd/${CALLBACK_SECRETS.ussd}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }];
}

/** Loads run as the baseline does: without a cost line logged per invocation (the tests' meter). */
const QUIET = { COUNT_INVOCATIONS: '0' };

async function scale(n, { submissions, ussd = true }) {
  log(`seeding ${n} requests`);
  const dir = await prepareState();
  const t0 = performance.now();
  await seedRequests(dir, n);
  log(`seeded in ${fmt((performance.now() - t0) / 1000)} s`);
  // Baseline and Miliê take turns, ROUNDS times (2 by default), and each figure is the mean of its
  // rounds: a minute when the machine is busier then falls on both sides instead of one.
  const runs = { baseLookup: [], baseInsert: [], lookup: [], submit: [], ussd: [] };
  const result = {};
  const inbox = await separateInbox();
  // Every SQL text Miliê's workers prepared in this run, for the plans read at the end.
  const texts = new Set();
  let w;
  for (let round = 1; round <= ROUNDS; round++) {
    const base = await startWorker({ stateDir: dir, config: join(ROOT, 'scripts', 'bench', 'baseline', 'wrangler.toml') });
    try {
      runs.baseLookup.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${base.url}/lookup`, { method: 'POST', body: lookupBody(n), headers: { 'content-type': 'application/json' } }] }));
      if (submissions) runs.baseInsert.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${base.url}/insert`, { method: 'POST', body: submission() }] }));
    } finally {
      await base.stop();
    }
    w = await startWorker({ stateDir: dir, inbox, vars: { TRACK_FAILURES_PER_HOUR: '1000000', SUBMIT_LIMIT_PER_HOUR: '100000000', ...QUIET } });
    runs.lookup.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${w.url}/api/v1/suivi`, { method: 'POST', body: lookupBody(n), headers: { 'content-type': 'application/json' } }] }));
    if (submissions) runs.submit.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${w.url}/api/v1/requetes`, { method: 'POST', body: submission() }] }));
    // A USSD screen against the tracking lookup in the same run: a gateway waits only a few seconds.
    if (ussd) runs.ussd.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: (i) => ussdScreen(w.url, i), ok: (status) => status === 200 }));
    if (round < ROUNDS) {
      for (const t of statements(w.output)) texts.add(t);
      await w.stop();
    }
  }
  for (const [k, list] of Object.entries(runs)) if (list.length) result[k] = mean(list);
  try {
    // The jobs are measured from each invocation's cost line: a worker that writes them.
    for (const t of statements(w.output)) texts.add(t);
    await w.stop();
    w = await startWorker({ stateDir: dir, inbox });
    log('daily jobs over the stored requests');
    result.daily = await dailyRun(w);
    // The jobs' backlog (a million requests to count) would go on slicing under the next load:
    // a fresh worker starts without the queue's messages (the five-minute cron, never fired
    // here, would resume them).
    for (const t of statements(w.output)) texts.add(t);
    await w.stop();
    w = await startWorker({ stateDir: dir, inbox, vars: QUIET });
    // The statistics page, rendered each time (a query the edge cache has never seen).
    result.stats = await load({ concurrency: 2, seconds: SECONDS, makeRequest: (i) => [`${w.url}/statistiques?bench=${i}`, {}] });
    for (const t of statements(w.output)) texts.add(t);
    await w.stop();
    result.plans = await plans(dir, [...texts]);
  } finally {
    await w.stop();
    await inbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}

/**
 * Every statement this run's workers prepared, with those of the last `make test` (if its
 * statements are there), planned and timed over the stored requests (scripts/bench/plans.py).
 */
async function plans(dir, texts) {
  const d1 = join(dir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = (await readdir(d1)).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  const lists = [join(dir, 'bench-statements.json')];
  await writeFile(lists[0], JSON.stringify(texts));
  for (const f of await readdir(STATEMENT_DIR).catch(() => [])) lists.push(join(STATEMENT_DIR, f));
  const out = await new Promise((resolve, reject) => {
    const child = spawn('python3', [join(ROOT, 'scripts', 'bench', 'plans.py'), join(d1, file), ...lists], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (c) => { text += c; });
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`plans.py exited ${code}`))));
  });
  return { ...JSON.parse(out), fromSuite: lists.length - 1 };
}

/**
 * The 06:00 run over the stored requests, as the platform runs it: the trigger, then a slice per
 * queue message. Every job is followed until it is done or has run SLICES_MEASURED slices (a
 * backlog of a million requests would take thousands: each slice is bounded, so the first ones
 * show what every one costs). Returns the largest invocation by D1 statements and by time,
 * read from the invocations' log lines, the slices run and what is left.
 */
const SLICES_MEASURED = Number(process.env.BENCH_SLICES) || 15;
async function dailyRun(w) {
  const mark = w.output.length;
  const t = performance.now();
  await sql(w.dir, "UPDATE job_runs SET day = ''").catch(() => {});
  await w.cron('0 6 * * *');
  let rows = [];
  for (const deadline = Date.now() + 15 * 60_000; Date.now() < deadline;) {
    // At a million rows a slice may hold the database longer than sql()'s retries of a busy
    // SQLite wait: that poll is skipped, the next one reads it.
    try {
      rows = await sql(w.dir, 'SELECT job, done, slices, failures FROM job_runs ORDER BY job');
    } catch (err) {
      if (!/SQLITE_BUSY|database is locked|internal error/.test(String(err?.message ?? err))) throw err;
    }
    if (rows.length && rows.every((r) => r.done || r.slices >= SLICES_MEASURED)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const ms = performance.now() - t;
  const invocations = w.output.slice(mark).split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''))
    .filter((l) => l.includes('"event":"invocation"'))
    .map((l) => { try { return JSON.parse(l.slice(l.indexOf('{'))); } catch { return null; } })
    .filter((i) => i && (i.kind === 'cron' || (i.kind === 'queue' && i.label !== 'milie-notifications')));
  const by = (k) => invocations.reduce((a, b) => ((b[k] ?? 0) > (a?.[k] ?? -1) ? b : a), null);
  return { ms, rows, count: invocations.length, statements: by('d1_statements'), slowest: by('ms'), subrequests: by('subrequests') };
}

/** «41 statements, 12 subrequests, 85 ms (queue: rollups)». */
const invocationText = (i) => (i ? `${i.d1_statements} statements, ${i.subrequests} subrequests, ${fmt(i.ms ?? 0, 0)} ms (${i.kind}: ${i.label.replace('milie-notifications ', '')})` : '—');

/** «171 req/s (165 + 177), 44.5 / 91.1 ms»: the mean, each round's throughput, the percentiles. */
const loadText = (r) => `${fmt(r.rps, 0)} req/s${r.rounds?.length > 1 ? ` (${r.rounds.join(' + ')})` : ''}, ${fmt(r.p50)} / ${fmt(r.p99)} ms`;

function throughputRows(label, r) {
  const ratio = r.lookup.rps / r.baseLookup.rps;
  row(`lookup ${label}`, `tracking lookup (POST /api/v1/suivi) req/s (${ROUNDS} rounds), p50, p99`, loadText(r.lookup),
    { baseline: loadText(r.baseLookup), ratio: fmt(ratio, 2), budget: '≥ 0.90 of baseline', ok: ratio >= 0.9 });
  if (r.submit) {
    row(`submit ${label}`, `submission (POST /api/v1/requetes) req/s (${ROUNDS} rounds), p50, p99`, loadText(r.submit),
      { baseline: loadText(r.baseInsert), ratio: fmt(r.submit.rps / r.baseInsert.rps, 2),
        budget: '≥ 0.50 of a bare insert', ok: r.submit.rps / r.baseInsert.rps >= 0.5 });
  }
  if (r.ussd) {
    row(`ussd ${label}`, 'USSD screen (POST /canaux/ussd, a new session: first screen or three inputs) req/s, p50, p99; beside: the tracking lookup', loadText(r.ussd),
      { baseline: loadText(r.lookup), ratio: fmt(r.ussd.p50 / r.lookup.p50, 2), budget: 'p99 ≤ 1 000 ms', ok: r.ussd.p99 <= 1000 });
  }
  row(`stats ${label}`, 'statistics page, uncached: req/s, p50, p99', `${fmt(r.stats.rps, 0)} req/s, ${fmt(r.stats.p50)} / ${fmt(r.stats.p99)} ms`);
  const d = r.daily;
  const left = d.rows.filter((j) => !j.done).map((j) => j.job);
  row(`jobs ${label}`, `daily jobs: ${d.count} invocations (each job to its end or ${SLICES_MEASURED} slices), wall time`, `${fmt(d.ms / 1000, 2)} s`, { budget: left.length ? `left for later slices: ${left.join(', ')}` : 'all done' });
  row(`jobs ${label}`, 'daily jobs: the invocation with the most D1 statements', invocationText(d.statements), { budget: '≤ 1 000 statements', ok: (d.statements?.d1_statements ?? 0) <= 1000 });
  row(`jobs ${label}`, 'daily jobs: the slowest invocation', invocationText(d.slowest), { budget: '≤ 30 s CPU', ok: (d.slowest?.ms ?? 0) < 30_000 });
  if (r.plans) {
    const p = r.plans;
    row(`plans ${label}`, `statements planned and timed over the stored requests (${p.fromSuite ? 'this run and the last make test' : 'this run only: no make test statements found'}): ${p.statements}; walking history or over 25 ms`,
      p.flagged.map((f) => `${f.ms} ms: ${f.sql.slice(0, 90)}…`).join(' · ') || 'none', { budget: 'none', ok: p.flagged.length === 0 });
    if (p.known.length) {
      const why = [...new Set(p.known.map((k) => k.why))];
      row(`plans ${label}`, `statements that read every match by design (${p.known.length}; scripts/bench/plans.py KNOWN)`,
        why.map((w) => `${w} (up to ${Math.max(...p.known.filter((k) => k.why === w).map((k) => k.ms))} ms)`).join(' · '));
    }
    if (p.unreadable.length) row(`plans ${label}`, 'statements SQLite could not plan', p.unreadable.map((u) => u.error).join(' · '));
  }
  for (const r2 of [r.lookup, r.stats, r.baseLookup, ...(r.submit ? [r.submit] : []), ...(r.ussd ? [r.ussd] : [])]) {
    if (r2.errors) row(`errors ${label}`, 'failed requests during a load', JSON.stringify(r2.statuses), { ok: false });
  }
}

// ---- Page weight and Lighthouse -----------------------------------------------------------------
const FORM = '/requete/nouvelle?nature=reclamation&organisme=5';
const PAGES = ['/', '/organismes', '/requete/nouvelle?nature=reclamation', FORM, '/suivi', '/statistiques', '/informations', '/guide', '/a-propos'];

/** Bytes on the wire of one response as the server sends it (compressed body and headers). */
function wire(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
      let body = 0;
      res.on('data', (d) => { body += d.length; });
      res.on('end', () => {
        const head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n${res.rawHeaders.map((v, i) => (i % 2 ? `${v}\r\n` : `${v}: `)).join('')}\r\n`;
        resolve(body + Buffer.byteLength(head));
      });
    }).on('error', reject);
  });
}

// Every response of a first visit counts: the page's, and the service worker's own fetches (its
// shell); the worker's script, the manifest and the home-screen icon the browser fetches for
// installing are counted as the server sends them (Chromium reports no size for the first, and
// fetches the others only when it judges the page installable).
async function pages() {
  const dir = await prepareState({ media: true });
  const w = await startWorker({ stateDir: dir });
  const browser = await launch();
  const installing = (await wire(`${w.url}/sw.js`)) + (await wire(`${w.url}/manifest.fr.webmanifest`)) + (await wire(`${w.url}/img/icon-192.png`));
  try {
    for (const path of PAGES) {
      const context = await browser.newContext({ locale: 'fr-CI', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const sizes = [];
      context.on('requestfinished', (req) => {
        if (new URL(req.url()).pathname === '/sw.js') return;
        sizes.push(req.response().then((res) => (res?.fromServiceWorker() ? 0 : req.sizes().then((s) => Math.max(0, s.responseBodySize + s.responseHeadersSize)))));
      });
      await page.goto(w.url + path, { waitUntil: 'networkidle' });
      // Installed and active: its shell is fetched.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      await page.waitForLoadState('networkidle');
      const list = await Promise.all(sizes);
      const total = list.reduce((a, b) => a + b, 0) + installing;
      row('page weight', `${path} first load (${list.filter((b) => b > 0).length + 3} responses, service worker and manifest included)`, `${fmt(total / KB)} KB`, { budget: '≤ 30 KB', ok: total <= 30 * KB });
      if (path === FORM) {
        // The drafts script comes with the first thing typed (or with a draft on the device).
        const before = sizes.length;
        await page.getByLabel('Message').fill('Un premier mot.');
        await page.waitForFunction(() => document.getElementById('brouillon-etat'));
        await page.waitForLoadState('networkidle');
        const more = (await Promise.all(sizes.slice(before))).reduce((a, b) => a + b, 0);
        row('page weight', `${path} then the first keystroke (drafts script)`, `+ ${fmt(more / KB)} KB`);
      }
      await context.close();
    }
    await lighthouse(w.url);
  } finally {
    await browser.close();
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function lighthouse(base) {
  const { default: run } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    // A first run warms Chromium up (its first trace often lacks a paint event); it is not reported.
    await run(base + '/', { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    for (const path of ['/', '/requete/nouvelle?nature=reclamation&organisme=5', '/statistiques', '/guide']) {
      // Lighthouse's default: a mid-range phone on slow 4G (simulated throttling).
      const result = await run(base + path, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] });
      const c = result.lhr.categories;
      const perf = c.performance.score === null ? 'n/a' : Math.round(c.performance.score * 100);
      const a11y = Math.round(c.accessibility.score * 100);
      const lcp = result.lhr.audits['largest-contentful-paint']?.displayValue ?? '';
      row('lighthouse mobile', `${path} performance / accessibility (LCP)`, `${perf} / ${a11y} (${lcp})`, { budget: 'a11y 100', ok: a11y === 100 });
    }
  } finally {
    await chrome.kill();
  }
}

// ---- Main -------------------------------------------------------------------------------------
function table() {
  const head = ['area', 'figure', 'Miliê', 'baseline', 'ratio', 'budget', 'verdict'];
  const lines = rows.map((r) => [r.area, r.figure, r.value, r.baseline ?? '', r.ratio ?? '', r.budget, r.verdict]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmtLine = (l) => `| ${l.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [fmtLine(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmtLine)].join('\n');
}

const only = process.argv[2];
const started = Date.now();
if (!only || only === 'bundle') await bundle();
if (!only || only === 'scale') {
  const small = await scale(10_000, { submissions: true });
  throughputRows('10k', small);
  const large = await scale(SCALE, { submissions: false, ussd: false });
  throughputRows(`${SCALE / 1000}k`, large);
  const cost = (a, b) => b / a;
  const lookupCost = cost(small.lookup.p50, large.lookup.p50);
  const statsCost = cost(small.stats.p50, large.stats.p50);
  row('flat cost', `lookup p50 at ${SCALE / 1000}k ÷ at 10k`, fmt(lookupCost, 2), { budget: '≤ 1.5', ok: lookupCost <= 1.5 });
  row('flat cost', `statistics p50 at ${SCALE / 1000}k ÷ at 10k`, fmt(statsCost, 2), { budget: '≤ 1.5', ok: statsCost <= 1.5 });
  const jobsRatio = (large.daily.slowest?.ms ?? 0) / Math.max(1, small.daily.slowest?.ms ?? 0);
  row('flat cost', `daily jobs' slowest invocation at ${SCALE / 1000}k ÷ at 10k`, fmt(jobsRatio, 2), { budget: '≤ 2', ok: jobsRatio <= 2 });
  const statementsRatio = (large.daily.statements?.d1_statements ?? 0) / Math.max(1, small.daily.statements?.d1_statements ?? 0);
  row('flat cost', `daily jobs' largest invocation in D1 statements at ${SCALE / 1000}k ÷ at 10k`, fmt(statementsRatio, 2), { budget: '≤ 2', ok: statementsRatio <= 2 });
}
if (only === 'ussd') {
  // The USSD row alone (with the lookup it is read against): `node scripts/bench/run.mjs ussd`.
  throughputRows('10k', await scale(10_000, { submissions: false }));
}
if (!only || only === 'pages') await pages();
if (!only || only === 'jobs') {
  // Issue #7: the daily run over 100 000 requests stays within the Workers limits (bounded batches).
  const dir = await prepareState();
  await seedRequests(dir, 100_000);
  const w = await startWorker({ stateDir: dir });
  try {
    const d = await dailyRun(w);
    row('jobs 100k', `daily jobs over 100 000 requests: ${d.count} invocations, wall time`, `${fmt(d.ms / 1000, 2)} s`, { budget: 'no failed slice', ok: d.rows.every((j) => j.failures === 0) });
    row('jobs 100k', 'the invocation with the most D1 statements', invocationText(d.statements), { budget: '≤ 1 000 statements', ok: (d.statements?.d1_statements ?? 0) <= 1000 });
    row('jobs 100k', 'the slowest invocation', invocationText(d.slowest));
  } finally {
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
// Issue #31: a 100 000-row export streamed through wrangler dev — time, size, workerd's memory
// (the whole process: both workers, the local D1's SQLite and V8's heap as it grows between
// collections), beside a 20 000-row one: memory that grew with the rows would show here.
for (const ROWS of (!only || only === 'export') ? [20_000, Number(process.env.BENCH_EXPORT_ROWS ?? 100_000)] : []) {
  const dir = await prepareState();
  await sql(dir, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${ROWS})
    INSERT INTO requests (code, body_id, nature, message, last_name, first_names, country, phone, email, channel, stage, created_at, updated_at, public_id)
    SELECT 20000000 + i, 1 + i % 10, 'reclamation', 'Réclamation de banc d''essai numéro ' || i || ' : l''état civil de Côte d''Ivoire, été comme hiver.',
      'Koné', 'Aïcha', 'CI', '+22507' || (20000000 + i), 'export' || i || '@example.ci', 'web', 'awaiting_triage',
      ${Date.now()} - i * 1000, ${Date.now()} - i * 1000, printf('%016x', 5000000 + i) FROM n`);
  const w = await startWorker({ stateDir: dir, vars: { SIGN_IN_LIMIT_PER_HOUR: '100' } });
  // workerd's resident memory (the isolate's heap included), sampled while the file streams.
  const rss = async () => {
    let total = 0;
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      try {
        const status = await readFile(`/proc/${pid}/status`, 'utf8');
        const pgid = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ')[2];
        if (Number(pgid) === w.pid && /^Name:\s+workerd/m.test(status)) total += Number(status.match(/VmRSS:\s+(\d+)/)[1]);
      } catch { /* gone */ }
    }
    return total * 1024;
  };
  try {
    const cookie = await w.signIn('analyst');
    for (const format of ['csv', 'xlsx']) {
      const idle = await rss();
      let peak = idle;
      const sampler = setInterval(async () => { peak = Math.max(peak, await rss()); }, 100);
      const t = performance.now();
      const res = await fetch(`${w.url}/agent?file=a-trier&format=${format}`, { headers: { cookie } });
      let bytes = 0;
      let first = null;
      let lines = 0;
      for await (const chunk of res.body) {
        first ??= performance.now() - t;
        bytes += chunk.length;
        if (format === 'csv') for (const b of chunk) if (b === 10) lines += 1;
      }
      const ms = performance.now() - t;
      clearInterval(sampler);
      peak = Math.max(peak, await rss());
      const rowsOk = format === 'xlsx' || lines >= ROWS + 1;
      row(`export ${ROWS / 1000}k`, `${format.toUpperCase()} of ${ROWS} requests (à trier, contacts): status, first byte, last byte, size`,
        `${res.status}, ${fmt(first)} ms, ${fmt(ms / 1000, 2)} s, ${fmt(bytes / 2 ** 20)} MB`, { budget: 'completes, every row', ok: res.status === 200 && rowsOk });
      row(`export ${ROWS / 1000}k`, `${format.toUpperCase()}: workerd resident memory idle → peak`, `${fmt(idle / 2 ** 20)} → ${fmt(peak / 2 ** 20)} MB`);
    }
    row(`export ${ROWS / 1000}k`, `D1 statements per export of ${ROWS}`, `${2 + Math.floor(ROWS / 2500) + 1}: the session, the audit record, ${Math.floor(ROWS / 2500) + 1} pages of 2 500`);
  } finally {
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GB, Node ${process.version}`;
console.log(`\nMiliê benchmarks — ${new Date().toISOString()} — ${machine} — ${fmt((Date.now() - started) / 1000, 0)} s\n`);
console.log(table());
await writeFile(join(ROOT, 'bench-results.json'), JSON.stringify({ at: new Date().toISOString(), machine, rows }, null, 2));
