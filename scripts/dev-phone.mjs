// The dev inbox's phone (issue #30, «try it without a phone»): pick a number, dial the USSD short
// code and answer its screens, write SMS to Miliê's number and read its answers, one thread per
// number. It plays the gateway: it calls the worker's callbacks exactly as Africa's Talking does
// (form posts to /canaux/ussd/<secret> and /canaux/sms/<secret>, the USSD text every input so far
// joined by «*»), with the development secrets of .dev.vars. Miliê's SMS to the number are the
// ones the dev inbox received as its SMS provider.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The local configuration's short code and SMS number (wrangler.toml's top-level [vars]). */
export async function localChannels(root) {
  const toml = await readFile(join(root, 'wrangler.toml'), 'utf8');
  const top = toml.slice(0, toml.indexOf('[env.') >>> 0);
  const value = (name) => top.match(new RegExp(`^${name} = "(.*)"$`, 'm'))?.[1] ?? '';
  return { shortCode: value('USSD_SHORT_CODE'), smsNumber: value('SMS_NUMBER') };
}

/** Numbers of the three networks, to pick from (any Ivorian mobile number can be typed). */
export const SAMPLE_NUMBERS = [
  ['+2250707123456', 'Orange (07)'],
  ['+2250555123456', 'MTN (05)'],
  ['+2250101123456', 'Moov (01)'],
];

/**
 * The phone's gateway side. `worker()` says where the worker is and its callbacks' secrets, the
 * short code and the SMS number: { url, ussdSecret, smsSecret, shortCode, smsNumber }.
 */
