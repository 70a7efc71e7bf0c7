// The public pages over HTTP: guide, about, personal data, informations (video from R2 with
// ranges), statistics and open data against a recount, and the caching rules of every page kind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWorker, sql, ROOT } from './support/worker.mjs';
import { signIn } from './support/agent.mjs';
import { jar, csrfOf } from './support/tracking.mjs';

const DAY = 86_400_000;
let w;
before(async () => { w = await startWorker({ media: true, vars: { ALLOW_CLOCK_OVERRIDE: '1', SIGN_IN_LIMIT_PER_HOUR: '1000' } }); });
after(async () => { await w?.stop(); });

const get = (path, headers = {}) => fetch(w.url + path, { headers: { 'accept-language': 'fr', ...headers }, redirect: 'manual' });

test('the guide, about, personal data and informations pages, in French and English', async () => {
  const pages = {
    '/guide': [/<h2 id="soumettre">A – Soumettre une requête<\/h2>/, /<h2 id="soumettre">A – Submit a request<\/h2>/],
    '/a-propos': [/À propos de Miliê/, /About Miliê/],
    '/donnees-personnelles': [/loi n° 2013-450/, /law no\. 2013-450/],
    '/informations': [/Vidéo institutionnelle/, /Institutional video/],
  };
  for (const [path, [fr, en]] of Object.entries(pages)) {
    const resFr = await get(path);
    assert.equal(resFr.status, 200, path);
    const htmlFr = await resFr.text();
    assert.match(htmlFr, fr, path);
    assert.match(htmlFr, /<html lang="fr">/);
    const htmlEn = await (await get(path, { 'accept-language': 'en' })).text();
    assert.match(htmlEn, en, path);
    assert.match(htmlEn, /<html lang="en">/);
    assert.doesNotMatch(htmlFr + htmlEn, /pas encore disponible|not available yet/);
  }
  // The guide's three parts have anchors the contents link to.
  const guide = await (await get('/guide')).text();
  for (const id of ['soumettre', 'suivre', 'informations', 'etape-1', 'etape-2', 'etape-3']) assert.match(guide, new RegExp(`id="${id}"`));
  for (const id of ['soumettre', 'suivre', 'informations']) assert.match(guide, new RegExp(`href="#${id}"`));
  // Retention as configured (730 days: two years).
  assert.match(await (await get('/donnees-personnelles')).text(), /effacés 2 an\(s\) après la clôture/);
});

test('informations: a video that never preloads, with poster, captions in both languages and a transcript', async () => {
  const html = await (await get('/informations')).text();
  const video = html.match(/<video[^>]*>/)[0];
  assert.match(video, /preload="none"/);
  assert.doesNotMatch(video, /autoplay/);
  const poster = video.match(/poster="([^"]+)"/)[1];
  assert.match(poster, /^\/assets\/video-poster\.[0-9a-f]{12}\.webp$/);
  const img = await get(poster);
  assert.equal(img.status, 200);
  assert.match(img.headers.get('cache-control'), /immutable/);
  for (const lang of ['fr', 'en']) {
    const src = html.match(new RegExp(`<track kind="captions" src="([^"]+)" srclang="${lang}"`))[1];
    const vtt = await get(src);
    assert.equal(vtt.status, 200);
    const text = await vtt.text();
    assert.match(text, /^WEBVTT/);
    assert.equal((text.match(/-->/g) ?? []).length, 6);
  }
  assert.match(html, /<track kind="captions" src="\/media\/video-institutionnelle\.fr\.vtt" srclang="fr" label="Français" default>/);
  // The transcript says what the French captions say.
  const vtt = await (await get('/media/video-institutionnelle.fr.vtt')).text();
  for (const cue of vtt.split('\n\n').slice(1)) {
    const [, , title, text] = cue.split('\n');
    assert.ok(html.includes(title.replaceAll("'", '&#39;')), title);
    assert.ok(html.includes(text.replaceAll("'", '&#39;')), text);
  }
});

test('the video comes from R2 whole or in ranges', async () => {
  const file = await readFile(join(ROOT, 'schema', 'media', 'video-institutionnelle.webm'));
  const whole = await get('/informations/video.webm');
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('content-type'), 'video/webm');
  assert.equal(whole.headers.get('accept-ranges'), 'bytes');
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(file));

  const part = await get('/informations/video.webm', { range: 'bytes=100-1099' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 100-1099/${file.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(file.subarray(100, 1100)));

  const tail = await get('/informations/video.webm', { range: 'bytes=-500' });
  assert.equal(tail.status, 206);
  assert.ok(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(file.length - 500)));

  const open = await get('/informations/video.webm', { range: `bytes=${file.length - 10}-` });
  assert.equal(open.status, 206);
  assert.equal((await open.arrayBuffer()).byteLength, 10);

  const past = await get('/informations/video.webm', { range: `bytes=${file.length}-` });
  assert.equal(past.status, 416);
  assert.equal(past.headers.get('content-range'), `bytes */${file.length}`);
  await past.arrayBuffer();
});

