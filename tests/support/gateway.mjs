// A scripted gateway: what Africa's Talking does, from its public documentation, and nothing of
// Miliê's code. USSD: every screen is a form post of sessionId, serviceCode, phoneNumber,
// networkCode and text (every input so far joined by «*»), answered text/plain «CON …» (show it
// and wait for input) or «END …» (show it, the session is over). SMS: a form post of from, to,
// text, date, id and linkId for each message the number sends.
import { randomUUID } from 'node:crypto';
import { CALLBACK_SECRETS } from './worker.mjs';

export const SHORT_CODE = '*384*7117#';
export const SMS_NUMBER = '7117';

/** The GSM 03.38 default alphabet, and its extension table (two septets each). */
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€\f';

/** The septets a text takes in GSM-7, or Infinity when a character is not in it. */
export function septets(text) {
  let n = 0;
  for (const c of text) {
    if (BASIC.includes(c)) n += 1;
    else if (EXTENDED.includes(c)) n += 2;
    else return Infinity;
  }
  return n;
}

/** A form post to a callback; the status and the body. */
export async function post(w, path, fields) {
  const res = await fetch(`${w.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/**
 * Dials the short code from `number`: resolves with the session, its first screen shown. Each
 * `answer(input)` sends the next screen's input; `screen` is the text shown, `ended` whether the
 * last answer was END, `screens` every text shown.
 */
export async function dial(w, number, { secret = CALLBACK_SECRETS.ussd, sessionId = `ATUid_${randomUUID()}` } = {}) {
  const session = {
    sessionId, number, text: null, screens: [], ended: false, screen: '', status: 0,
    async send(text) {
      const res = await post(w, `/canaux/ussd/${secret}`, { sessionId, serviceCode: SHORT_CODE, phoneNumber: number, networkCode: '62001', text });
      this.status = res.status;
      if (res.status !== 200) throw new Error(`USSD callback answered ${res.status}: ${res.text.slice(0, 200)}`);
      if (!/^text\/plain/.test(res.type)) throw new Error(`USSD answer not text/plain: ${res.type}`);
      const m = res.text.match(/^(CON|END) ([\s\S]*)$/);
      if (!m) throw new Error(`not a USSD answer: ${res.text.slice(0, 200)}`);
      this.ended = m[1] === 'END';
      this.screen = m[2];
      this.screens.push(m[2]);
      return m[2];
    },
    async answer(input) {
      if (this.ended) throw new Error('the session is over');
      this.text = this.text === null ? String(input) : `${this.text}*${input}`;
      return this.send(this.text);
    },
    /** The number of an item whose label contains `words`, paging with 9 until it is shown. */
    async choose(words) {
      for (let page = 0; page < 20; page++) {
        const line = this.screen.split('\n').find((l) => /^[1-8] /.test(l) && l.includes(words));
        if (line) return this.answer(line[0]);
        if (!/^9 /m.test(this.screen)) throw new Error(`«${words}» is not listed: ${this.screen}`);
        await this.answer('9');
      }
      throw new Error(`«${words}» not found`);
    },
  };
  session.text = null;
  await session.send('');
  return session;
}

/** An SMS from `number` to Miliê's number. */
export function sms(w, number, text, { secret = CALLBACK_SECRETS.sms, id = `ATXid_${randomUUID()}` } = {}) {
  return post(w, `/canaux/sms/${secret}`, { from: number, to: SMS_NUMBER, text, date: new Date().toISOString().replace('T', ' ').slice(0, 19), id, linkId: '' });
}
