// Sending what waits on the device (store.js), for the service worker (sw.js; build.rs joins
// store.js, this file and sw.js into /sw.js): one sender at a time for a record (a lease in the
// store), the form's own post with the record's form key (the server registers a key once and
// answers a repeat with the first one's confirmation), and what became of it told to the pages
// open and, if allowed, in a notification.
var FORM = '/requete/nouvelle';
var DONE = '/requete/enregistree';
var UNAVAILABLE = { 502: 1, 503: 1, 504: 1 };
// What a refused request's page is shown with again (its own policy: Turnstile's, say).
var KEPT_HEADERS = ['Content-Security-Policy', 'Permissions-Policy', 'Referrer-Policy', 'X-Frame-Options',
  'X-Content-Type-Options', 'Cross-Origin-Opener-Policy'];

function bytes(files) {
  return files.reduce(function (n, f) { return n + f.size; }, 0);
}

// How long an upload may take before it counts as lost: half a minute, and a second for every
// 4 KB (a slow 2G link), at most ten minutes.
function patience(files) {
  return Math.min(600e3, 30e3 + bytes(files) / 4096 * 1e3);
}

var WORDS = {
  fr: {
    sent: 'Votre requête est partie. Son code : {code}.',
    sentLink: 'Voir la confirmation',
    refused: 'Votre requête à {body} n\'est pas partie : des corrections sont demandées.',
    human: 'Votre requête à {body} attend : confirmez que vous n\'êtes pas un robot.',
    gone: '{body} ne reçoit plus de requêtes : votre brouillon vous attend pour un autre organisme.',
    open: 'Ouvrir'
  },
  en: {
    sent: 'Your request has been sent. Its code: {code}.',
    sentLink: 'See the confirmation',
    refused: 'Your request to {body} was not sent: corrections are asked for.',
    human: 'Your request to {body} is waiting: confirm that you are not a robot.',
    gone: '{body} no longer takes requests: your draft is waiting for another body.',
    open: 'Open'
  }
};

// ---- Sending what waits --------------------------------------------------------------------

var flushing = null;
var again = null;

// Sends every queued record whose turn has come; resolves with how many are still waiting. Asked
// while a round is under way, it runs another once that one ends (a record queued meanwhile).
function flush() {
  if (flushing) {
    again = again || flushing.catch(function () {}).then(function () {
      again = null;
      return flush();
    });
    return again;
  }
  flushing = store.all().then(function (records) {
    var waiting = records.filter(function (r) { return r.state === 'queued'; });
    return waiting.reduce(function (chain, r) {
      return chain.then(function (left) {
        if (r.next > Date.now()) return left + 1;
        return claim(r.key).then(function (mine) {
          if (!mine) return left + 1;
          return send(mine).then(function (outcome) { return settle(mine, outcome); }).then(function (state) {
            return left + (state === 'queued' ? 1 : 0);
          });
        });
      });
    }, Promise.resolve(0));
  }).then(function (left) {
    flushing = null;
    return left;
  }, function (e) {
    flushing = null;
    throw e;
  });
  return flushing;
}

// The lease: one sender at a time for a record, whichever page or worker asks.
function claim(key) {
  var now = Date.now();
  return store.update(key, function (r) {
    if (!r || r.state !== 'queued' || r.lease > now) return;
    r.lease = now + patience(r.files) + 60e3;
    return r;
  });
}

function post(r, csrf) {
  var body = new FormData();
  r.fields.forEach(function (f) {
    if (f[0] !== 'action') body.append(f[0], f[0] === 'csrf' && csrf ? csrf : f[1]);
  });
  body.append('action', 'soumettre');
  r.files.forEach(function (f) { body.append('pieces', f, f.name); });
  var abort = new AbortController();
  var timer = setTimeout(function () { abort.abort(); }, patience(r.files));
  return fetch(FORM, { method: 'POST', body: body, credentials: 'same-origin', signal: abort.signal }).then(function (res) {
    return res.text().then(function (html) {
      clearTimeout(timer);
      return { res: res, html: html };
    });
  }, function (e) {
    clearTimeout(timer);
    throw e;
  });
}

