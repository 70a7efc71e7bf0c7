#!/usr/bin/env node
// The dev inbox: a local server speaking the same provider APIs the worker calls in production
// (a Resend-shaped mail API and Orange's SMS API), keeping every mail and SMS in memory and
// showing them in the browser; and a phone (`/telephone`, scripts/dev-phone.mjs) that plays the
// USSD and SMS gateway towards the worker. `make dev` starts it on http://localhost:8025; the tests
// start it on a free port, with failures injected on demand.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { phone, localChannels } from './dev-phone.mjs';
import { parseDevVars } from './dev/office.mjs';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * options: mailKey / smsClientId / smsClientSecret (credentials accepted),
 * mailFailRate (0..1: share of mail calls answered 500, decided per call), mailFailFirst (the first n
 * mail calls answered 500 whatever the rate, so a test always sees failures), tokenTtl (seconds),
 * worker (the phone's: { url, ussdSecret, smsSecret, shortCode, smsNumber }, settable later as
 * `options.worker`).
 */
export async function startInbox({ port = 0, host = '127.0.0.1', mailKey = 'dev-mail-key', smsClientId = 'dev-sms-client',
  smsClientSecret = 'dev-sms-secret', mailFailRate = 0, mailFailFirst = 0, tokenTtl = 3600, worker = null } = {}) {
  const state = { mails: [], sms: [], inbound: [], ussd: [], mailCalls: 0, batchCalls: 0, mailFailures: 0, mailReplays: 0, tokenCalls: 0, smsCalls: 0, tokens: new Map(), byIdempotencyKey: new Map() };
  const options = { mailFailRate, worker };
  const handset = phone(state, () => options.worker);
  const json = (res, status, value) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };

  // Every call, as one line each, for whoever listens (the tests keep them beside the worker's log).
  const listeners = new Set();
  const server = createServer((req, res) => {
    const began = Date.now();
    res.on('finish', () => {
      if (!listeners.size) return;
      const line = `inbox ${req.method} ${req.url.split('?')[0]} → ${res.statusCode} in ${Date.now() - began} ms (idempotency key ${req.headers['idempotency-key'] ?? '-'})`;
      for (const listen of listeners) listen(line);
    });
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://inbox');
      const auth = req.headers.authorization ?? '';
      // Resend: POST /emails
      if (req.method === 'POST' && url.pathname === '/emails') {
        state.mailCalls += 1;
        if (auth !== `Bearer ${mailKey}`) return json(res, 401, { name: 'missing_api_key', message: 'Invalid API key' });
        if (state.mailCalls <= mailFailFirst || Math.random() < options.mailFailRate) { state.mailFailures += 1; return json(res, 500, { name: 'internal_server_error' }); }
        let body;
        try { body = JSON.parse(raw); } catch { return json(res, 422, { name: 'validation_error', message: 'invalid JSON' }); }
        const to = Array.isArray(body.to) ? body.to : [body.to];
        if (!body.from || !to.length || !body.subject || !(body.html || body.text)) return json(res, 422, { name: 'validation_error', message: 'from, to, subject and html or text are required' });
        if (to.some((t) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t))) return json(res, 422, { name: 'validation_error', message: 'Invalid `to` field' });
        const key = req.headers['idempotency-key'];
        if (key && state.byIdempotencyKey.has(key)) { state.mailReplays += 1; return json(res, 200, { id: state.byIdempotencyKey.get(key) }); }
        const id = randomUUID();
        if (key) state.byIdempotencyKey.set(key, id);
        state.mails.push({ id, idempotencyKey: key ?? null, from: body.from, to, subject: body.subject, html: body.html ?? '', text: body.text ?? '', at: new Date().toISOString() });
        return json(res, 200, { id });
      }
      // Resend: POST /emails/batch — up to 100 mails, validated together, one id each in order.
      if (req.method === 'POST' && url.pathname === '/emails/batch') {
        state.mailCalls += 1;
        state.batchCalls += 1;
        if (auth !== `Bearer ${mailKey}`) return json(res, 401, { name: 'missing_api_key', message: 'Invalid API key' });
        if (state.mailCalls <= mailFailFirst || Math.random() < options.mailFailRate) { state.mailFailures += 1; return json(res, 500, { name: 'internal_server_error' }); }
        let items;
        try { items = JSON.parse(raw); } catch { return json(res, 422, { name: 'validation_error', message: 'invalid JSON' }); }
        if (!Array.isArray(items) || items.length === 0 || items.length > 100) return json(res, 422, { name: 'validation_error', message: 'between 1 and 100 emails' });
        for (const body of items) {
          const to = Array.isArray(body.to) ? body.to : [body.to];
          if (!body.from || !to.length || !body.subject || !(body.html || body.text)) return json(res, 422, { name: 'validation_error', message: 'from, to, subject and html or text are required' });
          if (to.some((t) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t))) return json(res, 422, { name: 'validation_error', message: 'Invalid `to` field' });
        }
        const key = req.headers['idempotency-key'];
        if (key && state.byIdempotencyKey.has(key)) { state.mailReplays += 1; return json(res, 200, { data: state.byIdempotencyKey.get(key) }); }
        const data = items.map((body) => {
          const id = randomUUID();
          const to = Array.isArray(body.to) ? body.to : [body.to];
          state.mails.push({ id, idempotencyKey: body.headers?.['X-Entity-Ref-ID'] ?? null, from: body.from, to, subject: body.subject, html: body.html ?? '', text: body.text ?? '', at: new Date().toISOString() });
          return { id };
        });
        if (key) state.byIdempotencyKey.set(key, data);
        return json(res, 200, { data });
      }
      // Orange: OAuth2 client credentials
      if (req.method === 'POST' && url.pathname === '/oauth/v3/token') {
        state.tokenCalls += 1;
        const expected = `Basic ${Buffer.from(`${smsClientId}:${smsClientSecret}`).toString('base64')}`;
        if (auth !== expected || !raw.includes('grant_type=client_credentials')) return json(res, 401, { error: 'invalid_client' });
        const token = randomUUID();
        state.tokens.set(token, Date.now() + tokenTtl * 1000);
        return json(res, 200, { token_type: 'Bearer', access_token: token, expires_in: tokenTtl });
      }
      // Orange: outbound SMS
      const sms = url.pathname.match(/^\/smsmessaging\/v1\/outbound\/([^/]+)\/requests$/);
      if (req.method === 'POST' && sms) {
        state.smsCalls += 1;
        const token = auth.replace(/^Bearer /, '');
        if (!state.tokens.has(token) || state.tokens.get(token) < Date.now()) return json(res, 401, { requestError: { serviceException: { messageId: 'SVC0001', text: 'Invalid access token' } } });
        let body;
        try { body = JSON.parse(raw).outboundSMSMessageRequest; } catch { return json(res, 400, { requestError: { serviceException: { messageId: 'SVC0002', text: 'Invalid input' } } }); }
        if (!body?.address?.startsWith('tel:+') || decodeURIComponent(sms[1]) !== body.senderAddress) return json(res, 400, { requestError: { serviceException: { messageId: 'SVC0004', text: 'No valid addresses' } } });
        const id = randomUUID();
        state.sms.push({ id, to: body.address.slice(4), sender: body.senderAddress, senderName: body.senderName, text: body.outboundSMSTextMessage?.message ?? '', at: new Date().toISOString() });
        return json(res, 201, { outboundSMSMessageRequest: { ...body, resourceURL: `${url.origin}/smsmessaging/v1/outbound/${sms[1]}/requests/${id}` } });
      }
      // The phone: its page, its USSD and SMS towards the worker, a number's thread.
      if (req.method === 'GET' && url.pathname === '/telephone') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(handset.page());
      }
      if (req.method === 'POST' && (url.pathname === '/telephone/ussd' || url.pathname === '/telephone/sms')) {
        let body;
        try { body = JSON.parse(raw); } catch { return json(res, 400, { error: 'JSON expected' }); }
        if (typeof body?.number !== 'string' || !body.number) return json(res, 400, { error: 'number expected' });
        const call = url.pathname.endsWith('ussd')
          ? handset.ussd({ number: body.number, sessionId: String(body.sessionId ?? randomUUID()), text: String(body.text ?? '') })
          : handset.sms({ number: body.number, text: String(body.text ?? '') });
        call.then((answer) => json(res, 200, answer), (err) => json(res, 502, { status: 502, text: String(err.message ?? err) }));
        return undefined;
      }
      if (req.method === 'GET' && url.pathname === '/api/thread') return json(res, 200, handset.thread(url.searchParams.get('number') ?? ''));
      // The inbox itself
      if (req.method === 'GET' && url.pathname === '/api/messages') return json(res, 200, { mails: state.mails, sms: state.sms, inbound: state.inbound });
      const mail = url.pathname.match(/^\/mail\/([\w-]+)$/);
      if (req.method === 'GET' && mail) {
        const found = state.mails.find((m) => m.id === mail[1]);
        if (!found) { res.writeHead(404); return res.end('not found'); }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" });
        return res.end(found.html);
      }
      if (req.method === 'GET' && url.pathname === '/') {
        const mails = [...state.mails].reverse().map((m) => `<li><strong>${esc(m.subject)}</strong><br>À : ${esc(m.to.join(', '))} — ${esc(m.at)} — <a href="/mail/${m.id}">voir le mail</a><pre>${esc(m.text)}</pre></li>`).join('');
        const texts = [...state.sms].reverse().map((s) => `<li>À ${esc(s.to)} — ${esc(s.at)}<pre>${esc(s.text)}</pre></li>`).join('');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(`<!doctype html><html lang="fr"><meta charset="utf-8"><title>Miliê — boîte de réception de développement</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}pre{white-space:pre-wrap;background:#f6f7f6;padding:.5rem}li{margin-bottom:1rem}</style>
<h1>Boîte de réception de développement</h1><p>Tout mail et SMS envoyé par le worker local arrive ici (rechargez la page). Sans téléphone : <a href="/telephone">le téléphone de développement</a> (USSD et SMS).</p>
<h2>Mails (${state.mails.length})</h2><ul>${mails}</ul><h2>SMS (${state.sms.length})</h2><ul>${texts}</ul></html>`);
      }
      res.writeHead(404);
      res.end('not found');
    });
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${server.address().port}`,
    state,
    options,
    /** Calls `listen(line)` for every call answered from now on; returns the way to stop. */
    listen(listen) { listeners.add(listen); return () => listeners.delete(listen); },
    stop: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/** The phone's worker under `make dev`: WORKER_URL, the callbacks' secrets of .dev.vars, the short
 * code and SMS number of wrangler.toml's [vars]. */
async function devWorker() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const secrets = parseDevVars(await readFile(join(root, '.dev.vars'), 'utf8').catch(() => ''));
  return { url: process.env.WORKER_URL ?? 'http://localhost:8787', ussdSecret: secrets.USSD_CALLBACK_SECRET, smsSecret: secrets.SMS_CALLBACK_SECRET, ...(await localChannels(root)) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.INBOX_PORT ?? 8025);
  const inbox = await startInbox({ port, worker: await devWorker() });
  console.log(`dev inbox on ${inbox.url} (mail and SMS sent by the local worker; the phone on ${inbox.url}/telephone)`);
}
