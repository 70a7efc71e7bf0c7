// Signs staff in the way they do: ask for a link, read it in the (test) inbox, confirm it.
import { jar, csrfOf } from './tracking.mjs';
import { eventually } from './eventually.mjs';

/**
 * Asks for a sign-in link as staff do; resolves once the worker has handled the request (its log
 * says so, after the answer: the link is written in the background) and whatever it sent has
 * left — with the link, or null when none was sent (unknown or inactive address, over the limit).
 */
export async function requestLink(w, email, { cookie: held = '', ip } = {}) {
  const handled = () => (w.output.match(/sign-in request (handled|over the limit)/g) ?? []).length;
  const already = handled();
  const before = w.inbox.state.mails.length;
  const from = ip ? { 'cf-connecting-ip': ip } : {};
  const page = await fetch(`${w.url}/agent/connexion`, { headers: { cookie: held, 'accept-language': 'fr', ...from } });
  const cookie = jar(held, page);
  const csrf = csrfOf(await page.text());
  const res = await fetch(`${w.url}/agent/connexion`, {
    method: 'POST', headers: { cookie, origin: w.url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded', ...from },
    body: new URLSearchParams({ csrf, email }),
  });
  const html = await res.text();
  if (res.status === 200) {
    await eventually(() => handled() > already, { what: `the sign-in request for ${email} handled (its log line)`, worker: w });
    await w.settled();
  }
  // Staff also get alerts about requests: the sign-in mail is the one with a sign-in link.
  const link = w.inbox.state.mails.slice(before).filter((m) => m.to[0] === email)
    .map((m) => m.text.match(/http:\/\/localhost:8787(\/agent\/connexion\/[\w-]{43})/)?.[1]).find(Boolean);
  return { html, cookie, link: link ?? null };
}

/** Confirms a sign-in link; returns the response and the cookies after it. */
export async function useLink(w, link, cookie = '') {
  const page = await fetch(w.url + link, { headers: { cookie, 'accept-language': 'fr' } });
  cookie = jar(cookie, page);
  const csrf = csrfOf(await page.text());
  const res = await fetch(w.url + link, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, origin: w.url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrf ?? '' }),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text(), cookie: jar(cookie, res) };
}

export async function signIn(w, email) {
  const { link } = await requestLink(w, email);
  if (!link) throw new Error(`no sign-in link for ${email}`);
  const { cookie, status } = await useLink(w, link);
  if (status !== 303) throw new Error(`sign-in failed (${status})`);
  return cookie;
}

/** Posts an action form of the staff request page, as a person does: «traiter» shows a preview
 * first and is then confirmed. A 303 (Post/Redirect/Get) is followed; the page it leads to is `html`. */
export async function act(w, cookie, code, action, fields = {}) {
  const page = await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  let html = await page.text();
  cookie = jar(cookie, page);
  if (!csrfOf(html)) {
    // A request this person cannot open: take a valid token from their queue page, so the
    // refusal tested is the scope's, not the CSRF check's.
    const queue = await fetch(`${w.url}/agent`, { headers: { cookie }, redirect: 'manual' });
    cookie = jar(cookie, queue);
    html = await queue.text();
  }
  const post = (body) => fetch(`${w.url}/agent/requetes/${code}/${action}`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, origin: w.url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  const base = { csrf: csrfOf(html) ?? '', version: html.match(/name="version" value="(\d+)"/)?.[1] ?? '0', ...fields };
  let res = await post(base);
  let text = await res.text();
  if (action === 'traiter' && res.status === 200 && text.includes('name="confirmer"')) {
    const key = text.match(/name="pieces_cle" value="([\w-]+)"/)?.[1] ?? '';
    res = await post({ ...base, pieces_cle: key, confirmer: '1' });
    text = await res.text();
  }
  const location = res.headers.get('location');
  if (res.status === 303 && location) {
    text = await (await fetch(w.url + location, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' })).text();
  }
  return { status: res.status, html: text, location };
}

/** Posts an administration form as a browser does (urlencoded, or multipart with a CSV as
 * `fichier`), taking the CSRF token from `from`; a 303 is followed with the cookies it set (the
 * one-time message), and the page it leads to is `html`. */
export async function adminForm(w, cookie, path, fields = {}, { csv = null, from = '/agent/admin' } = {}) {
  const page = await fetch(w.url + from, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  const c = jar(cookie, page);
  const body = csv === null ? new URLSearchParams() : new FormData();
  body.set('csrf', csrfOf(await page.text()) ?? '');
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  if (csv !== null) body.set('fichier', new Blob([csv], { type: 'text/csv' }), 'liste.csv');
  const res = await fetch(w.url + path, { method: 'POST', body, redirect: 'manual', headers: { cookie: c, origin: w.url, 'accept-language': 'fr' } });
  const location = res.headers.get('location');
  let html = await res.text();
  let followed = null;
  if (res.status === 303 && location) {
    followed = await fetch(w.url + location, { headers: { cookie: jar(c, res), 'accept-language': 'fr' }, redirect: 'manual' });
    html = await followed.text();
  }
  return { status: res.status, html, location, cookie: followed ? jar(jar(c, res), followed) : c };
}

/** Administration › Organismes or › Lieux (`list`: «organismes» or «lieux»): the export as it
 * downloads (BOM and all). */
export async function exportCsv(w, cookie, list) {
  const res = await fetch(`${w.url}/agent/admin/${list}/export.csv`, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  return { status: res.status, headers: res.headers, csv: Buffer.from(await res.arrayBuffer()) };
}

/** Uploads a CSV (text, or bytes as a spreadsheet saved them) to an import: refused (422, `html`
 * names the lines) or kept (303 to its preview, whose page is `html`). */
export async function importCsv(w, cookie, list, csv) {
  const from = `/agent/admin/${list}`;
  const page = await fetch(w.url + from, { headers: { cookie, 'accept-language': 'fr' }, redirect: 'manual' });
  const c = jar(cookie, page);
  const body = new FormData();
  body.set('csrf', csrfOf(await page.text()) ?? '');
  body.set('fichier', new Blob([csv], { type: 'text/csv' }), 'liste.csv');
  const res = await fetch(`${w.url}${from}/import`, { method: 'POST', body, redirect: 'manual', headers: { cookie: c, origin: w.url, 'accept-language': 'fr' } });
  const location = res.headers.get('location');
  let html = await res.text();
  if (res.status === 303) html = await (await fetch(w.url + location, { headers: { cookie: c, 'accept-language': 'fr' } })).text();
  return { status: res.status, location, html, cookie: c };
}

/** Confirms a previewed import with the version its preview shows (or `version`): the redirect
 * (303) and the page it leads to, or the preview shown again (409). */
export async function confirmImport(w, cookie, location, { version = null } = {}) {
  const page = await fetch(w.url + location, { headers: { cookie, 'accept-language': 'fr' } });
  const html = await page.text();
  const shown = html.match(/name="version" value="(\d+)"/)?.[1];
  const body = new URLSearchParams({ csrf: csrfOf(html) ?? '', version: String(version ?? shown ?? '') });
  const res = await fetch(w.url + location, { method: 'POST', body, redirect: 'manual', headers: { cookie: jar(cookie, page), origin: w.url, 'accept-language': 'fr' } });
  const to = res.headers.get('location');
  const after = res.status === 303 ? await (await fetch(w.url + to, { headers: { cookie: jar(jar(cookie, page), res), 'accept-language': 'fr' } })).text() : await res.text();
  return { status: res.status, location: to, html: after };
}
