// One measurement of the tracking lookup and the submission against 10 000 stored requests, for
// comparing two builds quickly (`make bench` is the full table).
// `--without-notifications`: both channels switched off first (the settings rows an admin's
// «Paramètres» writes), to measure what the notification pipeline costs a submission.
import { startWorker, prepareState, sql } from '../../tests/support/worker.mjs';
import { seedRequests, codeOf, emailOf } from './seed.mjs';
import { load } from './load.mjs';

const n = 10_000;
const dir = await prepareState();
await seedRequests(dir, n);
if (process.argv.includes('--without-notifications')) {
  await sql(dir, "INSERT INTO settings (key, value) VALUES ('notify_email', '0'), ('notify_sms', '0') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
}
await new Promise((r) => setTimeout(r, 5000));
// As the bench's loads run: no cost line logged per invocation.
const w = await startWorker({ stateDir: dir, vars: { TRACK_FAILURES_PER_HOUR: '1000000', SUBMIT_LIMIT_PER_HOUR: '100000000', COUNT_INVOCATIONS: '0' } });
try {
  const pick = () => Math.floor(Math.random() * n);
  const lookup = await load({ concurrency: 8, seconds: 8, makeRequest: () => { const i = pick(); return [`${w.url}/api/v1/suivi`, { method: 'POST', body: JSON.stringify({ code: codeOf(i), email: emailOf(i) }), headers: { 'content-type': 'application/json' } }]; } });
  console.log('lookup', lookup.rps.toFixed(0), 'req/s p50', lookup.p50.toFixed(1), 'errors', lookup.errors);
  if (process.argv.includes('--submit')) {
    const submission = () => { const f = new FormData(); for (const [k, v] of Object.entries({ organisme: '5', nature: 'reclamation', message: 'Le guichet de l\'état civil est resté fermé toute la semaine aux heures affichées.', pays: 'CI', telephone: '07 07 12 34 56', email: 'bench.submit@example.ci', conditions: 'on' })) f.set(k, v); return f; };
    const submit = await load({ concurrency: 8, seconds: 8, makeRequest: () => [`${w.url}/api/v1/requetes`, { method: 'POST', body: submission() }] });
    console.log('submit', submit.rps.toFixed(0), 'req/s p50', submit.p50.toFixed(1), 'p99', submit.p99.toFixed(1), 'errors', submit.errors);
  }
} finally {
  await w.stop();
}
