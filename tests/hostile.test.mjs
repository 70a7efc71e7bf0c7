// Hostile input (issue #10, ASVS V1/V5): markup, SQL metacharacters, oversized and malformed
// multipart bodies, polyglot files, path tricks in file names, Unicode confusables and control
// characters, very long lines — each refused with a clear message and nothing written, or
// neutralised on the way in and escaped on the way out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker, sql } from './support/worker.mjs';
import { r2Keys } from './support/r2.mjs';
import { VALID, PDF, apiSubmit } from './support/forms.mjs';
import { signIn } from './support/agent.mjs';
import { lookup } from './support/tracking.mjs';

let w;
let analyst;
before(async () => {
  w = await startWorker({ vars: { SUBMIT_LIMIT_PER_HOUR: '100000', SIGN_IN_LIMIT_PER_HOUR: '1000' } });
  analyst = await w.signIn('analyst');
});
after(async () => { await w?.stop(); });

/** A valid submission to the API (the form's fields, with a body). */
const BASE = { ...VALID, organisme: '2' };
const count = async () => (await sql(w.dir, 'SELECT count(*) AS n FROM requests'))[0].n;
const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>';

test('markup in every field shown to staff and citizens is escaped, never run', async () => {
  const res = await apiSubmit(w.url, { ...BASE, message: `Bonjour ${XSS} fin du message.`, nom: `Kouassi ${XSS}`, prenoms: '"><svg onload=alert(1)>',
    localite: 'etranger', etranger_pays: 'FR', etranger_ville: `Paris ${XSS}` }, [[`${XSS}.pdf`, PDF]]);
  assert.equal(res.status, 201);
  const { code } = res.json;
  for (const html of [
    await (await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: analyst } })).text(),
    await (await fetch(`${w.url}/agent?code=${code}`, { headers: { cookie: analyst } })).text(),
    await (await fetch(`${w.url}/suivi/${code}`, { headers: { cookie: (await lookup(w.url, code, VALID.email)).cookie } })).text(),
  ]) {
    assert.ok(!html.includes('<script>alert'), 'no live script');
    assert.ok(!/<img src=x onerror/.test(html) && !/<svg onload/.test(html), 'no live handler');
  }
  const page = await (await fetch(`${w.url}/agent/requetes/${code}`, { headers: { cookie: analyst } })).text();
  assert.match(page, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/, 'shown as text');
  // The file name lost its markup characters and kept a safe extension.
  const [file] = await sql(w.dir, `SELECT file_name FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = '${code}')`);
  assert.ok(!/[<>"]/.test(file.file_name) && file.file_name.endsWith('.pdf'), file.file_name);
});

test('SQL metacharacters are data: stored as typed, searched as text', async () => {
  const message = "Robert'); DROP TABLE requests; -- et 1' OR '1'='1 et %_ et \\' ;";
  const res = await apiSubmit(w.url, { ...BASE, message });
  assert.equal(res.status, 201);
  assert.equal((await sql(w.dir, `SELECT message FROM requests WHERE code = '${res.json.code}'`))[0].message, message);
  const search = await fetch(`${w.url}/organismes?q=${encodeURIComponent("%' OR 1=1 --")}`);
  assert.equal(search.status, 200);
  assert.match(await search.text(), /Aucun organisme ne correspond/);
  const track = await lookup(w.url, "12345678' OR '1'='1", 'x@example.ci');
  assert.equal(track.status, 404);
  assert.match(track.html, /Aucune requête ne correspond à ce code/);
  // Not an address at all: refused as such, before anything is looked up.
  const notEmail = await lookup(w.url, '12345678', "x' OR 'a'='a");
  assert.equal(notEmail.status, 422);
});

