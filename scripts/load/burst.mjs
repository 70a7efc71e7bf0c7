// Load with nothing lost (issue #10): a bounded burst of submissions on loopback, some with a PDF
// attached, while the mail API fails 30 % of its calls. With CRASH=1 the worker process is killed
// mid-burst and restarted on the same state; clients retry what got no answer with the same
// Idempotency-Key, as a real client would. With FAULTS=1 D1 and R2 fail 10 % of their calls each
// too (FAULT_D1_RATE, FAULT_R2_RATE: before or after taking effect): a refused submission must be
// a 503 with Retry-After, retried by the client with its key; no object may stay in R2 without its
// request once the day's orphan sweep has run. Prints counts; exits 1 if anything was lost or doubled.
//
//   TOTAL=10000 CONCURRENCY=24 ATTACH_EVERY=10 MAIL_FAIL_RATE=0.3 CRASH=0 FAULTS=0 node scripts/load/burst.mjs
import { performance } from 'node:perf_hooks';
import { rm } from 'node:fs/promises';
import { startWorker, prepareState, sql, PAID_PLAN } from '../../tests/support/worker.mjs';
import { startInbox } from '../dev-inbox.mjs';
import { r2Keys } from '../../tests/support/r2.mjs';
import { PDF } from '../../tests/support/forms.mjs';

const TOTAL = Number(process.env.TOTAL ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 24);
const ATTACH_EVERY = Number(process.env.ATTACH_EVERY ?? 10);
const CRASH = process.env.CRASH === '1';
const FAULTS = process.env.FAULTS === '1';
const log = (...a) => console.error('[load]', ...a);

const dir = await prepareState();
const inbox = await startInbox({ mailFailRate: Number(process.env.MAIL_FAIL_RATE ?? 0.3) });
// The local queue lives in the wrangler process, so killing it loses the messages in flight (a
// Cloudflare Queue would keep them); the sweeper re-sends rows still pending a minute on (never
// claimed by a consumer), and rows set back for a retry five minutes on instead of the production hour.
const vars = { SUBMIT_LIMIT_PER_HOUR: '100000000', NOTIFY_RETRY_BASE_SECONDS: '1', NOTIFY_RETRY_MAX_SECONDS: '3', OUTBOX_STUCK_SECONDS: '300',
  ...(FAULTS ? { FAULT_D1_RATE: '0.1', FAULT_R2_RATE: '0.1', ALLOW_CLOCK_OVERRIDE: '1' } : {}) };
// With faults, a submission's retries count too: held to the paid plan's limits (Queues need it),
// not to the free plan's 50 the ordinary runs keep citizens' routes under.
const budgets = FAULTS ? PAID_PLAN : undefined;
let worker = await startWorker({ stateDir: dir, inbox, vars, budgets });

const acknowledged = new Map(); // i → code
const phase = new Map(); // i → when it was acknowledged (for the report of anything lost)
const counts = { submitted: 0, status5xx: 0, status503: 0, status503WithoutRetryAfter: 0, status429: 0, other4xx: 0, networkErrors: 0, truncated: 0, retries: 0 };
let restarting = null;

function form(i) {
  const f = new FormData();
  const fields = { organisme: String(1 + (i % 10)), nature: ['reclamation', 'suggestion', 'observation'][i % 3],
    message: `Requête de charge numéro ${i} : le guichet était fermé aux heures d'ouverture affichées.`,
    nom: 'Charge', prenoms: 'Test', pays: 'CI', telephone: '07 07 12 34 56', email: `charge${i}@example.ci`, conditions: 'on' };
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  if (i % ATTACH_EVERY === 0) f.set('pieces', new Blob([PDF], { type: 'application/pdf' }), `piece-${i}.pdf`);
  return f;
}

