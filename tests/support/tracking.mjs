// Helpers for the tracking tests: cookies, sessions, signed links computed like the worker does.
import { createHmac } from 'node:crypto';

export const SECRET = 'test-tracking-secret-0123456789abcdef';

/** A token as the worker signs it: 4-byte expiry (Unix seconds, big-endian) + 16 bytes of HMAC-SHA-256. */
export function sign(purpose, code, email, expires, secret = SECRET) {
  const mac = createHmac('sha256', secret).update(`${purpose}\n${code}\n${email.toLowerCase()}\n${expires}`).digest().subarray(0, 16);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(expires);
  return Buffer.concat([head, mac]).toString('base64url');
}

/** Merges Set-Cookie headers of a response into a cookie header string. */
export function jar(previous, res) {
  const cookies = new Map((previous ? previous.split('; ') : []).filter(Boolean).map((c) => c.split(/=(.*)/s).slice(0, 2)));
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, value] = pair.split(/=(.*)/s);
    if (/Max-Age=0/.test(line)) cookies.delete(name); else cookies.set(name, value);
  }
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

export const csrfOf = (html) => html.match(/name="csrf" value="([^"]+)"/)?.[1];

/** Opens the lookup form and posts code + email; returns the response and the cookies after it. */
export async function lookup(url, code, email, cookie = '') {
  const page = await fetch(`${url}/suivi`, { headers: { cookie, 'accept-language': 'fr' } });
  cookie = jar(cookie, page);
  const csrf = csrfOf(await page.text());
  const res = await fetch(`${url}/suivi`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, origin: url, 'accept-language': 'fr', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, code, email }),
  });
  return { res, status: res.status, html: await res.text(), cookie: jar(cookie, res) };
}

/** Posts a form of the request page with the session's cookies. */
export async function pagePost(url, path, cookie, fields, files = []) {
  const page = await fetch(`${url}${path.replace(/\/[a-z]+$/, '')}`, { headers: { cookie, 'accept-language': 'fr' } });
  const html = await page.text();
  cookie = jar(cookie, page);
  const body = new FormData();
  body.set('csrf', csrfOf(html));
  const version = html.match(/name="version" value="(\d+)"/)?.[1];
  if (version) body.set('version', version);
  const formKey = html.match(/name="form_key" value="([^"]+)"/)?.[1];
  if (formKey) body.set('form_key', formKey);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  for (const [name, bytes] of files) body.append('pieces', new Blob([bytes]), name);
  const res = await fetch(url + path, { method: 'POST', body, redirect: 'manual', headers: { cookie, origin: url, 'accept-language': 'fr' } });
  return { status: res.status, html: await res.text(), cookie: jar(cookie, res) };
}