test('public pages are cacheable with an ETag and revalidate; personal pages never are', async () => {
  for (const path of ['/', '/organismes', '/guide', '/a-propos', '/informations', '/statistiques', '/donnees-personnelles']) {
    const first = await get(path);
    assert.equal(first.status, 200, path);
    assert.match(first.headers.get('cache-control'), /^public, max-age=\d+, s-maxage=\d+/, path);
    const etag = first.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{24}"$/, path);
    assert.match(first.headers.get('vary'), /Accept-Language/);
    await first.arrayBuffer();
    const again = await get(path);
    assert.equal(again.headers.get('etag'), etag, `${path}: same version`);
    assert.equal(again.headers.get('cache-status'), 'milie; hit', `${path}: served from the edge cache`);
    await again.arrayBuffer();
    const revalidated = await get(path, { 'if-none-match': etag });
    assert.equal(revalidated.status, 304, path);
    // Each language is its own cached copy.
    const en = await get(path, { 'accept-language': 'en' });
    assert.notEqual(en.headers.get('etag'), etag, `${path}: English differs`);
    assert.match(await en.text(), /<html lang="en">/);
  }
  // Choosing a language by link sets the cookie even when the page comes from the cache.
  const chosen = await get('/guide?lang=en');
  assert.match(chosen.headers.get('set-cookie') ?? '', /lang=en/);
  assert.match(await chosen.text(), /User guide/);

  // Fingerprinted assets: a content-hashed name, cached for a year.
  const home = await (await get('/')).text();
  const css = home.match(/<link rel="stylesheet" href="(\/assets\/milie\.[0-9a-f]{12}\.css)">/)[1];
  const asset = await get(css);
  assert.equal(asset.status, 200);
  assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(await asset.text(), await readFile(join(ROOT, 'static', 'css', 'milie.css'), 'utf8'));

  // Personal pages: never stored anywhere.
  const agent = await w.signIn('analyst');
  const queue = await get('/agent', { cookie: agent });
  assert.equal(queue.status, 200);
  assert.equal(queue.headers.get('cache-control'), 'private, no-store');
  assert.equal(queue.headers.get('etag'), null);
  const track = await get('/suivi/12345678?t=x');
  assert.match(track.headers.get('cache-control'), /^private/);
  for (const path of ['/suivi', '/requete/nouvelle?nature=reclamation&organisme=1', '/agent/connexion']) {
    const res = await get(path);
    assert.match(res.headers.get('cache-control'), /^private/, path);
    assert.equal(res.headers.get('cache-status'), null, path);
    await res.arrayBuffer();
  }
});

test('an admin\'s change to a body shows at once on the cached directory', async () => {
  const before = await (await get('/organismes')).text();
  assert.match(before, /Haute Autorité pour la Bonne Gouvernance/);
  assert.doesNotMatch(before, /Eaux et Forêts/, 'not on the first page');
  await sql(w.dir, "SELECT 1"); // the page above is now cached
  assert.equal((await get('/organismes')).headers.get('cache-status'), 'milie; hit');
  const admin = await w.signIn('admin');
  const page = await get('/agent/admin/organismes/8', { cookie: admin });
  const cookie = jar(admin, page);
  const html = await page.text();
  const form = new URLSearchParams({ csrf: csrfOf(html), nom: 'Agence des Eaux et Forêts (renommé)', telephones: '20217267', localisation: 'Plateau', delai_examen: '15', delai_traitement: '60', actif: '1' });
  const res = await fetch(`${w.url}/agent/admin/organismes/8`, { method: 'POST', body: form, headers: { cookie, origin: w.url } });
  assert.equal(res.status, 200);
  const after = await get('/organismes');
  assert.notEqual(after.headers.get('cache-status'), 'milie; hit');
  assert.match(await after.text(), /Agence des Eaux et Forêts \(renommé\)/, 'first in the order now');
});