async function submit(i) {
  counts.submitted++;
  for (let attempt = 0; ; attempt++) {
    if (restarting) await restarting;
    try {
      const res = await fetch(`${worker.url}/api/v1/requetes`, { method: 'POST', body: form(i), headers: { 'idempotency-key': `charge-${i}` }, signal: AbortSignal.timeout(30_000) });
      const body = await res.json().catch(() => ({}));
      // A 201 whose body never arrived (the process died mid-answer) told the client nothing: it
      // asks again with the same key and gets its code back (`Idempotent-Replayed`).
      if (res.status === 201 && /^\d{8}$/.test(body.code ?? '')) {
        phase.set(i, { crashed, attempt, replayed: res.headers.get('idempotent-replayed') === 'true' });
        return acknowledged.set(i, body.code);
      }
      if (res.status === 201) counts.truncated++;
      else if (res.status === 429) counts.status429++;
      else if (res.status === 503) {
        // Retryable by design (D1 or R2 failed under it): it says when to come back.
        counts.status503++;
        if (!/^\d+$/.test(res.headers.get('retry-after') ?? '')) counts.status503WithoutRetryAfter++;
      } else if (res.status >= 500) counts.status5xx++;
      else { counts.other4xx++; return; }
    } catch {
      // No answer (the worker is down): the client does not know; it asks again with the same key.
      counts.networkErrors++;
    }
    counts.retries++;
    await new Promise((r) => setTimeout(r, 200 * Math.min(attempt + 1, 10)));
  }
}

async function crashAndRestart() {
  log(`killing the worker after ${acknowledged.size} acknowledged submissions`);
  let done;
  restarting = new Promise((r) => { done = r; });
  process.kill(-worker.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 1000));
  await worker.stop().catch(() => {});
  worker = await startWorker({ stateDir: dir, inbox, vars, budgets });
  log('worker restarted');
  restarting = null;
  done();
}

const start = performance.now();
let next = 0;
let crashed = false;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
  while (next < TOTAL) {
    const i = next++;
    await submit(i);
    if (CRASH && !crashed && acknowledged.size >= TOTAL / 2) {
      crashed = true;
      await crashAndRestart();
    }
  }
}));
const burstSeconds = (performance.now() - start) / 1000;
log(`burst done in ${burstSeconds.toFixed(1)} s; waiting for the mails`);