// What the server made of a record: sent (with its code), refused (its page, with the reasons),
// its body gone, or still to send (no network, server unavailable, over the hourly allowance).
function send(r) {
  return post(r).then(function (a) {
    // This browser's form token has changed since (a new browser session): the server's answer
    // carries the new one (nothing was stored), and the post goes again with it, once.
    var token = a.res.status === 403 && /name="csrf" value="([\w-]{22})"/.exec(a.html);
    return token ? post(r, token[1]) : a;
  }).then(function (a) {
    var res = a.res;
    var url = new URL(res.url);
    if (res.ok && url.pathname === DONE) {
      var code = /id="request-code">(\d{8})</.exec(a.html);
      return { state: 'sent', code: code ? code[1] : '', href: url.pathname + url.search };
    }
    if (res.redirected && url.pathname === FORM) return { state: 'draft', gone: true, href: url.pathname + url.search };
    if (UNAVAILABLE[res.status] || res.status === 429) {
      var wait = parseInt(res.headers.get('Retry-After'), 10);
      return { state: 'queued', server: true, wait: wait > 0 ? wait * 1e3 : 0 };
    }
    var fields = (/class="error-summary"[\s\S]*?<\/ul>/.exec(a.html) || [''])[0].match(/href="#[\w-]+"/g) || [];
    return {
      state: 'refused', html: a.html, status: res.status,
      human: fields.length > 0 && fields.every(function (f) { return f === 'href="#cf-turnstile-response"'; }),
      headers: KEPT_HEADERS.map(function (h) { return [h, res.headers.get(h)]; }).filter(function (h) { return h[1]; })
    };
  }).catch(function () { return { state: 'queued' }; });
}

function settle(r, o) {
  var now = Date.now();
  return store.update(r.key, function (cur) {
    if (!cur) return;
    cur.lease = 0;
    cur.updated = now;
    cur.state = o.state;
    if (o.state === 'queued') {
      // No network: tried again as soon as it returns. The server unavailable, or asking to
      // wait (its hourly allowance): not before it said, or a back-off of its own.
      cur.tries = (cur.tries || 0) + 1;
      cur.next = o.server ? now + (o.wait || Math.min(3600e3, 15e3 * Math.pow(2, cur.tries))) : 0;
      return cur;
    }
    cur.announce = true;
    if (o.state === 'sent') {
      // Nothing of it is kept but its code, until the citizen has seen it.
      return { key: cur.key, state: 'sent', code: o.code, href: o.href, lang: cur.lang, bodyName: cur.bodyName, updated: now, announce: true };
    }
    if (o.state === 'draft') {
      cur.gone = true;
      cur.goneUrl = o.href;
    } else {
      // The server has the files now (kept with the form's key): its page lists them.
      cur.files = [];
      cur.html = o.html;
      cur.human = o.human;
      cur.headers = o.headers;
    }
    return cur;
  }).then(function (saved) {
    if (!saved) return o.state;
    return tell(saved).then(function () { return o.state; });
  });
}

function words(r, lang) {
  return WORDS[(lang || r.lang) === 'en' ? 'en' : 'fr'];
}

// The citizen's news of a record: text, link and whether it is good news.
function news(r, lang) {
  var w = words(r, lang);
  if (r.state === 'sent') return { text: w.sent.replace('{code}', r.code), link: w.sentLink, href: r.href, ok: true };
  if (r.state === 'refused') return { text: (r.human ? w.human : w.refused).replace('{body}', r.bodyName), link: w.open, href: r.url };
  if (r.state === 'draft' && r.gone) return { text: w.gone.replace('{body}', r.bodyName), link: w.open, href: r.goneUrl };
}

function announcement(r, lang) {
  var n = news(r, lang);
  return n && { type: 'announce', key: r.key, state: r.state, text: n.text, link: n.link, href: n.href, ok: n.ok };
}

// The pages open are told (the form waiting for it moves on); a notification if allowed.
function tell(r) {
  var n = news(r);
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
    list.forEach(function (c) { if (n) c.postMessage(announcement(r)); });
    if (!n || !self.Notification || Notification.permission !== 'granted') return;
    return self.registration.showNotification('Miliê', {
      body: n.text, tag: r.key, icon: '/img/icon-192.png', lang: r.lang, data: { href: n.href }
    });
  }).catch(function () {});
}