export function phone(state, worker) {
  state.inbound ??= [];
  state.ussd ??= [];
  const post = async (path, fields) => {
    const w = worker();
    if (!w?.url) throw new Error('no worker to call (WORKER_URL)');
    const res = await fetch(`${w.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: res.status, text: await res.text() };
  };
  return {
    /** One USSD callback: `text` is every input of the session so far, joined by «*». */
    async ussd({ number, sessionId, text = '' }) {
      const w = worker();
      const answer = await post(`/canaux/ussd/${encodeURIComponent(w.ussdSecret ?? '')}`, {
        sessionId, serviceCode: w.shortCode ?? '', phoneNumber: number, networkCode: '62001', text,
      });
      state.ussd.push({ number, sessionId, text, status: answer.status, answer: answer.text, at: new Date().toISOString() });
      return answer;
    },
    /** An SMS from `number` to Miliê's number. */
    async sms({ number, text }) {
      const w = worker();
      const id = `ATXid_${randomUUID().replace(/-/g, '')}`;
      const message = { id, from: number, to: w.smsNumber ?? '', text, at: new Date().toISOString(), status: null };
      state.inbound.push(message);
      const answer = await post(`/canaux/sms/${encodeURIComponent(w.smsSecret ?? '')}`, {
        from: number, to: w.smsNumber ?? '', text, date: message.at.replace('T', ' ').slice(0, 19), id, linkId: '',
      });
      message.status = answer.status;
      return { ...answer, id };
    },
    /** Both ways, oldest first: what the number sent, and what Miliê sent it. */
    thread(number) {
      const sent = state.inbound.filter((m) => m.from === number).map((m) => ({ way: 'out', text: m.text, at: m.at, status: m.status }));
      const got = state.sms.filter((m) => m.to === number).map((m) => ({ way: 'in', text: m.text, at: m.at }));
      return [...sent, ...got].sort((a, b) => a.at.localeCompare(b.at));
    },
    page() {
      const w = worker() ?? {};
      const options = SAMPLE_NUMBERS.map(([n, label]) => `<option value="${n}">${esc(n)} — ${esc(label)}</option>`).join('');
      return `<!doctype html><html lang="fr"><meta charset="utf-8"><title>Miliê — téléphone de développement</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}main{display:flex;gap:2rem;flex-wrap:wrap}
section{flex:1 1 22rem}.handset{background:#1d2a22;color:#e8f5ec;border-radius:1rem;padding:1rem;min-height:14rem;white-space:pre-wrap;font-family:monospace}
ol{list-style:none;padding:0}li{margin:.4rem 0;padding:.4rem .6rem;border-radius:.5rem;max-width:85%;white-space:pre-wrap}.out{background:#dcf3e3;margin-left:auto}.in{background:#f1f1f1}
label{display:block;margin:.5rem 0 .2rem}input,textarea,select{font:inherit;width:100%;box-sizing:border-box}button{font:inherit;margin-top:.4rem}</style>
<h1>Téléphone de développement</h1>
<p>Choisissez un numéro, composez le ${esc(w.shortCode ?? '')} et répondez aux écrans, ou écrivez au ${esc(w.smsNumber ?? '')} : ce téléphone appelle le worker comme la passerelle USSD/SMS le ferait. <a href="/">Boîte de réception</a></p>
<label for="number">Numéro</label><select id="number">${options}</select>
<label for="other">ou un autre numéro ivoirien</label><input id="other" inputmode="tel" placeholder="+225 07 …">
<main>
<section aria-labelledby="ussd-title"><h2 id="ussd-title">USSD</h2>
<div class="handset" id="screen" role="status" aria-live="polite">Composez ${esc(w.shortCode ?? '')}</div>
<button type="button" id="dial">Composer ${esc(w.shortCode ?? '')}</button>
<form id="reply"><label for="input">Réponse</label><input id="input" autocomplete="off"><button>Envoyer</button> <button type="button" id="hangup">Raccrocher</button></form>
</section>
<section aria-labelledby="sms-title"><h2 id="sms-title">SMS</h2>
<ol id="thread"></ol>
<form id="sms"><label for="text">Message au ${esc(w.smsNumber ?? '')} (SUIVI code, AVIS code 1|2|3, RELANCE code raison, CODES, AIDE)</label><textarea id="text" rows="3"></textarea><button>Envoyer</button></form>
</section>
</main>
<script>
const $ = (id) => document.getElementById(id);
// As a gateway hands it over: +225 and ten digits (typed «07 07 12 34 56» or «+225 07…»).
function number() {
  const typed = $('other').value.replace(/[\s.()-]/g, '');
  if (!typed) return $('number').value;
  if (/^0\d{9}$/.test(typed)) return '+225' + typed;
  return typed.startsWith('00') ? '+' + typed.slice(2) : typed;
}
let session = null;
async function ussd(input) {
  if (!session) return;
  if (input !== null) session.text = session.text === null ? input : session.text + '*' + input;
  const res = await fetch('/telephone/ussd', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: session.number, sessionId: session.id, text: session.text ?? '' }) });
  const { status, text } = await res.json();
  $('screen').textContent = status === 200 ? text.replace(/^(CON|END) /, '') : 'Erreur ' + status + ' : ' + text;
  if (status !== 200 || text.startsWith('END')) session = null;
  $('input').value = '';
  $('input').focus();
}
$('dial').onclick = () => { session = { id: 'ATUid_' + crypto.randomUUID().replace(/-/g, ''), number: number(), text: null }; ussd(null); };
$('hangup').onclick = () => { session = null; $('screen').textContent = 'Appel terminé.'; };
$('reply').onsubmit = (e) => { e.preventDefault(); ussd($('input').value); };
$('sms').onsubmit = async (e) => {
  e.preventDefault();
  await fetch('/telephone/sms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: number(), text: $('text').value }) });
  $('text').value = '';
  thread();
};
async function thread() {
  const list = await (await fetch('/api/thread?number=' + encodeURIComponent(number()))).json();
  $('thread').replaceChildren(...list.map((m) => { const li = document.createElement('li'); li.className = m.way; li.textContent = m.text; return li; }));
}
for (const id of ['number', 'other']) $(id).onchange = thread;
setInterval(thread, 2000);
thread();
</script></html>`;
    },
  };
}
