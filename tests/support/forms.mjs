// Drives the submission form over HTTP the way a browser without JavaScript does.
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])]);
export const EXE = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(256, 1)]);

export const VALID = {
  nature: 'reclamation',
  localite: '',
  theme: '',
  message: "Le guichet de l'état civil est resté fermé toute la semaine aux heures d'ouverture affichées.",
  nom: 'Kouassi',
  prenoms: 'Aya',
  pays: 'CI',
  telephone: '07 07 12 34 56',
  email: 'aya.kouassi@example.ci',
  conditions: 'on',
};

/** Opens the form for a body; returns what the next POST needs (cookie, tokens, page HTML). */
export async function openForm(url, { organisme = 2, nature = 'reclamation', cookie = '' } = {}) {
  const res = await fetch(`${url}/requete/nouvelle?nature=${nature}&organisme=${organisme}`, { headers: { cookie, 'accept-language': 'fr' } });
  const html = await res.text();
  const setCookie = res.headers.get('set-cookie');
  const jar = setCookie ? setCookie.split(';')[0] : cookie;
  const value = (name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1];
  return { status: res.status, html, cookie: jar, csrf: value('csrf'), formKey: value('form_key'), organisme: String(organisme) };
}

/** Posts the form; `files` is a list of [name, Buffer(, field)]. Returns status, headers and HTML. */
export async function postForm(url, form, fields, files = [], extraHeaders = {}, path = '/requete/nouvelle') {
  const body = new FormData();
  body.set('csrf', form.csrf);
  body.set('form_key', form.formKey);
  body.set('organisme', form.organisme);
  for (const [k, v] of Object.entries(fields)) {
    for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  }
  // [name, bytes] goes as an attachment; [name, bytes, field] names its field (`vocal`).
  for (const [name, bytes, field = 'pieces'] of files) body.append(field, new Blob([bytes]), name);
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    body,
    redirect: 'manual',
    headers: { cookie: form.cookie, 'accept-language': 'fr', origin: url, ...extraHeaders },
  });
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, html: await res.text() };
}

/**
 * The code on the confirmation page a successful submission redirects to, opened as the
 * submitting browser does: with the cookie the redirect set (`posted` is what `postForm` gave).
 */
export async function confirmationCode(url, posted) {
  const cookie = (posted.headers?.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(url + posted.location, { headers: { 'accept-language': 'fr', cookie } });
  const html = await res.text();
  return { status: res.status, html, code: html.match(/id="request-code">(\d{8})</)?.[1] };
}

/** Posts to the JSON API. */
export async function apiSubmit(url, fields, files = [], headers = {}) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const [name, bytes] of files) body.append('pieces', new Blob([bytes]), name);
  const res = await fetch(`${url}/api/v1/requetes`, { method: 'POST', body, headers: { 'accept-language': 'fr', ...headers } });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

export const fieldError = (html, field) => unescape(html.match(new RegExp(`id="${field}-error">(.*?)</p>`))?.[1]?.replace(/<span>(.*?)<\/span>/g, "$1 ").trim());

/** Undoes the template engine's escaping, to compare with plain text. */
export const unescape = (s) => s?.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
  .replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"');
