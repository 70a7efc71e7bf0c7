// Issue 31 over HTTP, the data side: queue and search exports (CSV for French Excel, XLSX),
// streamed in pages and strict about their URL, contacts only for those who may see them; the
// audit trail (every action the tests perform, append-only, purged past its retention, the
// journal's filters and export); the supervisor's dashboard; a citizen's data exported as a ZIP
// and erased, after which nothing personal of theirs is left in D1 or R2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql, bucket } from './support/worker.mjs';
import { act, adminForm } from './support/agent.mjs';
import { PDF } from './support/forms.mjs';
import { unzip } from './support/zip.mjs';

let w;
let admin;
let analyst;
let focal;
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  [admin, analyst, focal] = [await w.signIn('admin'), await w.signIn('analyst'), await w.signIn('focal')];
});
after(async () => { await w?.stop(); });

const get = async (path, cookie) => {
  const res = await fetch(w.url + path, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  return { status: res.status, res, bytes: Buffer.from(await res.arrayBuffer()) };
};
const csvRows = (bytes) => {
  const text = bytes.toString('utf8');
  assert.ok(text.startsWith('\ufeff'), 'UTF-8 with a BOM');
  // Records end with CRLF; a quoted field may hold a bare LF.
  return text.slice(1).split('\r\n').filter(Boolean).map((line) => line.split(';'));
};

test('a queue exports as CSV (BOM, «;», accents intact, no formula) and XLSX, every page of it, contacts for analysts only', async () => {
  const tricky = await w.newRequest({ nature: 'suggestion', message: '=HYPERLINK("http://x";"clic") — élève, été, Côte d\'Ivoire', email: 'export.kone@example.ci', nom: 'Koné' });
  // 6 000 more requests to triage, written straight to D1: the export must page through them.
  await sql(w.dir, `INSERT INTO requests (code, body_id, nature, message, country, phone, email, channel, stage, created_at, updated_at, public_id)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
    SELECT printf('9%07d', i), 5, 'observation', 'Message numéro ' || i || ' — état civil', 'CI', '', 'masse' || i || '@example.ci', 'web', 'awaiting_triage',
      ${Date.now() - 1000}, ${Date.now() - 1000}, printf('%016x', i) FROM n`);
  const csv = await get('/agent?file=a-trier&format=csv', analyst);
  assert.equal(csv.status, 200);
  assert.equal(csv.res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(csv.res.headers.get('content-disposition'), /attachment; filename="milie-a-trier-\d{4}-\d{2}-\d{2}\.csv"/);
  const rows = csvRows(csv.bytes);
  assert.deepEqual(rows[0].slice(0, 3), ['Code', 'Reçue le', 'Nature']);
  assert.deepEqual(rows[0].slice(-3), ['Nom', 'Adresse électronique', 'Mobile'], 'analysts see contacts');
  const codes = rows.slice(1).map((r) => r[0]);
  assert.ok(codes.length >= 6001, `every page (${codes.length})`);
  assert.equal(new Set(codes).size, codes.length, 'no row twice across pages');
  const text = csv.bytes.toString('utf8');
  assert.ok(text.includes(`"'=HYPERLINK(""http://x"";""clic"") — élève, été, Côte d'Ivoire"`), 'formula neutralised, quoted, accents intact');
  assert.ok(text.includes('export.kone@example.ci'));
  // A focal point's export of their queue: never a contact.
  await act(w, analyst, tricky.code, 'transmettre');
  const theirs = await get('/agent?file=transmises&format=csv', focal);
  assert.equal(theirs.status, 200);
  const header = csvRows(theirs.bytes)[0];
  assert.ok(!header.includes('Adresse électronique'));
  assert.ok(!theirs.bytes.toString('utf8').includes('export.kone@example.ci'));
  assert.ok(theirs.bytes.toString('utf8').includes(tricky.code));
  // XLSX: a workbook whose sheet holds the same rows, text never a formula.
  const xlsx = await get('/agent?q=HYPERLINK&format=xlsx', analyst);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const files = unzip(xlsx.bytes);
  assert.deepEqual([...files.keys()], ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml']);
  const sheet = files.get('xl/worksheets/sheet1.xml').toString('utf8');
  assert.match(sheet, /<t xml:space="preserve">=HYPERLINK\(&quot;http:\/\/x&quot;;&quot;clic&quot;\) — élève, été, Côte d'Ivoire<\/t>/);
  assert.doesNotMatch(sheet, /<f>/);
  // Search results export the same way; exports are in the audit trail (never the words searched).
  const found = await get('/agent?q=HYPERLINK&format=csv', analyst);
  assert.equal(csvRows(found.bytes).length, 2);
  const trail = await sql(w.dir, "SELECT target, detail, ip FROM audit_log WHERE action = 'export' ORDER BY id");
  assert.deepEqual(trail.map((r) => r.target), ['file a-trier', 'file transmises', 'recherche (1 mots)', 'recherche (1 mots)']);
  assert.ok(trail.every((r) => !String(r.detail).includes('HYPERLINK')));
});

test('an export of an unknown queue, format or filter is a 400 naming it', async () => {
  for (const [path, who, named] of [
    ['/agent?file=nimporte&format=csv', analyst, 'file=nimporte'],
    ['/agent?file=a-trier&format=pdf', analyst, 'format=pdf'],
    ['/agent?file=a-trier&format=csv&organisme=abc', analyst, 'organisme=abc'],
    ['/agent?file=a-trier&format=csv&couleur=bleu', analyst, 'couleur=bleu'],
    ['/agent?file=a-trier&format=csv&age=3', analyst, 'age=3'],
    ['/agent?file=a-trier&format=xlsx', focal, 'file=a-trier'],
    ['/agent?file=a-traiter&format=csv&organisme=2', focal, 'organisme=2'],
  ]) {
    const res = await get(path, who);
    assert.equal(res.status, 400, path);
    assert.match(res.bytes.toString('utf8'), new RegExp(named), path);
  }
});

test('the audit trail holds every action, refuses change, keeps records for their retention, and the journal filters and exports them', async () => {
  const { code } = await w.newRequest({ message: 'Les bulletins du deuxième trimestre ne sont toujours pas disponibles.' });
  await act(w, analyst, code, 'note', { message: 'Appeler le lycée.' });
  await act(w, analyst, code, 'valider');
  const analystId = (await sql(w.dir, "SELECT id FROM staff WHERE email = 'analyste@milie.local'"))[0].id;
  const trail = await sql(w.dir, `SELECT action, ip FROM audit_log WHERE staff_id = ${analystId} ORDER BY id`);
  const actions = trail.map((r) => r.action);
  for (const a of ['auth.sign_in', 'contact.view', 'request.note', 'request.valider']) assert.ok(actions.includes(a), `${a} in ${actions}`);
  assert.ok(trail.every((r) => r.ip), 'from where');
  // Append-only: the database refuses to change or delete a record.
  await assert.rejects(sql(w.dir, 'UPDATE audit_log SET action = \'x\''), /audit_log_append_only/);
  await assert.rejects(sql(w.dir, 'DELETE FROM audit_log'), /audit_log_append_only/);
  await assert.rejects(sql(w.dir, "INSERT INTO settings (key, value) VALUES ('audit_retention_days', '10')"), /audit_retention_out_of_bounds/);
  // Past the retention (3 years by default), the daily job deletes them.
  const old = Date.now() - 4 * 365 * 86400000;
  await sql(w.dir, `INSERT INTO audit_log (at, staff_id, action, target) VALUES (${old}, ${analystId}, 'auth.sign_in', 'ancien')`);
  await w.daily();
  assert.equal((await sql(w.dir, "SELECT count(*) AS n FROM audit_log WHERE target = 'ancien'"))[0].n, 0);
  assert.ok((await sql(w.dir, 'SELECT count(*) AS n FROM audit_log'))[0].n > 10, 'the recent ones stay');
  // The journal: by person, request, action, date; and exported.
  const byRequest = await get(`/agent/admin/journal?requete=${code}`, admin);
  assert.equal(byRequest.status, 200);
  const html = byRequest.bytes.toString('utf8');
  assert.match(html, /Requête : Note interne ajoutée/);
  assert.match(html, /Requête : Réclamation validée/);
  const table = (html) => html.split('<table')[1] ?? '';
  const byAction = table((await get(`/agent/admin/journal?action=request.valider&personne=${analystId}`, admin)).bytes.toString('utf8'));
  assert.match(byAction, new RegExp(code));
  assert.doesNotMatch(byAction, /Note interne ajoutée/);
  const today = new Date().toISOString().slice(0, 10);
  assert.match(table((await get(`/agent/admin/journal?du=${today}&au=${today}&action=auth.sign_in`, admin)).bytes.toString('utf8')), /Connexion/);
  assert.doesNotMatch((await get('/agent/admin/journal?du=2001-01-01&au=2001-01-02', admin)).bytes.toString('utf8'), /<tbody>/);
  assert.equal((await get('/agent/admin/journal?action=nimporte', admin)).status, 400);
  assert.equal((await get('/agent/admin/journal', analyst)).status, 403);
  assert.equal((await get('/agent/admin/donnees', analyst)).status, 403);
  assert.equal((await get('/agent/tableau-de-bord', await w.signIn('operator'))).status, 403);
  const exported = await get(`/agent/admin/journal?requete=${code}&format=csv`, admin);
  assert.equal(exported.status, 200);
  assert.ok(csvRows(exported.bytes).length >= 4);
  // The retention setting: bounded, saved, audited.
  assert.equal((await adminForm(w, admin, '/agent/admin/journal/conservation', { jours: '30' }, { from: '/agent/admin/journal' })).location, '/agent/admin/journal?erreur=conservation#conservation-titre');
  const saved = await adminForm(w, admin, '/agent/admin/journal/conservation', { jours: '730' }, { from: '/agent/admin/journal' });
  assert.equal(saved.status, 303);
  assert.match(saved.html, /Durée de conservation du journal enregistrée/);
  assert.equal((await sql(w.dir, "SELECT value FROM settings WHERE key = 'audit_retention_days'"))[0].value, '730');
  assert.equal((await sql(w.dir, "SELECT count(*) AS n FROM audit_log WHERE action = 'settings.audit_retention'"))[0].n, 1);
});

test('the dashboard shows the open and late requests now and the weeks\' figures, links into the queues, exports its table', async () => {
  const boss = 'superviseur.tb@milie.local';
  assert.equal((await adminForm(w, admin, '/agent/admin/agents', { nom: 'Superviseur', email: boss, role: 'supervisor', organisme: '' }, { from: '/agent/admin/agents' })).status, 303);
  const cookie = await w.signIn(boss);
  const late = await w.newRequest();
  await sql(w.dir, `UPDATE requests SET due_at = ${Date.now() - 86400000} WHERE code = '${late.code}'`);
  await w.daily();
  const page = await get('/agent/tableau-de-bord?organisme=5', cookie);
  assert.equal(page.status, 200);
  const html = page.bytes.toString('utf8');
  assert.match(html, /<dt>En retard<\/dt><dd><a href="\/agent\?file=en-cours&#38;organisme=5&#38;retard=1">\d+<\/a>/);
  assert.match(html, /<svg viewBox="0 0 \d+ 160"[^>]*role="img"/);
  assert.match(html, /<caption id="tb-legende">Chiffres par semaine de réception<\/caption>/);
  const lateQueue = (await get('/agent?file=en-cours&organisme=5&retard=1', cookie)).bytes.toString('utf8');
  assert.match(lateQueue, new RegExp(late.code));
  const csv = await get('/agent/tableau-de-bord?organisme=5&format=csv', cookie);
  assert.equal(csv.status, 200);
  const rows = csvRows(csv.bytes);
  assert.deepEqual(rows[0].slice(0, 3), ['Semaine du', 'Reçues', 'Répondues']);
  assert.ok(rows.length >= 13, 'twelve weeks and the total');
  assert.equal((await get('/agent/tableau-de-bord?organisme=abc', cookie)).status, 400);
  assert.equal((await get('/agent/tableau-de-bord?lang=en', focal)).status, 200, 'a focal point sees their body');
});

test('a citizen\'s data: identity checked, exported as a ZIP (requests, history, messages, files), then erased from D1 and R2', async () => {
  const email = 'droits.diabate@example.ci';
  const one = await w.newRequest({ email, nom: 'Diabaté', prenoms: 'Mariam', telephone: '07 55 44 33 22', message: 'Mon enfant n\'a pas reçu son relevé de notes du BEPC depuis juin.' }, [['releve.pdf', PDF]]);
  const two = await w.newRequest({ email, nom: 'Diabaté', prenoms: 'Mariam', telephone: '07 55 44 33 22', message: 'Une seconde réclamation sur la cantine du collège de mon enfant.' });
  await act(w, analyst, two.code, 'valider');
  await w.settled();
  // A code and a contact that do not belong together: nothing shown.
  const wrong = await adminForm(w, admin, '/agent/admin/donnees', { code: one.code, contact: 'autre@example.ci' }, { from: '/agent/admin/donnees' });
  assert.equal(wrong.status, 422);
  assert.doesNotMatch(wrong.html, new RegExp(two.code));
  const found = await adminForm(w, admin, '/agent/admin/donnees', { code: one.code, contact: ' Droits.Diabate@Example.CI ' }, { from: '/agent/admin/donnees' });
  assert.equal(found.status, 200);
  for (const c of [one.code, two.code]) assert.match(found.html, new RegExp(c));
  // The archive.
  const page = await fetch(w.url + '/agent/admin/donnees', { headers: { cookie: admin } });
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = [admin, page.headers.get('set-cookie')?.split(';')[0]].filter(Boolean).join('; ');
  const post = (path, fields) => fetch(w.url + path, { method: 'POST', redirect: 'manual', headers: { cookie, origin: w.url, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, code: one.code, contact: email, ...fields }) });
  const zip = await post('/agent/admin/donnees/export', {});
  assert.equal(zip.status, 200);
  assert.equal(zip.headers.get('content-type'), 'application/zip');
  const files = unzip(Buffer.from(await zip.arrayBuffer()));
  for (const name of ['LISEZMOI.txt', 'donnees.json', 'requetes.csv', 'historique.csv', 'messages.csv']) assert.ok(files.has(name), name);
  const data = JSON.parse(files.get('donnees.json'));
  assert.deepEqual(data.requetes.map((r) => r.code).sort(), [one.code, two.code].sort());
  assert.equal(data.requetes[0].nom, 'Diabaté');
  assert.ok(data.historique.some((h) => h.evenement === 'validated'));
  assert.ok(data.messages.some((m) => m.destinataire === email && m.modele === 'request_registered'));
  const pdf = [...files.keys()].find((k) => k.startsWith(`fichiers/${one.code}/`) && k.endsWith('releve.pdf'));
  assert.ok(pdf, [...files.keys()].join(' '));
  assert.deepEqual(files.get(pdf), PDF);
  // Erasure: asked on a page of its own naming the request still being answered.
  const asked = await post('/agent/admin/donnees/effacer', {});
  assert.equal(asked.status, 200);
  const question = await asked.text();
  assert.match(question, new RegExp(`La requête ${two.code} est encore en cours de traitement`));
  const unconfirmed = await post('/agent/admin/donnees/effacer', { confirmer: '1' });
  assert.equal(unconfirmed.status, 409, 'the open request needs its own confirmation');
  const keys = (await sql(w.dir, `SELECT r2_key FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.code = '${one.code}'`)).map((r) => r.r2_key);
  assert.equal(keys.length, 1);
  const erased = await post('/agent/admin/donnees/effacer', { confirmer: '1', en_cours: '1' });
  assert.equal(erased.status, 303);
  // Nothing personal of that contact is left in any table of D1, nor its file in R2.
  const tables = (await sql(w.dir, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")).map((t) => t.name);
  for (const table of tables) {
    const rows = await sql(w.dir, `SELECT * FROM "${table}"`);
    const text = JSON.stringify(rows);
    for (const secret of [email, 'Diabaté', 'Mariam', '+2250755443322', 'relevé de notes du BEPC', 'releve.pdf']) {
      assert.ok(!text.includes(secret), `${secret} left in ${table}`);
    }
  }
  assert.equal(await bucket(w.dir).get(keys[0]), null, 'the file is gone from R2');
  // The anonymous requests stay for the statistics; the trail says who did what.
  const kept = await sql(w.dir, `SELECT nature, body_id, stage, erased_at FROM requests WHERE code IN ('${one.code}', '${two.code}')`);
  assert.equal(kept.length, 2);
  assert.ok(kept.every((r) => r.erased_at && r.body_id === 5));
  const trail = (await sql(w.dir, "SELECT action FROM audit_log WHERE action LIKE 'data.%' ORDER BY id")).map((r) => r.action);
  assert.deepEqual(trail, ['data.lookup', 'data.lookup', 'data.export', 'data.erase']);
});