/** Nearest-rank percentile of whole days, as the portal publishes it (null under 5 cases). */
function percentile(values, p) {
  if (values.length < 5) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1];
}
const published = (n) => (n > 0 && n < 5 ? null : n);

test('statistics and open data equal a recount from the raw requests, small counts suppressed', async () => {
  const now = Date.now();
  const today = now - (now % DAY);
  // Body 1: 14 réclamations over the last 20 days, at every stage; body 2: 3 suggestions.
  const rows = [];
  for (let i = 0; i < 14; i++) {
    const created = today - (20 - i) * DAY + 3_600_000;
    const stage = i < 3 ? 'awaiting_triage' : i < 5 ? 'in_treatment' : i < 11 ? 'closed' : 'treated';
    const triaged = stage === 'awaiting_triage' ? null : created + (i % 4) * DAY + 1000;
    const treated = ['closed', 'treated'].includes(stage) ? triaged + (i % 7) * DAY : null;
    const verdict = stage === 'closed' ? (i < 9 ? 'satisfied' : 'not_satisfied') : null;
    rows.push({ code: String(70000000 + i), body: 1, nature: 'reclamation', stage, created, triaged, treated, verdict, due: triaged && triaged + 5 * DAY, theme: i % 2 ? 1 : null, place: i < 7 ? 1 : null });
  }
  for (let i = 0; i < 3; i++) rows.push({ code: String(71000000 + i), body: 2, nature: 'suggestion', stage: 'forwarded', created: today - 5 * DAY, triaged: today - 4 * DAY, treated: null, verdict: null, due: null, theme: null, place: null });
  const lit = (v) => (v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`);
  await sql(w.dir, 'INSERT INTO requests (code, body_id, nature, theme_id, place_id, message, country, phone, email, channel, stage, created_at, updated_at, treated_at, verdict, treatment_due_at) VALUES '
    + rows.map((r) => `(${[r.code, r.body, r.nature, r.theme, r.place, 'Message de statistiques.', 'CI', '+2250707070707', 'stats@example.ci', 'web', r.stage, r.created, r.created, r.treated, r.verdict, r.due].map(lit).join(', ')})`).join(', '));
  const events = rows.filter((r) => r.triaged).map((r) => `((SELECT id FROM requests WHERE code = '${r.code}'), ${r.triaged}, '${r.nature === 'reclamation' ? 'validated' : 'forwarded'}', 'analyst', 'in_treatment', 1)`);
  events.push(`((SELECT id FROM requests WHERE code = '70000012'), ${now}, 'reopened', 'citizen', 'in_treatment', 1)`);
  await sql(w.dir, `INSERT INTO request_events (request_id, at, event, actor_role, to_stage, visible_to_citizen) VALUES ${events.join(', ')}`);

  await w.daily(now);

  const from = new Date(today - 30 * DAY).toISOString().slice(0, 10);
  const to = new Date(today).toISOString().slice(0, 10);
  const data = await (await get(`/statistiques/donnees.json?du=${from}&au=${to}`)).json();
  assert.deepEqual(data.periode, { du: from, au: to });
  assert.equal(data.seuil_masquage, 5);
  const figure = (org, dimension, value) => data.organismes.find((o) => o.organisme === org)?.chiffres.find((c) => c.dimension === dimension && c.valeur === value)?.effectif;

  // The recount, straight from `requests`, over everything received in the period.
  const raw = await sql(w.dir, `SELECT r.body_id, r.nature, r.stage, r.verdict, r.created_at, r.treated_at, r.treatment_due_at, r.theme_id, r.place_id,
      (SELECT min(at) FROM request_events e WHERE e.request_id = r.id AND e.event IN ('validated', 'forwarded')) AS triaged_at,
      EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = 'reopened') AS reopened
    FROM requests r WHERE r.created_at >= ${today - 30 * DAY}`);
  assert.equal(figure('tous', 'recues', 'toutes'), published(raw.length));
  for (const [slug, id] of [['tous', null], ['budget-portefeuille-etat', 1]]) {
    const mine = raw.filter((r) => id === null || r.body_id === id);
    const count = (pred) => mine.filter(pred).length;
    assert.equal(figure(slug, 'recues', 'toutes'), published(mine.length), slug);
    for (const stage of new Set(mine.map((r) => r.stage))) assert.equal(figure(slug, 'niveau', stage), published(count((r) => r.stage === stage)), `${slug} ${stage}`);
    for (const nature of new Set(mine.map((r) => r.nature))) assert.equal(figure(slug, 'nature', nature), published(count((r) => r.nature === nature)), `${slug} ${nature}`);
    assert.equal(figure(slug, 'avis', 'satisfied'), published(count((r) => r.verdict === 'satisfied')));
    assert.equal(figure(slug, 'avis', 'not_satisfied'), published(count((r) => r.verdict === 'not_satisfied')));
    const triage = mine.filter((r) => r.triaged_at).map((r) => Math.floor((r.triaged_at - r.created_at) / DAY));
    assert.equal(figure(slug, 'indicateur', 'delai_examen_median_jours'), percentile(triage, 50), slug);
    assert.equal(figure(slug, 'indicateur', 'delai_examen_p90_jours'), percentile(triage, 90), slug);
    const treatment = mine.filter((r) => r.treated_at).map((r) => Math.floor((r.treated_at - (r.triaged_at ?? r.created_at)) / DAY));
    assert.equal(figure(slug, 'indicateur', 'delai_traitement_median_jours'), percentile(treatment, 50), slug);
    assert.equal(figure(slug, 'indicateur', 'delai_traitement_p90_jours'), percentile(treatment, 90), slug);
    const treated = mine.filter((r) => r.treated_at);
    const onTime = treated.filter((r) => r.treated_at <= r.treatment_due_at).length;
    const safe = (n) => n === 0 || n >= 5;
    const share = treated.length >= 5 && safe(onTime) && safe(treated.length - onTime) ? Math.floor((onTime * 100 + Math.floor(treated.length / 2)) / treated.length) : null;
    assert.equal(figure(slug, 'indicateur', 'traitees_dans_le_delai_pct'), share, slug);
    const reopened = treated.filter((r) => r.reopened).length;
    const reopenShare = treated.length >= 5 && safe(reopened) && safe(treated.length - reopened) ? Math.floor((reopened * 100 + Math.floor(treated.length / 2)) / treated.length) : null;
    assert.equal(figure(slug, 'indicateur', 'relances_pour_100_traitees'), reopenShare, slug);
    for (const theme of new Set(mine.map((r) => String(r.theme_id ?? 'none')))) {
      assert.equal(figure(slug, 'theme', theme), published(count((r) => String(r.theme_id ?? 'none') === theme)), `${slug} theme ${theme}`);
    }
    for (const place of new Set(mine.map((r) => String(r.place_id ?? 'none')))) {
      assert.equal(figure(slug, 'lieu', place), published(count((r) => String(r.place_id ?? 'none') === place)), `${slug} place ${place}`);
    }
  }
  // Body 2's three suggestions: published as «fewer than 5», never as 3.
  const budget2 = 'defense';
  assert.equal(figure(budget2, 'recues', 'toutes'), null);
  assert.equal(figure(budget2, 'nature', 'suggestion'), null);
  assert.ok(!JSON.stringify(data).includes('stats@example.ci'), 'no personal data');

  // The CSV has the same figures; the page shows them, charts with tables.
  const bytes = Buffer.from(await (await get(`/statistiques/donnees.csv?du=${from}&au=${to}`)).arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for spreadsheets');
  const csv = bytes.subarray(3).toString('utf8');
  assert.match(csv, /^organisme,nom,dimension,valeur,libelle,effectif\r?\n/);
  assert.match(csv, new RegExp(`\\ntous,,recues,toutes,Requêtes reçues,${raw.length}\\r?\\n`));
  assert.match(csv, new RegExp(`\\n${budget2},[^\\n]*,recues,toutes,Requêtes reçues,\\r?\\n`), 'suppressed: empty');
  const page = await (await get(`/statistiques?du=${from}&au=${to}`)).text();
  assert.match(page, new RegExp(`<dt>Requêtes reçues</dt><dd>${raw.length}</dd>`));
  assert.match(page, /<svg viewBox="0 0 420 \d+" role="img" aria-labelledby="nature-svg-titre nature-svg-desc"/);
  assert.match(page, /<th scope="row">Clôturée<\/th><td>6<\/td>/);
  assert.match(page, /<th scope="row">Satisfait<\/th><td>moins de 5<\/td>/);
  assert.match(page, /moins de 5/);
  const one = await (await get(`/statistiques?organisme=2&du=${from}&au=${to}`)).text();
  assert.match(one, /<dt>Requêtes reçues<\/dt><dd>moins de 5<\/dd>/);

  // A nonsense period: said so, and the default year shown.
  const bad = await get('/statistiques?du=2026-02-30');
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /Période non valable/);
  assert.equal((await get('/statistiques/donnees.csv?du=demain')).status, 400);
});
