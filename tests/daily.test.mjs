// The daily jobs, fired through /__scheduled with the clock set by the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { eventually } from './support/eventually.mjs';
import { r2Keys } from './support/r2.mjs';
import { VALID, PDF, apiSubmit } from './support/forms.mjs';
import { signIn, act } from './support/agent.mjs';

const DAY = 86_400_000;
let w;
before(async () => { w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', ALLOW_CLOCK_OVERRIDE: '1' } }); });
after(async () => { await w?.stop(); });

/** Fires the daily cron as if it were `time` (the test clock: wrangler's /__scheduled has none), until its jobs are done. */
const daily = (time) => w.daily(time);
const submit = async (fields = {}, files = []) => (await w.newRequest({ email: VALID.email, telephone: VALID.telephone, ...fields }, files)).code;
const mailsTo = (to, subject) => w.inbox.state.mails.filter((m) => m.to[0] === to && m.subject.includes(subject));
/**
 * Waits until the mails the queue delivers in the background are all there (`what` names them).
 * A hand-over that met a busy database is delivered by the queue's next try, about two minutes
 * later on a loaded machine (seen once in a fresh-clone run, 2 s past the default 120 s): four.
 */
const settle = (check, what) => eventually(check, { what, worker: w, timeout: 240_000 });

test('deadline digests: one per person per day, escalation at twice the deadline', async () => {
  const now = Date.now();
  const triageLate = await submit({ organisme: '5' });
  const triageSoon = await submit({ organisme: '2' });
  const triageFar = await submit({ organisme: '2' });
  const treatment = await submit({ organisme: '5' });
  const treatmentLate = await submit({ organisme: '5' });
  // An analyst who triages for Défense (body 2) alone: their digest lists its requests only.
  await sql(w.dir, "INSERT INTO staff (email, name, role) VALUES ('analyste.defense@milie.local', 'Analyste Défense', 'analyst')");
  await sql(w.dir, "INSERT INTO staff_bodies (staff_id, body_id) SELECT id, 2 FROM staff WHERE email = 'analyste.defense@milie.local'");
  await sql(w.dir, `UPDATE requests SET due_at = ${now - 20 * DAY}, escalate_at = ${now - 5 * DAY} WHERE code = '${triageLate}'`); // 15-day step, 20 days late: 2×
  // In treatment and past twice its deadline for longer: the escalation lists it first.
  await sql(w.dir, `UPDATE requests SET stage = 'in_treatment', due_at = ${now - 70 * DAY}, escalate_at = ${now - 10 * DAY} WHERE code = '${treatmentLate}'`);
  await sql(w.dir, `UPDATE requests SET due_at = ${now + DAY} WHERE code = '${triageSoon}'`);
  await sql(w.dir, `UPDATE requests SET due_at = ${now + 10 * DAY} WHERE code = '${triageFar}'`);
  await sql(w.dir, `UPDATE requests SET stage = 'in_treatment', due_at = ${now - DAY}, escalate_at = ${now + 59 * DAY} WHERE code = '${treatment}'`);
  await daily(now);
  await settle(() => mailsTo('admin@milie.local', 'Escalade').length === 1
    && mailsTo('analyste@milie.local', 'Requêtes à échéance').length === 1
    && mailsTo('point-focal.education@milie.local', 'Requêtes à échéance').length === 1
    && mailsTo('analyste.defense@milie.local', 'Requêtes à échéance').length === 1, 'the day\'s digests and escalation');

  const analyst = mailsTo('analyste@milie.local', 'Requêtes à échéance');
  assert.equal(analyst.length, 1);
  assert.match(analyst[0].text, new RegExp(`${triageLate} — Ministère de l'Éducation nationale, de l'Alphabétisation et de l'Enseignement technique — échéance [\\d/]+ \\(en retard\\)`));
  assert.match(analyst[0].text, new RegExp(`${triageSoon} — Vice-Premier Ministre, Ministre de la Défense`));
  assert.doesNotMatch(analyst[0].text, new RegExp(triageFar), 'not near its deadline');
  assert.doesNotMatch(analyst[0].text, new RegExp(treatment), 'stage 2 is the focal point\'s');
  const focal = mailsTo('point-focal.education@milie.local', 'Requêtes à échéance');
  assert.equal(focal.length, 1);
  assert.match(focal[0].text, new RegExp(treatment));
  assert.equal(mailsTo('point-focal.defense@milie.local', 'échéance').length, 0, 'nothing due in stage 2 for Défense');
  const scoped = mailsTo('analyste.defense@milie.local', 'Requêtes à échéance');
  assert.match(scoped[0].text, new RegExp(triageSoon), 'Défense\'s request due tomorrow');
  assert.doesNotMatch(scoped[0].text, new RegExp(triageLate), 'another body\'s request is not theirs');
  const escalation = mailsTo('admin@milie.local', 'Escalade');
  assert.match(escalation[0].text, new RegExp(triageLate));
  assert.match(escalation[0].text, new RegExp(treatmentLate), 'both stages are escalated');
  assert.ok(escalation[0].text.indexOf(treatmentLate) < escalation[0].text.indexOf(triageLate), 'the longest overdue first');
  assert.doesNotMatch(escalation[0].text, new RegExp(treatment), 'one day late is not twice the deadline');

  const count = w.inbox.state.mails.length;
  await daily(now + 1000);
  await w.settled();
  assert.equal(w.inbox.state.mails.length, count, 'a second run the same day sends nothing');
  await daily(now + DAY);
  await settle(() => mailsTo('analyste@milie.local', 'Requêtes à échéance').length === 2, 'the next day\'s digest');
  assert.equal(mailsTo('analyste@milie.local', 'Requêtes à échéance').length, 2, 'the next day, a new digest');
  // Leave the queue clean for the other tests.
  await sql(w.dir, `UPDATE requests SET due_at = NULL, escalate_at = NULL WHERE code IN ('${triageLate}', '${triageSoon}', '${triageFar}', '${treatment}', '${treatmentLate}')`);
  await sql(w.dir, "UPDATE staff SET active = 0 WHERE email = 'analyste.defense@milie.local'");
});

/** `days` business days after `start` (same time of day), skipping weekends and `holidays` (YYYY-MM-DD). */
function addBusinessDays(start, days, holidays) {
  let day = Math.floor(start / DAY);
  while (days > 0) {
    day += 1;
    const weekday = new Date(day * DAY).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.includes(new Date(day * DAY).toISOString().slice(0, 10))) days -= 1;
  }
  return day * DAY + (start % DAY);
}

test('business days: deadlines skip weekends and public holidays, at creation and at each transition', async () => {
  // Body 7 counts in business days: 3 to triage, 4 to answer; the next two weekdays are holidays.
  const today = Math.floor(Date.now() / DAY);
  const weekdays = [];
  for (let d = today + 1; weekdays.length < 2; d++) if (![0, 6].includes(new Date(d * DAY).getUTCDay())) weekdays.push(new Date(d * DAY).toISOString().slice(0, 10));
  await sql(w.dir, `INSERT OR REPLACE INTO holidays (day, label) VALUES ('${weekdays[0]}', 'Férié de test'), ('${weekdays[1]}', 'Autre férié')`);
  await sql(w.dir, "UPDATE bodies SET deadline_unit = 'business', triage_days = 3, treatment_days = 4 WHERE id = 7");
  const holidays = (await sql(w.dir, 'SELECT day FROM holidays')).map((r) => r.day);

  const code = await submit({ organisme: '7' });
  const [created] = await sql(w.dir, `SELECT created_at, due_at, escalate_at FROM requests WHERE code = '${code}'`);
  assert.equal(created.due_at, addBusinessDays(created.created_at, 3, holidays));
  assert.equal(created.escalate_at, addBusinessDays(created.due_at, 3, holidays));
  assert.ok(created.due_at - created.created_at >= 5 * DAY, 'two holidays and at least one weekend day are skipped');
  const dueDay = new Date(created.due_at).getUTCDay();
  assert.ok(dueDay >= 1 && dueDay <= 5 && !holidays.includes(new Date(created.due_at).toISOString().slice(0, 10)));

  // The analyst validates: the treatment step is due 4 business days later, and the date is kept.
  const analyst = await w.signIn('analyst');
  assert.equal((await act(w, analyst, code, 'valider')).status, 303);
  const [moved] = await sql(w.dir, `SELECT stage, updated_at, due_at, escalate_at, treatment_due_at FROM requests WHERE code = '${code}'`);
  assert.equal(moved.stage, 'in_treatment');
  assert.equal(moved.due_at, addBusinessDays(moved.updated_at, 4, holidays));
  assert.equal(moved.escalate_at, addBusinessDays(moved.due_at, 4, holidays));
  assert.equal(moved.treatment_due_at, moved.due_at);

  // Back to calendar days: the next request is due 3 plain days later.
  await sql(w.dir, "UPDATE bodies SET deadline_unit = 'calendar', triage_days = 15, treatment_days = 60 WHERE id = 7");
  const plain = await submit({ organisme: '7' });
  const [p] = await sql(w.dir, `SELECT created_at, due_at, escalate_at FROM requests WHERE code = '${plain}'`);
  assert.deepEqual([p.due_at - p.created_at, p.escalate_at - p.created_at], [15 * DAY, 30 * DAY]);
  await sql(w.dir, `UPDATE requests SET due_at = NULL, escalate_at = NULL WHERE code IN ('${code}', '${plain}')`);
});

test('a treated request without a verdict gets one reminder, then is closed «sans avis»', async () => {
  const now = Date.now();
  const code = await submit({ organisme: '3', email: 'rappel@example.ci' });
  await sql(w.dir, `UPDATE requests SET stage = 'treated', treated_at = ${now - 8 * DAY}, due_at = NULL WHERE code = '${code}'`);
  await daily(now);
  await settle(() => mailsTo('rappel@example.ci', 'Votre avis').length === 1, 'the verdict reminder');
  assert.equal(mailsTo('rappel@example.ci', 'Votre avis').length, 1);
  assert.match(mailsTo('rappel@example.ci', 'Votre avis')[0].text, new RegExp(`/suivi/${code}\\?t=`), 'with the signed link');
  await daily(now + 1000);
  await daily(now + 13 * DAY);
  await w.settled();
  assert.equal(mailsTo('rappel@example.ci', 'Votre avis').length, 1, 'one reminder only');
  assert.equal((await sql(w.dir, `SELECT stage FROM requests WHERE code = '${code}'`))[0].stage, 'treated', 'not closed before 14 days');
  await daily(now + 15 * DAY);
  const [row] = await sql(w.dir, `SELECT stage FROM requests WHERE code = '${code}'`);
  assert.equal(row.stage, 'closed_without_verdict');
  const events = await sql(w.dir, `SELECT event, actor_role FROM request_events WHERE request_id = (SELECT id FROM requests WHERE code = '${code}') ORDER BY id`);
  assert.deepEqual(events.at(-1), { event: 'auto_closed', actor_role: 'system' });
});

test('more notifications than one queue batch holds (100) all leave, once each', async () => {
  const now = Date.now();
  await sql(w.dir, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < 150)
    INSERT INTO requests (code, body_id, nature, message, country, phone, email, lang, channel, stage, created_at, updated_at, treated_at)
    SELECT 60000000 + i, 2, 'reclamation', 'Une réclamation traitée sans avis.', 'CI', '+2250707070707', 'lot' || i || '@example.ci', 'fr', 'web',
           'treated', ${now - 20 * DAY}, ${now - 8 * DAY}, ${now - 8 * DAY} FROM n`);
  const mark = w.output.length;
  await daily(now);
  const reminded = () => w.inbox.state.mails.filter((m) => /^lot\d+@example\.ci$/.test(m.to[0]) && m.subject.includes('Votre avis'));
  await settle(() => reminded().length >= 150, '150 verdict reminders');
  await w.settled();
  assert.equal(reminded().length, 150);
  assert.equal(new Set(reminded().map((m) => m.to[0])).size, 150, 'one each');
  // In slices of at most a hundred, each one its own invocation.
  const slices = [...w.output.slice(mark).matchAll(/cron 0 6 \* \* \*: verdicts: (\d+) requests reminded/g)].map((m) => Number(m[1]));
  assert.deepEqual(slices.filter((n) => n > 0), [100, 50]);
  assert.doesNotMatch(w.output, /enqueueing \d+ notifications failed/);
  await sql(w.dir, "UPDATE requests SET stage = 'closed', verdict = 'satisfied' WHERE code BETWEEN '60000000' AND '60000149'");
});

test('retention erases exactly the expired personal data and files, and nothing else', async () => {
  const now = Date.now();
  const old = await submit({ organisme: '1', email: 'ancien@example.ci', nom: 'Ancien' }, [['vieux.pdf', PDF]]);
  const recent = await submit({ organisme: '1', email: 'recent@example.ci', nom: 'Récent' }, [['neuf.pdf', PDF]]);
  const open = await submit({ organisme: '1', email: 'ouvert@example.ci' });
  await sql(w.dir, `UPDATE requests SET stage = 'closed', verdict = 'satisfied', closed_at = ${now - 800 * DAY}, created_at = ${now - 900 * DAY} WHERE code = '${old}'`);
  // Its steps happened then too: retention counts from the last activity, which the row keeps
  // (triggers on its steps and its closure) for the job to read from an index.
  await sql(w.dir, `UPDATE request_events SET at = ${now - 800 * DAY} WHERE request_id = (SELECT id FROM requests WHERE code = '${old}')`);
  await sql(w.dir, `UPDATE requests SET last_active_at = ${now - 800 * DAY} WHERE code = '${old}'`);
  await sql(w.dir, `UPDATE requests SET stage = 'closed', verdict = 'satisfied', closed_at = ${now - 10 * DAY} WHERE code = '${recent}'`);
  await sql(w.dir, `UPDATE requests SET created_at = ${now - 900 * DAY} WHERE code = '${open}'`);
  const keyOf = async (code) => (await sql(w.dir, `SELECT r2_key FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`))[0]?.r2_key;
  const [oldKey, recentKey] = [await keyOf(old), await keyOf(recent)];
  await daily(now);
  const rows = await sql(w.dir, `SELECT code, email, phone, last_name, message, erased_at IS NOT NULL AS erased, body_id, nature, verdict FROM requests WHERE code IN ('${old}', '${recent}', '${open}') ORDER BY code`);
  const byCode = Object.fromEntries(rows.map((r) => [r.code, r]));
  assert.deepEqual(byCode[old], { code: old, email: '', phone: '', last_name: null, message: '', erased: 1, body_id: 1, nature: 'reclamation', verdict: 'satisfied' });
  assert.equal(byCode[recent].email, 'recent@example.ci');
  assert.equal(byCode[open].email, 'ouvert@example.ci', 'a request active recently is kept, whatever its creation date');
  const keys = await r2Keys(w.dir);
  assert.ok(!keys.includes(oldKey), 'file deleted from R2');
  assert.ok(keys.includes(recentKey));
  assert.equal(await keyOf(old), undefined);
  const outbox = await sql(w.dir, `SELECT recipient FROM outbox WHERE request_id = (SELECT id FROM requests WHERE code = '${old}')`);
  assert.ok(outbox.every((o) => o.recipient === ''), 'no address left in the outbox');
});

test('rollups equal a full recount', async () => {
  const now = Date.now();
  await daily(now);
  const since = now - 90 * DAY - ((now - 90 * DAY) % DAY);
  const day = `strftime('%Y-%m-%d', ${since} / 1000, 'unixepoch')`;
  const fact = (dimension, value) => sql(w.dir, `SELECT coalesce(sum(count), 0) AS n FROM stats_facts WHERE day >= ${day} AND dimension = '${dimension}' AND value = '${value}'`).then((r) => r[0].n);
  const [recount] = await sql(w.dir, `SELECT count(*) AS received, coalesce(sum(verdict = 'satisfied'), 0) AS satisfied, coalesce(sum(stage = 'closed_without_verdict'), 0) AS without_verdict FROM requests WHERE created_at >= ${since}`);
  assert.deepEqual({ received: await fact('received', 'all'), satisfied: await fact('verdict', 'satisfied'), without_verdict: await fact('verdict', 'without_verdict') }, recount);
  assert.ok(recount.received >= 5);
  const perBody = await sql(w.dir, `SELECT body_id, value AS nature, sum(count) AS n FROM stats_facts WHERE day >= ${day} AND dimension = 'nature' GROUP BY body_id, value ORDER BY body_id, value`);
  const direct = await sql(w.dir, `SELECT body_id, nature, count(*) AS n FROM requests WHERE created_at >= ${since} GROUP BY body_id, nature ORDER BY body_id, nature`);
  assert.deepEqual(perBody, direct);
  const perStage = await sql(w.dir, `SELECT value AS stage, sum(count) AS n FROM stats_facts WHERE day >= ${day} AND dimension = 'stage' GROUP BY value ORDER BY value`);
  assert.deepEqual(perStage, await sql(w.dir, `SELECT stage, count(*) AS n FROM requests WHERE created_at >= ${since} GROUP BY stage ORDER BY stage`));
  // A second run recomputes the same figures, not twice them.
  await daily(now + 1000);
  assert.equal(await fact('received', 'all'), recount.received);
});

test('retention in dry-run mode reports and changes nothing', async () => {
  const dry = await startWorker({ vars: { RETENTION_DRY_RUN: '1' } });
  try {
    await sql(dry.dir, `INSERT INTO requests (code, body_id, nature, message, country, phone, email, channel, stage, created_at, updated_at, closed_at)
      VALUES ('33333333', 1, 'suggestion', 'Une suggestion ancienne.', 'CI', '+2250707070707', 'sec@example.ci', 'web', 'closed', 0, 0, 0)`);
    await dry.daily();
    await eventually(() => dry.output.includes('retention dry run'), { what: 'the dry run\'s report in the log', worker: dry });
    assert.match(dry.output, /retention dry run: would erase 1 requests \(ids \[\d+\]\), 0 files and \d+ old notifications/);
    // Logs name row ids, never a tracking code.
    assert.doesNotMatch(dry.output, /33333333/);
    assert.equal((await sql(dry.dir, "SELECT email FROM requests WHERE code = '33333333'"))[0].email, 'sec@example.ci');
  } finally {
    await dry.stop();
  }
});