test('oversized and malformed bodies are refused clearly, writing nothing', async () => {
  const before = await count();
  const keys = await r2Keys(w.dir);
  // 21 MB in five files of 4.2 MB: each under 5 MB, together over the 20 MB a request may carry.
  const chunk = Buffer.concat([PDF, Buffer.alloc(4.2 * 1024 * 1024, 32)]);
  const big = await apiSubmit(w.url, BASE, [1, 2, 3, 4, 5].map((i) => [`partie-${i}.pdf`, chunk]));
  assert.equal(big.status, 422);
  assert.match(JSON.stringify(big.json), /20 Mo/);
  // A multipart body with a broken boundary, and a body that is not multipart at all.
  for (const [type, body] of [['multipart/form-data; boundary=xyz', '--abc\r\nContent-Disposition: form-data; name="message"\r\n\r\nx'], ['multipart/form-data', 'garbage'], ['application/json', '{"message":']]) {
    const res = await fetch(`${w.url}/api/v1/requetes`, { method: 'POST', headers: { 'content-type': type }, body });
    assert.ok([400, 415, 422].includes(res.status), `${type}: ${res.status}`);
    await res.arrayBuffer();
  }
  assert.equal(await count(), before);
  assert.deepEqual(await r2Keys(w.dir), keys);
});

test('polyglots and disguised files: judged by content, served only as downloads', async () => {
  // A GIF that is also JavaScript, an HTML page, an SVG with a script: none is a supported kind.
  for (const [name, bytes] of [['image.jpg', Buffer.from('GIF89a/*\x00*/=alert(1)//')], ['page.pdf', Buffer.from('<!doctype html><script>alert(1)</script>')], ['logo.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')]]) {
    const res = await apiSubmit(w.url, BASE, [[name, bytes]]);
    assert.equal(res.status, 422, name);
    assert.match(res.json.errors.pieces, new RegExp(name.replace('.', '\\.')));
  }
  // A real PDF carrying HTML: accepted as the PDF it is, but only ever downloaded, never rendered.
  const poly = Buffer.concat([PDF, Buffer.from('<html><script>alert(1)</script></html>')]);
  const res = await apiSubmit(w.url, BASE, [['../../facture\u202Efdp.exe', poly]]);
  assert.equal(res.status, 201);
  const [file] = await sql(w.dir, `SELECT id, file_name FROM attachments WHERE request_id = (SELECT id FROM requests WHERE code = '${res.json.code}')`);
  assert.equal(file.file_name, 'facturefdp.exe.pdf', 'no path, no bidi override, the real extension last');
  const session = await lookup(w.url, res.json.code, VALID.email);
  const download = await fetch(`${w.url}/suivi/${res.json.code}/pieces/${file.id}`, { headers: { cookie: session.cookie } });
  assert.equal(download.status, 200);
  assert.match(download.headers.get('content-disposition'), /^attachment; filename="facturefdp\.exe\.pdf"/);
  assert.equal(download.headers.get('content-type'), 'application/pdf');
  assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
  assert.match(download.headers.get('content-security-policy'), /sandbox/);
  await download.arrayBuffer();
});

test('Unicode confusables and invisible characters: refused where identity matters, dropped elsewhere', async () => {
  const before = await count();
  for (const [fields, field] of [
    [{ email: 'аya.kouassi@example.ci' }, 'email'], // Cyrillic «а»
    [{ telephone: '０７ ０７ １２ ３４ ５６' }, 'telephone'], // full-width digits
    [{ email: 'aya\u200b@example.ci' }, 'email'], // zero-width space
  ]) {
    const res = await apiSubmit(w.url, { ...BASE, ...fields });
    assert.equal(res.status, 422, JSON.stringify(fields));
    assert.ok(res.json.errors[field], `a message for ${field}`);
  }
  assert.equal(await count(), before);
  const res = await apiSubmit(w.url, { ...BASE, nom: 'Kou\u202Eassi\u200b', message: 'Message\u2066 avec\u0007 des caractères\u202E invisibles.' });
  assert.equal(res.status, 201);
  const [row] = await sql(w.dir, `SELECT last_name, message FROM requests WHERE code = '${res.json.code}'`);
  assert.deepEqual(row, { last_name: 'Kouassi', message: 'Message avec des caractères invisibles.' });
});

test('very long lines are refused with the limit named', async () => {
  const before = await count();
  const long = await apiSubmit(w.url, { ...BASE, message: 'x'.repeat(4001) });
  assert.equal(long.status, 422);
  assert.match(long.json.errors.message, /4[\s\u202f]?000/);
  const name = await apiSubmit(w.url, { ...BASE, nom: 'N'.repeat(101) });
  assert.equal(name.status, 422);
  assert.ok(name.json.errors.nom);
  const line = await apiSubmit(w.url, { ...BASE, email: `${'a'.repeat(300)}@example.ci` });
  assert.equal(line.status, 422);
  assert.equal(await count(), before);
});
