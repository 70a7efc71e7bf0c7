// The daily jobs in bounded slices (issue 32): each job goes on a slice per invocation from a
// cursor in D1 until the day's work is done, a failing slice is backed off and the admins told
// once a day, and D1 failing under it loses and doubles nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql, bucket } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { r2Keys } from './support/r2.mjs';
import { PDF } from './support/forms.mjs';

const DAY = 86_400_000;
let w;
// Every slice at most two rows (or staff, or objects): a handful of rows already takes several.
before(async () => { w = await startWorker({ vars: { JOB_SLICE_ROWS: '2', ALLOW_CLOCK_OVERRIDE: '1', SUBMIT_LIMIT_PER_HOUR: '100000' } }); });
after(async () => { await w?.stop(); });

/** `n` treated requests answered `answeredAt`, without a verdict; their codes from `first`. */
async function treated(worker, first, n, answeredAt, prefix) {
  await sql(worker.dir, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${n})
    INSERT INTO requests (code, body_id, nature, message, country, phone, email, lang, channel, stage, created_at, updated_at, treated_at)
    SELECT ${first} + i, 1 + i % 3, CASE i % 2 WHEN 0 THEN 'reclamation' ELSE 'suggestion' END, 'Une réclamation traitée.', 'CI', '', '${prefix}' || i || '@example.ci', 'fr', 'web',
           'treated', ${answeredAt - 5 * DAY}, ${answeredAt}, ${answeredAt} FROM n`);
}

/** The statistics (all time) against a count of the requests themselves. */
async function assertRecount(worker) {
  const facts = await sql(worker.dir, "SELECT body_id, value, sum(count) AS n FROM stats_facts WHERE dimension = 'nature' GROUP BY body_id, value HAVING sum(count) <> 0 ORDER BY body_id, value");
  const direct = await sql(worker.dir, 'SELECT body_id, nature AS value, count(*) AS n FROM requests GROUP BY body_id, nature ORDER BY body_id, nature');
  assert.deepEqual(facts, direct, 'requests by body and nature');
  const stages = await sql(worker.dir, "SELECT value AS stage, sum(count) AS n FROM stats_facts WHERE dimension = 'stage' GROUP BY value HAVING sum(count) <> 0 ORDER BY value");
  assert.deepEqual(stages, await sql(worker.dir, 'SELECT stage, count(*) AS n FROM requests GROUP BY stage ORDER BY stage'), 'requests by stage');
  assert.deepEqual(await sql(worker.dir, 'SELECT count(*) AS n FROM stats_dirty'), [{ n: 0 }], 'nothing left to count');
}

const reminders = (worker, prefix) => worker.inbox.state.mails.filter((m) => m.to[0].startsWith(prefix) && m.subject.includes('Votre avis'));

test('every job goes on in slices until its day is done: reminders, statistics, counters and orphaned files', async () => {
  const now = Date.now();
  await treated(w, 61000000, 7, now - 8 * DAY, 'tranche');
  await sql(w.dir, `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('submit:a', ${now - 5 * DAY}, 1), ('submit:b', ${now - 5 * DAY}, 1), ('submit:c', ${now - 5 * DAY}, 1), ('submit:d', ${now - 5 * DAY}, 1), ('submit:e', ${now + 3_600_000}, 1)`);
  // Five objects no row knows about (a submission refused after its files reached R2), and a file
  // of a real request: the sweep deletes the first, keeps the second.
  const kept = await w.newRequest({}, [['garde.pdf', PDF]]);
  for (let i = 0; i < 5; i++) await bucket(w.dir).put(`attachments/orphelin-${i}`, 'x');
  const [{ r2_key: keptKey }] = await sql(w.dir, `SELECT r2_key FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = '${kept.code}')`);

  // Two days on: the objects are more than a day old, the answers ten days; the window an hour
  // after now is within the two days kept (the test clock moves on while the jobs run).
  const rows = await w.daily(now + 2 * DAY);
  const slices = Object.fromEntries(rows.map((r) => [r.job, r.slices]));
  assert.ok(slices.verdicts >= 4, `7 reminders two at a time: ${JSON.stringify(slices)}`);
  assert.ok(slices.housekeeping >= 2, `4 old windows two at a time: ${JSON.stringify(slices)}`);
  assert.ok(slices.orphans >= 3, `6 objects listed two at a time: ${JSON.stringify(slices)}`);
  assert.ok(slices.rollups >= 2, `every changed request counted two at a time: ${JSON.stringify(slices)}`);

  await eventually(() => reminders(w, 'tranche').length >= 7, { what: 'the 7 verdict reminders', worker: w });
  await w.settled();
  assert.equal(new Set(reminders(w, 'tranche').map((m) => m.to[0])).size, 7);
  assert.equal(reminders(w, 'tranche').length, 7, 'one each');
  const keys = await r2Keys(w.dir);
  assert.deepEqual(keys.filter((k) => k.includes('orphelin')), [], 'the orphans deleted');
  assert.ok(keys.includes(keptKey), 'a request\'s file kept');
  assert.deepEqual((await sql(w.dir, "SELECT bucket FROM rate_limits WHERE bucket LIKE 'submit:_' ORDER BY bucket")).map((r) => r.bucket), ['submit:e']);
  await assertRecount(w);

  // The next day's run finds nothing more to remind.
  await w.daily(now + 3 * DAY);
  await w.settled();
  assert.equal(reminders(w, 'tranche').length, 7, 'nobody reminded twice');
});

test('a request reopened and answered again is reminded of its new answer', async () => {
  const now = Date.now();
  await treated(w, 62000000, 1, now - 8 * DAY, 'rouvert');
  await w.daily(now);
  await eventually(() => reminders(w, 'rouvert').length === 1, { what: 'the first reminder', worker: w });
  // Reopened by its citizen, answered again a week and more ago.
  await sql(w.dir, "UPDATE requests SET stage = 'in_treatment' WHERE code = '62000000'");
  await sql(w.dir, `UPDATE requests SET stage = 'treated', treated_at = ${now - 7 * DAY - 3600_000} WHERE code = '62000000'`);
  await w.daily(now + 1000);
  await eventually(() => reminders(w, 'rouvert').length === 2, { what: 'the reminder of the second answer', worker: w });
  await w.daily(now + 2000);
  await w.settled();
  assert.equal(reminders(w, 'rouvert').length, 2, 'one reminder per answer');
});

test('a job that keeps failing is tried again, less often, and the admins are told once a day', async () => {
  const admin = 'admin@milie.local';
  const told = () => w.inbox.state.mails.filter((m) => m.to.includes(admin) && m.subject.includes('tâche quotidienne'));
  const before = told().length;
  // The statistics cannot be written: every rollup slice fails.
  await sql(w.dir, "CREATE TRIGGER stats_broken BEFORE DELETE ON stats_dirty BEGIN SELECT RAISE(ABORT, 'statistiques en panne'); END");
  await w.newRequest();
  await sql(w.dir, "UPDATE job_runs SET day = ''");
  await w.setClock(Date.now() + 10 * DAY);
  await w.cron('0 6 * * *');
  const rollups = async () => (await sql(w.dir, "SELECT done, failures, next_at, lease_until, last_error FROM job_runs WHERE job = 'rollups'"))[0];
  // The five-minute cron resumes it once its wait (1 s, 2 s, 4 s…: JOB_RETRY_BASE_SECONDS) is over.
  const resumeUntil = (check, what) => eventually(async (seen) => {
    const row = await rollups();
    seen(row);
    if (await check(row)) return true;
    if (row.next_at <= Date.now() && row.lease_until <= Date.now()) await w.cron('*/5 * * * *');
    return false;
  }, { what, worker: w, every: 500 });
  await resumeUntil((r) => r.failures >= 4, 'four failures of the statistics in a row');
  const row = await rollups();
  assert.equal(row.done, 0);
  assert.match(row.last_error, /statistiques en panne/);
  await w.settled();
  assert.equal(told().length, before + 1, 'told once, at the third failure, not at the fourth');
  assert.match(told().at(-1).text, /Statistiques|statistiques/);

  // The admins' page says so, in their words.
  const cookie = await w.signIn('admin');
  const page = await (await fetch(`${w.url}/agent/admin/notifications`, { headers: { cookie } })).text();
  assert.match(page, /Tâches quotidiennes/);
  assert.match(page, /<th scope="row">Statistiques<\/th>.*?En échec, réessayée/s);

  // Mended: the next try goes through, and nobody is told again.
  await sql(w.dir, 'DROP TRIGGER stats_broken');
  await resumeUntil((r) => r.done === 1, 'the statistics done once mended');
  assert.equal((await rollups()).failures, 0);
  await w.settled();
  assert.equal(told().length, before + 1);
  await assertRecount(w);
});

test('with D1 failing one statement in six, the day\'s jobs still end with one reminder each and exact statistics', async () => {
  // A claim whose answer is lost to a fault holds its rows for nobody until the hold ends: 20 s
  // here (NOTIFY_CLAIM_SECONDS), not the minute a real provider call may need.
  const faulty = await startWorker({ vars: { FAULT_D1_RATE: '0.16', JOB_SLICE_ROWS: '3', ALLOW_CLOCK_OVERRIDE: '1', NOTIFY_CLAIM_SECONDS: '20' } });
  try {
    const now = Date.now();
    await treated(faulty, 63000000, 12, now - 8 * DAY, 'panne');
    await faulty.daily(now);
    // Notifications whose hand-over to the queue failed are the sweeper's (the five-minute cron):
    // such a one waits the sweeper's minute and may meet more faults after it, so twice the usual
    // deadline.
    await eventually(async (seen) => {
      seen(`${reminders(faulty, 'panne').length} reminders mailed`);
      if (reminders(faulty, 'panne').length >= 12) return true;
      await faulty.cron('*/5 * * * *');
      return false;
    }, { what: 'the 12 verdict reminders', worker: faulty, every: 2000, timeout: 240_000 });
    assert.equal(new Set(reminders(faulty, 'panne').map((m) => m.to[0])).size, 12);
    const rows = await sql(faulty.dir, "SELECT count(*) AS n FROM outbox WHERE template = 'verdict_reminder'");
    assert.equal(rows[0].n, 12, 'one reminder written per request, whatever was tried again');
    await assertRecount(faulty);
    assert.match(faulty.output, /D1: injected fault/, 'faults were injected');
  } finally {
    await faulty.stop();
  }
});
