// `make bench`: Miliê measured against baselines in the same run, printed as a table (and saved
// to bench-results.json). Not part of `make test`: figures, not pass/fail, except where a budget
// is named, and those are read from the table into BENCHMARKS.md.
//
//   BENCH_SCALE=1000000  stored requests for the large-scale run (default one million)
//   BENCH_SECONDS=8      seconds per load measurement
import { readFile, writeFile, rm } from 'node:fs/promises';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { startWorker, prepareState, sql, ROOT, freePort } from '../../tests/support/worker.mjs';
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

async function scale(n, { submissions }) {
  log(`seeding ${n} requests`);
  const dir = await prepareState();
  const t0 = performance.now();
  await seedRequests(dir, n);
  log(`seeded in ${fmt((performance.now() - t0) / 1000)} s`);
  // Baseline and Miliê take turns, ROUNDS times (2 by default), and each figure is the mean of its
  // rounds: a minute when the machine is busier then falls on both sides instead of one.
  const runs = { baseLookup: [], baseInsert: [], lookup: [], submit: [] };
  const result = {};
  const inbox = await separateInbox();
  let w;
  for (let round = 1; round <= ROUNDS; round++) {
    const base = await startWorker({ stateDir: dir, config: join(ROOT, 'scripts', 'bench', 'baseline', 'wrangler.toml') });
    try {
      runs.baseLookup.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${base.url}/lookup`, { method: 'POST', body: lookupBody(n), headers: { 'content-type': 'application/json' } }] }));
      if (submissions) runs.baseInsert.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${base.url}/insert`, { method: 'POST', body: submission() }] }));
    } finally {
      await base.stop();
    }
    w = await startWorker({ stateDir: dir, inbox, vars: { TRACK_FAILURES_PER_HOUR: '1000000', SUBMIT_LIMIT_PER_HOUR: '100000000' } });
    runs.lookup.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${w.url}/api/v1/suivi`, { method: 'POST', body: lookupBody(n), headers: { 'content-type': 'application/json' } }] }));
    if (submissions) runs.submit.push(await load({ concurrency: CONCURRENCY, seconds: SECONDS, makeRequest: () => [`${w.url}/api/v1/requetes`, { method: 'POST', body: submission() }] }));
    if (round < ROUNDS) await w.stop();
  }
  for (const [k, list] of Object.entries(runs)) if (list.length) result[k] = mean(list);
  try {
    log('daily jobs over the stored requests');
    result.daily = await dailyRun(w);
    // The statistics page, rendered each time (a query the edge cache has never seen).
    result.stats = await load({ concurrency: 2, seconds: SECONDS, makeRequest: (i) => [`${w.url}/statistiques?bench=${i}`, {}] });
  } finally {
    await w.stop();
    await inbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return result;
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
    rows = await sql(w.dir, 'SELECT job, done, slices, failures FROM job_runs ORDER BY job');
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
  row(`stats ${label}`, 'statistics page, uncached: req/s, p50, p99', `${fmt(r.stats.rps, 0)} req/s, ${fmt(r.stats.p50)} / ${fmt(r.stats.p99)} ms`);
  const d = r.daily;
  const left = d.rows.filter((j) => !j.done).map((j) => j.job);
  row(`jobs ${label}`, `daily jobs: ${d.count} invocations (each job to its end or ${SLICES_MEASURED} slices), wall time`, `${fmt(d.ms / 1000, 2)} s`, { budget: left.length ? `left for later slices: ${left.join(', ')}` : 'all done' });
  row(`jobs ${label}`, 'daily jobs: the invocation with the most D1 statements', invocationText(d.statements), { budget: '≤ 1 000 statements', ok: (d.statements?.d1_statements ?? 0) <= 1000 });
  row(`jobs ${label}`, 'daily jobs: the slowest invocation', invocationText(d.slowest), { budget: '≤ 30 s CPU', ok: (d.slowest?.ms ?? 0) < 30_000 });
  for (const r2 of [r.lookup, r.stats, r.baseLookup, ...(r.submit ? [r.submit] : [])]) {
    if (r2.errors) row(`errors ${label}`, 'failed requests during a load', JSON.stringify(r2.statuses), { ok: false });
  }
}

// ---- Page weight and Lighthouse -----------------------------------------------------------------
const PAGES = ['/', '/organismes', '/requete/nouvelle?nature=reclamation', '/requete/nouvelle?nature=reclamation&organisme=5', '/suivi', '/statistiques', '/informations', '/guide', '/a-propos'];

async function pages() {
  const dir = await prepareState({ media: true });
  const w = await startWorker({ stateDir: dir });
  const browser = await launch();
  try {
    for (const path of PAGES) {
      const context = await browser.newContext({ locale: 'fr-CI', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const sizes = [];
      page.on('requestfinished', (req) => sizes.push(req.sizes().then((s) => s.responseBodySize + s.responseHeadersSize)));
      await page.goto(w.url + path, { waitUntil: 'networkidle' });
      const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
      row('page weight', `${path} first load (${sizes.length} responses)`, `${fmt(total / KB)} KB`, { budget: '≤ 30 KB', ok: total <= 30 * KB });
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
  const large = await scale(SCALE, { submissions: false });
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
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30, 0)} GB, Node ${process.version}`;
console.log(`\nMiliê benchmarks — ${new Date().toISOString()} — ${machine} — ${fmt((Date.now() - started) / 1000, 0)} s\n`);
console.log(table());
await writeFile(join(ROOT, 'bench-results.json'), JSON.stringify({ at: new Date().toISOString(), machine, rows }, null, 2));