// Deliveries continue in the background (queue retries); the 5-minute sweeper picks up what the
// crash left unsent. Fire it now and then, as the cron would.
const codes = new Set(acknowledged.values());
const confirmations = () => inbox.state.mails.filter((m) => m.subject.includes('enregistrée'));
const drainStart = performance.now();
const deadline = Date.now() + 20 * 60_000;
while (Date.now() < deadline) {
  const mailed = new Set(confirmations().map((m) => m.text.match(/\b(\d{8})\b/)?.[1]));
  if ([...codes].every((c) => mailed.has(c))) break;
  const sweep = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`).catch(() => null);
  await sweep?.arrayBuffer();
  await new Promise((r) => setTimeout(r, 3000));
}

const drainSeconds = (performance.now() - drainStart) / 1000;

// Objects in R2 that no row knows: an upload whose submission was refused after its file was
// written. The day's orphan sweep removes those older than a day: run it as tomorrow's.
const known = new Set((await sql(dir, 'SELECT r2_key FROM attachments')).map((r) => r.r2_key));
const orphans = async () => (await r2Keys(dir)).filter((k) => k.startsWith('attachments/') && !known.has(k));
const orphansBeforeSweep = (await orphans()).length;
let orphansAfterSweep = orphansBeforeSweep;
if (FAULTS && orphansBeforeSweep > 0) {
  await worker.daily(Date.now() + 2 * 86_400_000);
  orphansAfterSweep = (await orphans()).length;
}
const stored = await sql(dir, `SELECT r.code, r.idempotency_key, r.created_at, (SELECT count(*) FROM attachments a WHERE a.request_id = r.id) AS files,
  (SELECT group_concat(a.r2_key) FROM attachments a WHERE a.request_id = r.id) AS keys FROM requests r`);
const storedCodes = new Map(stored.map((r) => [r.code, r]));
const keys = new Set(await r2Keys(dir));
let lost = 0;
let filesMissing = 0;
for (const [i, code] of acknowledged) {
  const row = storedCodes.get(code);
  if (!row) { lost++; continue; }
  const expected = i % ATTACH_EVERY === 0 ? 1 : 0;
  if (row.files !== expected || (expected && !row.keys.split(',').every((k) => keys.has(k)))) filesMissing++;
}
const perCode = new Map();
for (const m of confirmations()) {
  const code = m.text.match(/\b(\d{8})\b/)?.[1];
  if (code) perCode.set(code, (perCode.get(code) ?? 0) + 1);
}
const mailed = [...codes].filter((c) => perCode.has(c)).length;
const byCode = new Map();
for (const [i, code] of acknowledged) byCode.set(code, [...(byCode.get(code) ?? []), i]);
for (const row of stored) {
  if (!byCode.has(row.code)) log(`stored but never acknowledged: ${row.code} key ${row.idempotency_key} at ${row.created_at}`);
}
for (const [code, is] of byCode) {
  if (is.length > 1 || !storedCodes.has(code)) log(`code ${code}: acknowledged to ${is.map((i) => `${i} ${JSON.stringify(phase.get(i))}`).join(', ')}; stored: ${storedCodes.has(code)}`);
}
const duplicates = [...perCode.values()].filter((n) => n > 1).length;
const report = {
  scenario: CRASH ? 'burst with the worker killed and restarted mid-way' : FAULTS ? 'burst with D1 and R2 failing 10 % each' : 'burst',
  submitted: TOTAL,
  acknowledged: acknowledged.size,
  distinctCodes: codes.size,
  stored: [...codes].filter((c) => storedCodes.has(c)).length,
  storedRowsTotal: stored.length,
  withAttachment: [...acknowledged.keys()].filter((i) => i % ATTACH_EVERY === 0).length,
  attachmentsMissing: filesMissing,
  mailed,
  duplicates,
  lost,
  unmailed: codes.size - mailed,
  status5xx: counts.status5xx,
  status503Retryable: counts.status503,
  status503WithoutRetryAfter: counts.status503WithoutRetryAfter,
  orphansBeforeSweep,
  orphansAfterSweep,
  status429: counts.status429,
  other4xx: counts.other4xx,
  networkErrors: counts.networkErrors,
  answersCutOff: counts.truncated,
  replayedAfterRetry: [...phase.values()].filter((p) => p.replayed).length,
  clientRetries: counts.retries,
  mailApiCalls: inbox.state.mailCalls,
  mailApiFailures: inbox.state.mailFailures,
  mailReplaysDeduplicated: inbox.state.mailReplays,
  burstSeconds: Number(burstSeconds.toFixed(1)),
  submissionsPerSecond: Number((TOTAL / burstSeconds).toFixed(1)),
  // After the burst, until the last confirmation arrived (mail and SMS share the local consumer).
  mailDrainSeconds: Number(drainSeconds.toFixed(1)),
};
console.log(JSON.stringify(report, null, 2));
const ok = report.lost === 0 && report.duplicates === 0 && report.unmailed === 0 && report.attachmentsMissing === 0
  && report.acknowledged === TOTAL && report.storedRowsTotal === TOTAL && (CRASH || report.status5xx === 0)
  && report.status503WithoutRetryAfter === 0 && report.orphansAfterSweep === 0 && (FAULTS || report.status503Retryable === 0);
if (!ok) {
  // What a failed run left is its evidence: the codes never mailed, and their outbox rows.
  const mailed = new Set(confirmations().map((m) => m.text.match(/\b(\d{8})\b/)?.[1]));
  const missing = [...codes].filter((c) => !mailed.has(c)).slice(0, 20);
  if (missing.length) {
    console.log(JSON.stringify(await sql(dir, `SELECT r.code, o.*, (SELECT json_group_array(json_object('attempt', d.attempt, 'status', d.status, 'error', d.error))
        FROM delivery_attempts d WHERE d.outbox_id = o.id) AS attempts_log
      FROM outbox o JOIN requests r ON r.id = o.request_id WHERE r.code IN (${missing.map((c) => `'${c}'`).join(', ')}) AND o.template = 'request_registered'`).catch((e) => String(e)), null, 2));
  }
}
await worker.stop();
await inbox.stop();
if (ok) await rm(dir, { recursive: true, force: true });
else console.error(`[load] the state is kept for reading: ${dir}`);
process.exit(ok ? 0 : 1);
